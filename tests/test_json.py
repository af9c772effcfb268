"""The JSON form: round trips, the corpus, the schema, and every way bad JSON is refused."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import multistatus as ms
from tests.conftest import Case, multistatus_cases, scaled
from tests.strategies import documents

SETTINGS = scaled(1)  # examples: the profile's count (tests/conftest.py)
VALIDATOR = jsonschema.Draft202012Validator(ms.json_schema(), format_checker=jsonschema.FormatChecker())


json_documents = documents()


def _check(data: bytes) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(data)
    VALIDATOR.validate(obj)
    return obj


# -- round trips -------------------------------------------------------------------
@SETTINGS
@given(json_documents)
def test_from_json_inverts_to_json(doc: ms.MultiStatus) -> None:
    data = ms.to_json(doc)
    _check(data)
    assert ms.from_json(data) == doc
    assert ms.from_json(ms.to_json(doc, indent=2)) == doc


@SETTINGS
@given(json_documents)
def test_canonical_json_survives_xml(doc: ms.MultiStatus) -> None:
    """JSON -> XML -> JSON is the identity for canonical JSON (what to_json writes)."""
    canonical = ms.to_json(doc)
    assert ms.to_json(ms.from_xml(ms.to_xml(ms.from_json(canonical)))) == canonical


@SETTINGS
@given(json_documents)
def test_text_path_agrees_with_the_stdlib_encoder(doc: ms.MultiStatus) -> None:
    """to_json writes text itself; it must be exactly json.dumps of to_dict, with the real summary."""
    plain = ms.to_dict(doc)
    assert ms.to_json(doc) == json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    assert ms.from_dict(plain) == doc
    summary = doc.summary
    assert plain["summary"] == {
        "total": summary.total,
        "succeeded": summary.succeeded,
        "failed": summary.failed,
        "partial": summary.partial,
        "other": summary.other,
        "byStatus": {str(k): v for k, v in summary.by_status.items()},
        "truncated": summary.truncated,
    }


@pytest.mark.parametrize("case", multistatus_cases())
def test_corpus_body_converts_to_json_and_back(case: Case) -> None:
    doc = ms.from_xml(case.body())
    data = ms.to_json(doc)
    obj = _check(data)
    assert len(obj["responses"]) == case.facts["response_count"]  # type: ignore[index]
    assert ms.from_json(data) == doc
    assert ms.from_xml(ms.to_xml(ms.from_json(data))) == doc


# -- the shape ---------------------------------------------------------------------
def test_design_example_shape() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response(
                "/dav/a.txt",
                propstats=[
                    ms.PropStat(
                        [
                            ms.Property("{DAV:}getetag", '"abc"'),
                            ms.Property("{DAV:}resourcetype", [ms.Element("{DAV:}collection")]),
                            ms.Property("{DAV:}displayname", "Datei", lang="de"),
                        ]
                    ),
                    ms.PropStat({"{http://example.com/ns}color": None}, 404),
                ],
            ),
            ms.Response(
                "/dav/locked/",
                status=423,
                error=ms.Error([ms.Element("{DAV:}lock-token-submitted", [ms.Element("{DAV:}href", "/dav/locked/")])]),
            ),
            ms.Response(
                "/items/3",
                status=429,
                id="3",
                headers={"Retry-After": "30"},
                error=ms.Error(code="rate_limited", message="Retry later."),
            ),
        ],
        description="optional multistatus-level responsedescription",
        sync_token="http://example.com/sync/12",
    )
    assert _check(ms.to_json(doc)) == {
        "responses": [
            {
                "href": "/dav/a.txt",
                "propstats": [
                    {
                        "status": 200,
                        "props": {
                            "{DAV:}getetag": '"abc"',
                            "{DAV:}resourcetype": [["{DAV:}collection"]],
                            "{DAV:}displayname": {"value": "Datei", "lang": "de"},
                        },
                    },
                    {"status": 404, "props": {"{http://example.com/ns}color": None}},
                ],
            },
            {
                "href": "/dav/locked/",
                "status": 423,
                "error": {"conditions": [["{DAV:}lock-token-submitted", ["{DAV:}href", "/dav/locked/"]]]},
            },
            {
                "id": "3",
                "href": "/items/3",
                "status": 429,
                "headers": {"retry-after": "30"},
                "error": {"code": "rate_limited", "message": "Retry later."},
            },
        ],
        "description": "optional multistatus-level responsedescription",
        "syncToken": "http://example.com/sync/12",
        "summary": {
            "total": 3,
            "succeeded": 0,
            "failed": 2,
            "partial": 1,
            "other": 0,
            "byStatus": {"200": 1, "404": 1, "423": 1, "429": 1},
            "truncated": False,
        },
    }


@pytest.mark.parametrize(
    ("prop", "status", "expected"),
    [
        pytest.param(ms.Property("{DAV:}x", "text"), 200, "text", id="text"),
        pytest.param(ms.Property("{DAV:}x", ""), 200, "", id="empty-under-2xx"),
        pytest.param(ms.Property("{DAV:}x"), 200, "", id="none-under-2xx-is-empty"),
        pytest.param(ms.Property("{DAV:}x", ""), 404, None, id="empty-under-404-is-null"),
        pytest.param(
            ms.Property("{DAV:}x", ["a ", ms.Element("{urn:y}b", "c", {"id": "1"}), " d"]),
            200,
            ["a ", ["{urn:y}b", {"id": "1"}, "c"], " d"],
            id="mixed-content-bare-attribute",
        ),
        pytest.param(
            ms.Property("{DAV:}x", [ms.Element("{urn:y}b", attributes={"{urn:z}q": "v"})]),
            200,
            [["{urn:y}b", {"{urn:z}q": "v"}]],
            id="qualified-attribute",
        ),
        pytest.param(
            ms.Property("{DAV:}x", "v", attributes={"{urn:z}q": "1"}),
            200,
            {"value": "v", "attributes": {"{urn:z}q": "1"}},
            id="wrapped-attributes",
        ),
        pytest.param(ms.Property("{DAV:}x", lang="en"), 403, {"value": None, "lang": "en"}, id="wrapped-null"),
        pytest.param(ms.Property("x", "1"), 200, "1", id="no-namespace"),
    ],
)
def test_property_values(prop: ms.Property, status: int, expected: object) -> None:
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat([prop], status)])])
    props = _check(ms.to_json(doc))["responses"][0]["propstats"][0]["props"]
    assert list(props.values()) == [expected]
    assert ms.from_json(ms.to_json(doc)) == doc


def test_reason_only_when_not_canonical() -> None:
    doc = ms.MultiStatus(
        [ms.Response("/a", status="HTTP/1.1 424 (status)"), ms.Response("/b", status="HTTP/1.1 200 OK")]
    )
    responses = _check(ms.to_json(doc))["responses"]
    assert responses[0] == {"href": "/a", "status": 424, "reason": "(status)"}
    assert responses[1] == {"href": "/b", "status": 200}


def test_rest_fields_and_additional_hrefs() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response(["/a", "/b"], status=423),
            ms.Response("/items/1", status=201, location="/items/1", body={"id": 1, "tags": ["x"], "w": 1.5}),
        ]
    )
    responses = _check(ms.to_json(doc))["responses"]
    assert responses[0] == {"href": "/a", "additionalHrefs": ["/b"], "status": 423}
    assert responses[1]["body"] == {"id": 1, "tags": ["x"], "w": 1.5}
    assert ms.from_json(ms.to_json(doc)) == doc


def test_indent_is_for_people() -> None:
    doc = ms.MultiStatus([ms.Response("/a", status=200)])
    assert ms.to_json(doc, indent=2).startswith(b'{\n  "responses": [')
    assert json.loads(ms.to_json(doc, indent=2)) == json.loads(ms.to_json(doc))


def test_non_ascii_is_utf8_and_lone_surrogates_are_refused() -> None:
    assert "/für".encode() in ms.to_json(ms.MultiStatus([ms.Response("/für", status=200)]))
    with pytest.raises(ValueError, match="lone surrogate"):
        ms.Response("/a", status=200, body="\ud800")
    with pytest.raises(ms.ParseError, match="lone surrogate") as info:
        ms.from_json(b'{"responses": [{"href": "/a", "status": 200, "body": {"k": "\\udc00"}}]}')
    assert info.value.path is not None
    assert info.value.path.startswith("/responses/0")


def test_summary_is_recomputed_not_trusted() -> None:
    data = b'{"responses": [{"href": "/a", "status": 507, "error": {"conditions": [["{DAV:}number-of-matches-within-limits"]]}}], "summary": {"total": 99}}'
    doc = ms.from_json(data)
    assert json.loads(ms.to_json(doc))["summary"]["total"] == 1
    assert json.loads(ms.to_json(doc))["summary"]["truncated"] is True


def test_non_canonical_input_is_normalized() -> None:
    doc = ms.from_json(
        '\ufeff{"responses": [{"href": " /a ", "propstats": [{"status": 200, "reason": "OK", "props": '
        '{"x": null, "{DAV:}y": ["a", "b"], "{DAV:}z": {"value": []}}}], "headers": {"ETag": "1"}, "body": null}]}'
    )
    assert json.loads(ms.to_json(doc))["responses"] == [
        {
            "href": "/a",
            "propstats": [{"status": 200, "props": {"{}x": "", "{DAV:}y": "ab", "{DAV:}z": ""}}],
            "headers": {"etag": "1"},
        }
    ]


def test_wrong_argument_types() -> None:
    with pytest.raises(TypeError, match="from_dict"):
        ms.from_json({"responses": []})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MultiStatus"):
        ms.to_json([])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="MultiStatus"):
        ms.to_dict([])  # type: ignore[arg-type]


def test_schema_ships_with_the_package() -> None:
    schema = ms.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["required"] == ["responses"]
    assert ms.json_schema() is not schema


# -- bad input ---------------------------------------------------------------------
R = '{"responses": [%s]}'
OK = '{"href": "/ok", "status": 200}'

BAD = [
    pytest.param("[]", "", "must be an object", id="not-an-object"),
    pytest.param("{}", "", "no 'responses'", id="missing-responses"),
    pytest.param('{"responses": {}}', "/responses", "must be an array", id="responses-not-array"),
    pytest.param('{"responses": [], "extra": 1}', "/extra", "unknown member 'extra'", id="unknown-top-member"),
    pytest.param('{"responses": [], "responses": []}', "/responses", "appears twice", id="duplicate-member"),
    pytest.param('{"responses": [], "summary": 3}', "/summary", "must be an object", id="summary-not-object"),
    pytest.param('{"responses": [], "syncToken": 12}', "/syncToken", "must be a string", id="sync-token-number"),
    pytest.param(R % "1", "/responses/0", "must be an object", id="response-not-object"),
    pytest.param(R % '{"status": 200}', "/responses/0", "needs an href", id="missing-href"),
    pytest.param(R % '{"href": ""}', "/responses/0/href", "empty", id="empty-href"),
    pytest.param(R % '{"href": 5}', "/responses/0/href", "must be a string", id="href-number"),
    pytest.param(
        R % (OK + ', {"href": "/b", "colour": 1}'),
        "/responses/1/colour",
        "unknown member 'colour'",
        id="unknown-member",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "href": "/b"}',
        "/responses/0/href",
        "appears twice",
        id="duplicate-in-response",
    ),
    pytest.param(
        R % (OK + "," + OK + ', {"href": "/c", "status": "200"}'),
        "/responses/2/status",
        "must be an integer, not a string",
        id="status-string",
    ),
    pytest.param(R % '{"href": "/a", "status": 200.0}', "/responses/0/status", "not a number", id="status-float"),
    pytest.param(R % '{"href": "/a", "status": null}', "/responses/0/status", "not null", id="status-null"),
    pytest.param(R % '{"href": "/a", "status": true}', "/responses/0/status", "not a boolean", id="status-bool"),
    pytest.param(R % '{"href": "/a", "status": 102}', "/responses/0/status", "1xx status 102", id="status-1xx"),
    pytest.param(R % '{"href": "/a", "status": 600}', "/responses/0/status", "outside 100-599", id="status-600"),
    pytest.param(R % '{"href": "/a", "status": NaN}', "/responses/0/status", "not NaN", id="status-nan"),
    pytest.param(
        R % '{"href": "/a", "status": 200, "reason": 1}', "/responses/0/reason", "must be a string", id="reason-number"
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "reason": "a\\nb"}', "/responses/0/reason", "one line", id="reason-newline"
    ),
    pytest.param(R % '{"href": "/a", "reason": "x"}', "/responses/0/reason", "without a status", id="reason-alone"),
    pytest.param(
        R % '{"href": "/a", "status": 200, "propstats": []}',
        "/responses/0",
        "both status and propstats",
        id="both-forms",
    ),
    pytest.param(
        R % '{"href": "/a", "additionalHrefs": ["/b"], "propstats": [{"status": 200, "props": {}}]}',
        "/responses/0/additionalHrefs",
        "has propstats and 2 hrefs; the propstat form has one",
        id="propstats-with-two-hrefs",
    ),
    pytest.param(
        R % '{"href": "/a", "additionalHrefs": "/b"}',
        "/responses/0/additionalHrefs",
        "must be an array",
        id="additional-not-array",
    ),
    pytest.param(
        R % '{"href": "/a", "additionalHrefs": [" "]}', "/responses/0/additionalHrefs/0", "empty", id="additional-empty"
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"props": {}}]}',
        "/responses/0/propstats/0",
        "needs a status",
        id="propstat-no-status",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200}]}',
        "/responses/0/propstats/0",
        "needs props",
        id="propstat-no-props",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {}, "x": 1}]}',
        "/responses/0/propstats/0/x",
        "unknown member 'x'",
        id="propstat-unknown",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": 1}}]}',
        "/responses/0/propstats/0/props/{DAV:}a",
        "not an integer",
        id="prop-value-number",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{http://x/y}a": [1]}}]}',
        "/responses/0/propstats/0/props/{http:~1~1x~1y}a/0",
        "content must be",
        id="content-number-pointer-escaped",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": "x\\u0001"}}]}',
        "/responses/0/propstats/0/props/{DAV:}a",
        "XML 1.0 cannot carry",
        id="control-character",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:a": ""}}]}',
        "/responses/0/propstats/0/props/{DAV:a",
        "no closing brace",
        id="bad-clark-name",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": {"lang": "de"}}}]}',
        "/responses/0/propstats/0/props/{DAV:}a",
        "needs a 'value'",
        id="wrapped-without-value",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": {"value": "", "color": 1}}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/color",
        "unknown member 'color'",
        id="wrapped-unknown",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": {"value": {"value": ""}}}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/value",
        "not an object",
        id="wrapped-twice",
    ),
    pytest.param(
        R
        % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": {"value": "", "attributes": {"{http://www.w3.org/XML/1998/namespace}lang": "de"}}}}]}',
        "/responses/0/propstats/0/props/{DAV:}a",
        "xml:lang",
        id="xml-lang-as-attribute",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": [["{DAV:}b", {"x": 1}]]}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/0/1/x",
        "must be a string",
        id="attribute-number",
    ),
    pytest.param(
        R
        % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": [["{DAV:}b", {"x": "1", "{}x": "2"}]]}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/0/1/{}x",
        "given twice",
        id="attribute-twice",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": [[]]}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/0",
        "needs a name",
        id="element-without-name",
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [{"status": 200, "props": {"{DAV:}a": [[1]]}}]}',
        "/responses/0/propstats/0/props/{DAV:}a/0/0",
        "must be a string in Clark notation",
        id="element-name-number",
    ),
    pytest.param(
        R % '{"href": "/a", "headers": {"x": 1}}', "/responses/0/headers/x", "must be a string", id="header-number"
    ),
    pytest.param(
        R % '{"href": "/a", "headers": {"a b": "1"}}',
        "/responses/0/headers/a b",
        "bad header field name",
        id="header-name",
    ),
    pytest.param(
        R % '{"href": "/a", "headers": {"X": "1", "x": "2"}}',
        "/responses/0/headers/x",
        "given twice",
        id="header-twice",
    ),
    pytest.param(R % '{"href": "/a", "headers": []}', "/responses/0/headers", "must be an object", id="headers-array"),
    pytest.param(
        R % '{"href": "/a", "body": {"v": Infinity}}', "/responses/0/body/v", "not Infinity", id="body-infinity"
    ),
    pytest.param(
        R % '{"href": "/a", "body": {"v": 1e999}}', "/responses/0/body/v", "not a JSON number", id="body-overflow"
    ),
    pytest.param(
        R % '{"href": "/a", "body": {"a": 1, "a": 2}}', "/responses/0/body/a", "appears twice", id="body-duplicate"
    ),
    pytest.param(R % '{"href": "/a", "location": " "}', "/responses/0/location", "empty", id="empty-location"),
    pytest.param(R % '{"href": "/a", "id": 7}', "/responses/0/id", "must be a string", id="id-number"),
    pytest.param(R % '{"href": "/a", "error": []}', "/responses/0/error", "must be an object", id="error-array"),
    pytest.param(
        R % '{"href": "/a", "error": {"conditions": {}}}',
        "/responses/0/error/conditions",
        "must be an array",
        id="conditions-object",
    ),
    pytest.param(
        R % '{"href": "/a", "error": {"conditions": ["x"]}}',
        "/responses/0/error/conditions/0",
        "must be an array",
        id="condition-string",
    ),
    pytest.param(
        R % '{"href": "/a", "error": {"status": "409"}}',
        "/responses/0/error/status",
        "must be an int",
        id="problem-status",
    ),
    pytest.param(R % '{"href": "/a", "error": {"1x": "y"}}', "/responses/0/error/1x", "not usable", id="problem-name"),
    pytest.param(
        R % '{"href": "/a", "extensions": [["x", "y"], 3]}',
        "/responses/0/extensions/1",
        "must be an array",
        id="extension-number",
    ),
    pytest.param('{"responses": [], "extensions": {}}', "/extensions", "must be an array", id="extensions-object"),
    pytest.param('{"responses": [], "description": ["x"]}', "/description", "must be a string", id="description-array"),
]


@pytest.mark.parametrize(("data", "path", "message"), BAD)
def test_bad_json_names_the_offending_value(data: str, path: str, message: str) -> None:
    with pytest.raises(ms.ParseError) as info:
        ms.from_json(data)
    assert info.value.path == path
    assert message in info.value.message
    assert not isinstance(info.value, ms.LimitExceeded)
    assert path in str(info.value) or path == ""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "empty", id="empty"),
        pytest.param(b"  \n", "empty", id="blank"),
        pytest.param(b"<D:multistatus/>", "not JSON", id="xml"),
        pytest.param(b'{"responses": [', "not JSON", id="truncated"),
        pytest.param(b'{"responses": []} x', "not JSON", id="trailing-garbage"),
        pytest.param(b"\xff\xfe{}", "not UTF-8", id="not-utf8"),
        pytest.param(b'{"responses": [], "x": ' + b"1" * 5000 + b"}", "not JSON", id="huge-integer"),
    ],
)
def test_not_json(data: bytes, message: str) -> None:
    with pytest.raises(ms.ParseError, match=message):
        ms.from_json(data)


def test_json_decode_error_has_a_position() -> None:
    with pytest.raises(ms.ParseError) as info:
        ms.from_json('{\n  "responses": [,]}')
    assert (info.value.line, info.value.column) == (2, 17)
    assert isinstance(info.value.__cause__, json.JSONDecodeError)


@pytest.mark.parametrize(
    ("data", "limits", "path"),
    [
        pytest.param(b'{"responses": []}', ms.Limits(max_bytes=10), None, id="bytes"),
        pytest.param('{"responses": [  ]}', ms.Limits(max_bytes=4), None, id="str"),
        pytest.param(R % (OK + "," + OK), ms.Limits(max_responses=1), "/responses", id="responses"),
        pytest.param(
            R % '{"href": "/a", "propstats": [{"status": 200, "props": {}}, {"status": 404, "props": {}}]}',
            ms.Limits(max_propstats=1),
            "/responses/0/propstats",
            id="propstats",
        ),
        pytest.param(
            R % '{"href": "/a", "propstats": [{"status": 200, "props": {"a": "", "b": ""}}]}',
            ms.Limits(max_properties=1),
            "/responses/0/propstats",
            id="properties",
        ),
        pytest.param(
            R % '{"href": "/a", "additionalHrefs": ["/b"], "status": 200}',
            ms.Limits(max_hrefs=1),
            "/responses/0/additionalHrefs",
            id="hrefs",
        ),
        pytest.param(
            R % '{"href": "/a", "propstats": [{"status": 200, "props": {"a": [["b", ["c", ["d"]]]]}}]}',
            ms.Limits(max_depth=6),
            "/responses/0/propstats/0/props/a/0/1/1",
            id="element-depth",
        ),
        pytest.param(
            R % '{"href": "/a", "body": [[[[1]]]]}', ms.Limits(max_depth=3), "/responses/0/body/0/0/0", id="body-depth"
        ),
    ],
)
def test_limits(data: str | bytes, limits: ms.Limits, path: str | None) -> None:
    with pytest.raises(ms.LimitExceeded) as info:
        ms.from_json(data, limits=limits)
    assert info.value.path == path
    assert info.value.status_hint == 413


def test_str_input_within_the_byte_limit() -> None:
    assert ms.from_json('{"responses": []}', limits=ms.Limits(max_bytes=17)).responses == ()
    with pytest.raises(ms.LimitExceeded):
        ms.from_json('{"description": "ü", "responses": []}', limits=ms.Limits(max_bytes=37))


@pytest.mark.parametrize("depth", [100, 100_000])
def test_hostile_nesting_is_bounded(depth: int) -> None:
    for data in (
        '{"responses": [], "x": ' + "[" * depth + "]" * depth + "}",
        R % ('{"href": "/a", "body": ' + "[" * depth + "]" * depth + "}"),
    ):
        with pytest.raises(ms.ParseError):
            ms.from_json(data)
    body = R % ('{"href": "/a", "body": ' + "[" * depth + "]" * depth + "}")
    # without a depth limit, the hard cap MAX_DOCUMENT_DEPTH still holds (tests/test_nesting.py)
    with pytest.raises(ms.LimitExceeded):
        ms.from_json(body, limits=ms.Limits(max_depth=None))


def test_deep_xml_property_converts_under_the_same_limits() -> None:
    """One nesting rule: both readers take a value as deep as the model builds (64 levels), none deeper."""
    levels = 64  # MAX_NESTING (docs/xml.rst, "Limits")
    inner = "<x:a>" * levels + "</x:a>" * levels
    body = (
        '<D:multistatus xmlns:D="DAV:" xmlns:x="urn:x"><D:response><D:href>/a</D:href><D:propstat><D:prop>'
        f"<x:p>{inner}</x:p></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>"
    )
    doc = ms.from_xml(body)
    assert ms.from_json(ms.to_json(doc)) == doc
    with pytest.raises(ms.LimitExceeded):
        ms.from_xml(body.replace("<x:p>", "<x:p><x:a>").replace("</x:p>", "</x:a></x:p>"))
    with pytest.raises(ms.LimitExceeded):
        ms.from_json(ms.to_json(doc), limits=ms.Limits(max_depth=64))  # (a limit below the envelope and the value)
    deeper = json.loads(ms.to_json(doc))
    props = deeper["responses"][0]["propstats"][0]["props"]
    props["{urn:x}p"] = [["{urn:x}a", *props["{urn:x}p"]]]  # one level more: 65
    with pytest.raises(ms.LimitExceeded):
        ms.from_json(json.dumps(deeper))


def test_from_dict_refuses_what_json_cannot_hold() -> None:
    with pytest.raises(ms.ParseError, match="member names must be strings"):
        ms.from_dict({"responses": [{"href": "/a", "body": {1: 2}}]})
    with pytest.raises(ms.ParseError, match="member names must be strings"):
        ms.from_dict({"responses": [{"href": "/a", "error": {1: 2}}]})
    with pytest.raises(ms.ParseError, match="must be a string in Clark"):
        ms.from_dict({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {1: ""}}]}]})
    assert ms.from_dict({"responses": ({"href": "/a", "additionalHrefs": ("/b",), "status": 423},)}).responses[
        0
    ].hrefs == (
        "/a",
        "/b",
    )


def test_from_dict_bounds_python_nesting_too() -> None:
    body: list[object] = []
    for _ in range(100_000):
        body = [body]
    with pytest.raises(ms.LimitExceeded, match="nested deeper than 72 levels"):
        ms.from_dict({"responses": [{"href": "/a", "body": body}]}, limits=ms.Limits(max_depth=None))
    with pytest.raises(ms.ParseError, match="must be an integer, not set"):
        ms.from_dict({"responses": [{"href": "/a", "status": set()}]})


def test_many_distinct_names() -> None:
    """Thousands of distinct property names (the writer's name cache is bounded)."""
    props = [ms.Property(f"{{urn:x}}p{i}", str(i)) for i in range(5000)]
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat(props)])])
    assert ms.from_json(ms.to_json(doc)) == doc


@pytest.mark.parametrize(
    ("status", "wrapped", "expected"),
    [
        pytest.param(200, {"value": None, "lang": "en"}, "", id="2xx-null-is-empty"),
        pytest.param(404, {"value": "", "lang": "de"}, None, id="404-empty-is-a-name"),
    ],
)
def test_wrapped_values_take_the_canonical_empty_value(status: int, wrapped: dict[str, Any], expected: object) -> None:
    doc = ms.from_json(
        json.dumps({"responses": [{"href": "/a", "propstats": [{"status": status, "props": {"{DAV:}x": wrapped}}]}]})
    )
    prop = doc.responses[0].propstats[0].props[0]
    assert (prop.value, prop.lang) == (expected, wrapped["lang"])
    assert ms.from_xml(ms.to_xml(doc)) == doc


def test_props_from_any_mapping_in_from_dict() -> None:
    import types

    props = types.MappingProxyType({"{DAV:}getetag": '"1"'})
    doc = ms.from_dict({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": props}]}]})
    assert doc.responses[0].propstats[0].props[0].value == '"1"'
