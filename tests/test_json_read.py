"""The JSON reader: every spelling of the same JSON (str, bytes, a BOM, decoded first) reads
to the same values, and bad input to the same error at the same place."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given

import multistatus as ms
from tests.conftest import scaled
from tests.strategies import documents

SETTINGS = scaled(1)
R = '{"responses": [%s]}'


def _propfind(props: str, status: int = 200, href: str = "/a") -> str:
    return R % f'{{"href": "{href}", "propstats": [{{"status": {status}, "props": {props}}}]}}'


def _every_way(data: str) -> list[ms.MultiStatus]:
    """*data* read as str, as bytes (plain and with a BOM), and decoded first."""
    return [
        ms.from_json(data),
        ms.from_json(data.encode()),
        ms.from_json(b"\xef\xbb\xbf" + data.encode()),
        ms.from_dict(json.loads(data)),
    ]


def _raises(data: str, path: str | None, message: str) -> None:
    """*data* is refused the same way as str, as bytes and decoded (where ``json.loads`` keeps what is wrong)."""
    decoded = "NaN" not in data and "twice" not in message
    for read in (
        lambda: ms.from_json(data),
        lambda: ms.from_json(data.encode()),
        lambda: ms.from_dict(json.loads(data)) if decoded else ms.from_json(data),
    ):
        with pytest.raises(ms.ParseError) as info:
            read()
        assert (info.value.path, message in info.value.message) == (path, True), info.value


# -- the same values ---------------------------------------------------------------
@SETTINGS
@given(documents())
def test_any_spelling_of_the_json_reads_the_same(doc: ms.MultiStatus) -> None:
    """Compact, indented, ASCII-escaped (``\\uXXXX``: each string checked) and decoded first."""
    plain = ms.to_dict(doc)
    for data in (ms.to_json(doc), ms.to_json(doc, indent=2), json.dumps(plain), json.dumps(plain, indent="\t")):
        assert ms.from_json(data) == doc
    assert ms.from_dict(plain) == doc


E = ms.Element
N = "{urn:x}"
VALUES = [
    pytest.param('{"a": "1", "b": "", "c": null}', 200, [("{}a", "1"), ("{}b", ""), ("{}c", "")], id="2xx-empty"),
    pytest.param('{"a": "1", "b": "", "c": null}', 404, [("{}a", "1"), ("{}b", None), ("{}c", None)], id="404-empty"),
    pytest.param('{"a": []}', 200, [("{}a", "")], id="no-content"),
    pytest.param('{"a": []}', 403, [("{}a", None)], id="no-content-403"),
    pytest.param('{"a": ["t"]}', 200, [("{}a", "t")], id="text-content"),
    pytest.param('{"a": [["b"]]}', 200, [("{}a", (E("b"),))], id="empty-element"),
    pytest.param('{"a": [["b", "t"]]}', 200, [("{}a", (E("b", "t"),))], id="text-element"),
    pytest.param('{"a": [["b", {"k": "v"}]]}', 200, [("{}a", (E("b", (), {"k": "v"}),))], id="attributes-only"),
    pytest.param('{"a": [["b", {}, "t"]]}', 200, [("{}a", (E("b", "t"),))], id="no-attributes"),
    pytest.param(
        '{"a": ["x", ["b", {"k": "v"}, "t", ["c"], "u"], "y"]}',
        200,
        [("{}a", ("x", E("b", ["t", E("c"), "u"], {"k": "v"}), "y"))],
        id="mixed",
    ),
    pytest.param('{"a": [["b", "t", "u"]]}', 200, [("{}a", (E("b", "tu"),))], id="adjacent-text-merged"),
    pytest.param('{"a": ["", "t", ""]}', 200, [("{}a", "t")], id="empty-text-dropped"),
    pytest.param('{"a": [["b", ""]]}', 200, [("{}a", (E("b"),))], id="empty-child-dropped"),
    pytest.param(
        '{"a": [["b", {"k": "1", "{}j": "2"}]]}', 200, [("{}a", (E("b", (), {"k": "1", "j": "2"}),))], id="names"
    ),
    pytest.param(f'{{"{N}new-name-{id(E)}": "v"}}', 200, [(f"{N}new-name-{id(E)}", "v")], id="name-not-cached"),
]


@pytest.mark.parametrize(("props", "status", "expected"), VALUES)
def test_property_values(props: str, status: int, expected: list[tuple[str, object]]) -> None:
    for doc in _every_way(_propfind(props, status)):
        (propstat,) = doc.responses[0].propstats
        assert [(p.name, p.value) for p in propstat.props] == expected
        assert propstat.status == status


WRAPPED = [
    pytest.param({"value": "v", "lang": "de"}, 200, ("v", "de", {}), id="lang"),
    pytest.param({"value": None}, 200, ("", None, {}), id="null-2xx"),
    pytest.param({"value": ""}, 404, (None, None, {}), id="empty-404"),
    pytest.param({"value": [["b"]], "attributes": {"k": "v"}}, 200, ((E("b"),), None, {"{}k": "v"}), id="content"),
    pytest.param({"value": [], "attributes": {}}, 404, (None, None, {}), id="no-content-404"),
]


@pytest.mark.parametrize(("wrapped", "status", "expected"), WRAPPED)
def test_wrapped_values(wrapped: dict[str, Any], status: int, expected: tuple[object, ...]) -> None:
    for doc in _every_way(_propfind(json.dumps({"{DAV:}p": wrapped}), status)):
        prop = doc.responses[0].propstats[0].props[0]
        assert (prop.value, prop.lang, dict(prop.attributes)) == expected


def test_status_form() -> None:
    data = R % (
        '{"href": " /a ", "status": 423, "id": "7", "location": " /b ", "description": "d"}, '
        '{"href": "/c", "status": 299}, {"href": "/d", "status": 200, "reason": "Fine"}, {"href": "/e"}'
    )
    for doc in _every_way(data):
        a, c, d, e = doc.responses
        assert (a.href, a.status, a.id, a.location, a.description) == ("/a", 423, "7", "/b", "d")
        assert (c.status, d.status.reason, e.status, e.propstats) == (299, "Fine", None, ())


def test_a_reason_phrase_read_again_is_the_same_status() -> None:
    """Responses repeating a custom reason phrase read to equal statuses (remembered, within the memo's bound)."""
    doc = ms.from_json(R % ", ".join([f'{{"href": "/{n}", "status": 503, "reason": "Back Later"}}' for n in range(3)]))
    assert {r.status for r in doc.responses} == {ms.Status(503, "Back Later")}
    assert [r.status.reason for r in doc.responses] == ["Back Later"] * 3
    assert ms.from_json(ms.to_json(doc)) == doc


def test_other_response_shapes() -> None:
    data = R % (
        '{"href": "/a", "propstats": []}, '
        '{"href": "/b", "propstats": [{"status": 200, "props": {"a": "1"}, "description": "d"}]}, '
        '{"href": "/c", "propstats": [{"status": 200, "props": [{"a": "1"}, {"a": "2"}]}]}, '
        '{"href": "/d", "propstats": [{"status": 200, "props": {"a": "1"}}], "error": {"code": "x"}}, '
        '{"href": "/e", "propstats": [{"status": 200, "props": {"a": "1"}}, {"status": 404, "props": {"b": null}}]}, '
        '{"href": "/f", "propstats": [{"status": 404, "props": {"a": "", "b": null}, "description": "d"}]}'
    )
    for doc in _every_way(data):
        a, b, c, d, e, f = doc.responses
        assert [p.value for p in f.propstats[0].props] == [None, None]
        assert (a.propstats, b.propstats[0].description, d.error.code) == ((), "d", "x")
        assert [p.value for p in c.propstats[0].props] == ["1", "2"]
        assert [ps.status for ps in e.propstats] == [200, 404]


def test_members_in_any_order_and_spacing() -> None:
    data = ' \n{ "summary" : {} ,\t"syncToken": "t", "responses" : [ {"href": "/a", "status": 200} ,\n {"href": "/b", "status": 200} ] , "description": "d" } \n'
    for doc in _every_way(data):
        assert ([r.href for r in doc.responses], doc.sync_token, doc.description) == (["/a", "/b"], "t", "d")
    assert ms.from_json('{"responses": [ ]}').responses == ms.from_json('{"responses":[]}').responses == ()


def test_text_of_escapes_and_raw_characters_is_checked() -> None:
    """A string is checked however its characters were written."""
    for spelling in ("\\u0001", "\\b", "\\f", "\\ufffe", "\\uffff"):
        _raises(_propfind(f'{{"a": "x{spelling}"}}'), "/responses/0/propstats/0/props/a", "XML 1.0 cannot carry")
    for spelling in ("\\ud800", "\\uDFFF", "\\ud83d"):  # (lone: no low surrogate follows)
        _raises(_propfind(f'{{"a": "x{spelling}"}}'), "/responses/0/propstats/0/props/a", "lone surrogate")
    assert ms.from_json(_propfind('{"a": "x\\ud83d\\ude00"}')).responses[0].propstats[0].props[0].value == "x\U0001f600"
    for raw in ("\ufffe", "\uffff"):
        data = _propfind(f'{{"a": "x{raw}"}}')
        _raises(data, "/responses/0/propstats/0/props/a", "XML 1.0 cannot carry")
    with pytest.raises(ms.ParseError, match=r"lone surrogate"):
        ms.from_json(_propfind('{"a": "x\ud800"}'))  # (a str only: UTF-8 cannot hold a lone surrogate)
    assert ms.from_json('{"responses": [], "description": "\\\\b\\\\u"}').description == "\\b\\u"
    assert ms.from_json(R % '{"href": "/\\"b\\"", "status": 200}').responses[0].href == '/"b"'


# -- the same errors ---------------------------------------------------------------
BAD = [
    # the response
    pytest.param(R % '{"href": " ", "propstats": []}', "/responses/0/href", "empty", id="blank-href"),
    pytest.param(R % '{"href": 1, "status": 200}', "/responses/0/href", "must be a string", id="href-number"),
    pytest.param(
        R % '{"href": "/a", "propstats": {}}', "/responses/0/propstats", "must be an array", id="propstats-object"
    ),
    pytest.param(
        R % '{"href": "/a", "propstats": [3]}', "/responses/0/propstats/0", "must be an object", id="propstat-3"
    ),
    pytest.param(R % '{"href": "/a", "status": 200, "id": 7}', "/responses/0/id", "must be a string", id="id-number"),
    pytest.param(
        R % '{"href": "/a", "status": 200, "location": "\\t"}', "/responses/0/location", "empty", id="location"
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "description": "\\u0000"}',
        "/responses/0/description",
        "XML 1.0 cannot carry",
        id="description-nul",
    ),
    pytest.param(
        R % '{"href": "/a\\u0000", "status": 200}', "/responses/0/href", "XML 1.0 cannot carry", id="href-nul"
    ),
    pytest.param(R % '{"href": "/a", "status": 600}', "/responses/0/status", "outside 100-599", id="status-600"),
    pytest.param(
        R % '{"href": "/a", "additionalHrefs": ["/b", " "], "status": 404}',
        "/responses/0/additionalHrefs/1",
        "an href cannot be empty",
        id="blank-second-href",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "description": 5}',
        "/responses/0/description",
        "must be a string",
        id="description-number",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "extensions": [["{DAV:}href", "/b"]]}',
        "/responses/0/extensions",
        "is a part of a response",
        id="extension-named-href",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 429, "headers": {"Retry-After": "1", "retry-after": "2"}}',
        "/responses/0/headers/retry-after",
        "given twice",
        id="header-twice-in-any-case",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "body": {"a": ["\\ufffe"]}}',
        "/responses/0/body/a/0",
        "XML 1.0 cannot carry",
        id="body-ufffe",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "body": {"a": "\\ud800"}}',
        "/responses/0/body/a",
        "lone surrogate",
        id="body-lone-surrogate",
    ),
    pytest.param(
        R % '{"href": "/a", "status": 200, "replayed": 1}', "/responses/0/replayed", "true or false", id="replayed-1"
    ),
    pytest.param(R % '{"href": "/a", "status": 200, "x": 1}', "/responses/0/x", "unknown member", id="unknown"),
    # the propstat
    pytest.param(_propfind('{"a": "1"}', 102), "/responses/0/propstats/0/status", "1xx status 102", id="propstat-102"),
    pytest.param(_propfind("[1]"), "/responses/0/propstats/0/props/0", "must be an object", id="props-array"),
    pytest.param(_propfind('"x"'), "/responses/0/propstats/0/props", "must be an object", id="props-string"),
    # property values
    pytest.param(_propfind('{"a:b": "1"}'), "/responses/0/propstats/0/props/a:b", "NCName", id="bad-name"),
    pytest.param(_propfind('{"a": 1}'), "/responses/0/propstats/0/props/a", "not an integer", id="number"),
    pytest.param(_propfind('{"a": [1]}'), "/responses/0/propstats/0/props/a/0", "content must be", id="content-1"),
    pytest.param(_propfind('{"a": [NaN]}'), "/responses/0/propstats/0/props/a/0", "not NaN", id="content-nan"),
    pytest.param(_propfind('{"a": [{}]}'), "/responses/0/propstats/0/props/a/0", "not an object", id="content-{}"),
    pytest.param(_propfind('{"a": [[]]}'), "/responses/0/propstats/0/props/a/0", "needs a name", id="no-name"),
    pytest.param(_propfind('{"a": [[1]]}'), "/responses/0/propstats/0/props/a/0/0", "Clark", id="name-1"),
    pytest.param(_propfind('{"a": [["b c"]]}'), "/responses/0/propstats/0/props/a/0/0", "NCName", id="name-space"),
    pytest.param(
        _propfind('{"a": [["b", 1]]}'), "/responses/0/propstats/0/props/a/0/1", "must be an object", id="kid-1"
    ),
    pytest.param(_propfind('{"a": [["b", ["c", 1]]]}'), "/responses/0/propstats/0/props/a/0/1/1", "must be", id="deep"),
    pytest.param(
        _propfind('{"a": [["b", {"k": 1}]]}'), "/responses/0/propstats/0/props/a/0/1/k", "must be a string", id="attr-1"
    ),
    pytest.param(
        _propfind('{"a": [["b", {"xmlns": "u"}]]}'), "/responses/0/propstats/0/props/a/0/1/xmlns", "xmlns", id="xmlns"
    ),
    pytest.param(
        _propfind('{"a": [["b", {"k k": "1"}]]}'), "/responses/0/propstats/0/props/a/0/1/k k", "NCName", id="attr-name"
    ),
    pytest.param(
        _propfind('{"a": [["b", {"k": "1", "k": "2"}]]}'),
        "/responses/0/propstats/0/props/a/0/1/k",
        "twice",
        id="attr-dup",
    ),
    pytest.param(
        _propfind('{"a": [["b", {"k": "\\u0001"}]]}'),
        "/responses/0/propstats/0/props/a/0/1/k",
        "cannot carry",
        id="attr-nul",
    ),
    pytest.param(
        _propfind('{"a": [["b", "\\u0001"]]}'), "/responses/0/propstats/0/props/a/0/1", "cannot carry", id="kid-nul"
    ),
    pytest.param(_propfind('{"a": ["x", "\\f"]}'), "/responses/0/propstats/0/props/a/1", "cannot carry", id="text-nul"),
    pytest.param(
        _propfind('{"a": {"value": 1}}'), "/responses/0/propstats/0/props/a/value", "not an integer", id="w-1"
    ),
    pytest.param(_propfind('{"a": {"value": "", "x": 1}}'), "/responses/0/propstats/0/props/a/x", "unknown", id="w-x"),
    pytest.param(
        _propfind('{"a": {"lang": "de"}}'), "/responses/0/propstats/0/props/a", "needs a 'value'", id="w-no-v"
    ),
    pytest.param(
        _propfind('{"a": {"value": "", "lang": 1}}'), "/responses/0/propstats/0/props/a/lang", "string", id="w-l"
    ),
    pytest.param(
        _propfind('{"a": {"value": "", "lang": "\\b"}}'), "/responses/0/propstats/0/props/a/lang", "carry", id="w-l-bs"
    ),
    pytest.param(
        _propfind('{"a": {"value": "", "attributes": null}}'),
        "/responses/0/propstats/0/props/a/attributes",
        "must be an object",
        id="w-attrs-null",
    ),
    pytest.param(
        _propfind('{"a": {"value": "", "attributes": {"k": 1}}}'),
        "/responses/0/propstats/0/props/a/attributes/k",
        "must be a string",
        id="w-attr-1",
    ),
    pytest.param(
        _propfind('{"a": {"value": "", "attributes": {"{http://www.w3.org/XML/1998/namespace}lang": "de"}}}'),
        "/responses/0/propstats/0/props/a",
        "xml:lang",
        id="w-xml-lang",
    ),
    # the document around the responses (decoded one by one)
    pytest.param("[]", "", "must be an object", id="array"),
    pytest.param("{}", "", "no 'responses'", id="empty-object"),
    pytest.param('{"responses": 1}', "/responses", "must be an array", id="responses-1"),
    pytest.param('{"responses": [], "responses": []}', "/responses", "appears twice", id="twice"),
    pytest.param('{"description": "x", "description": "y", "responses": []}', "/description", "twice", id="twice-2"),
    pytest.param('{"responses": [], "x": 1}', "/x", "unknown member", id="unknown-member"),
    pytest.param('{"responses": [], "summary": []}', "/summary", "must be an object", id="summary"),
]


@pytest.mark.parametrize(("data", "path", "message"), BAD)
def test_bad_input_is_refused_the_same_way(data: str, path: str, message: str) -> None:
    _raises(data, path, message)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        pytest.param('{"responses" 1}', 1, 14, id="no-colon"),
        pytest.param('{"responses": [1 2]}', 1, 18, id="no-comma"),
        pytest.param('{"responses": [{"href": "/a", "status": 200} 2]}', 1, 46, id="no-comma-after-a-response"),
        pytest.param('{"responses": [{"href": "/a", "status": 200},]}', 1, 45, id="trailing-comma"),
        pytest.param('{"responses": []', 1, 17, id="unclosed"),
        pytest.param('{"responses": [],}', 1, 18, id="comma-then-brace"),
        pytest.param('{"responses": []} {}', 1, 19, id="extra-data"),
        pytest.param('{"responses": [{"href": "/a", "status": 200}', 1, 45, id="unclosed-array"),
        pytest.param('{"responses": [{"href": "/a", "status": 200} ', 1, 46, id="unclosed-array-space"),
    ],
)
def test_json_errors_come_first_with_their_position(data: str, line: int, column: int) -> None:
    for body in (data, data.replace('"/a"', '"/a", "x": 1')):  # (a JSON error wins over a bad member before it)
        with pytest.raises(ms.ParseError, match="not JSON") as info:
            ms.from_json(body)
        assert info.value.line == line


def test_the_first_error_in_document_order_is_reported() -> None:
    """Decoded one by one or all first, the error reported is the one the careful reader meets first."""
    data = R % ('{"href": "/a", "status": 200}, {"href": "/b", "status": "x"}, ' + '{"href": "/c", "status": 1}')
    _raises(data, "/responses/1/status", "must be an integer")
    _raises('{"description": 1, "responses": [{"href": 1}]}', "/responses/0/href", "must be a string")


@pytest.mark.parametrize(
    ("data", "limits", "path"),
    [
        pytest.param(
            R % '{"href": "/a", "status": 200}, {"href": "/b", "status": 200}', {"max_responses": 1}, "/responses"
        ),
        pytest.param(
            R % '{"href": "/a", "propstats": [{"status": 200, "props": {}}, {"status": 404, "props": {}}]}',
            {"max_propstats": 1},
            "/responses/0/propstats",
        ),
        pytest.param(_propfind('{"a": "", "b": ""}'), {"max_properties": 1}, "/responses/0/propstats"),
        pytest.param(_propfind('{"a": [["b", ["c"]]]}'), {"max_depth": 4}, "/responses/0/propstats/0/props/a/0"),
        pytest.param(_propfind('{"a": [["b", ["c"]]]}'), {"max_depth": 5}, "/responses/0/propstats/0/props/a/0/1"),
        pytest.param(R % '{"href": "/a", "status": 200, "body": [[[1]]]}', {"max_depth": 2}, "/responses/0/body/0/0"),
    ],
)
def test_limits_are_the_same(data: str, limits: dict[str, int], path: str) -> None:
    _raises_limit = ms.Limits(**limits)
    for read in (
        lambda: ms.from_json(data, limits=_raises_limit),
        lambda: ms.from_dict(json.loads(data), limits=_raises_limit),
    ):
        with pytest.raises(ms.LimitExceeded) as info:
            read()
        assert info.value.path == path
    assert ms.from_json(data) == ms.from_dict(json.loads(data))


def test_from_dict_takes_any_sequence_and_mapping_carefully() -> None:
    """Tuples and other mappings than dict are read by the careful reader, to the same values."""
    import types

    props = types.MappingProxyType({"a": ("x", ["b"])})
    doc = ms.from_dict(
        {"responses": ({"href": "/a", "propstats": ({"status": 200, "props": props},)}, {"href": "/b", "status": 201})}
    )
    assert doc.responses[0].propstats[0].props[0].value == ("x", E("b"))
    assert ms.from_dict(
        {"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"a": ("x",)}}]}]}
    ) == doc.__class__([ms.Response("/a", propstats=[ms.PropStat([ms.Property("a", "x")])])])
    for key in (1, ("a",), True):
        with pytest.raises(ms.ParseError, match="must be a string in Clark"):
            ms.from_dict({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {key: "x"}}]}]})
    with pytest.raises(ms.ParseError, match="must be a string in Clark"):
        ms.from_dict({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"a": [[b"b"]]}}]}]})
    with pytest.raises(ms.ParseError, match="attribute name must be a string") as info:
        ms.from_dict({"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"a": [["b", {1: "x"}]]}}]}]})
    assert info.value.path == "/responses/0/propstats/0/props/a/0/1/1"


def test_a_value_refused_once_is_refused_again() -> None:
    """A bad value the quick reader took in before it looked at the characters is never reused."""
    bad = {"href": "/a", "propstats": [{"status": 200, "props": {"a": "x\x01", "b": [["c", "\x02"]]}}]}
    with pytest.raises(ms.ParseError, match="cannot carry") as info:
        ms.from_dict({"responses": [bad, bad]})
    assert info.value.path == "/responses/0/propstats/0/props/a"
    with pytest.raises(ms.ParseError, match="cannot carry") as info:
        ms.from_dict({"responses": [{**bad, "error": {"code": "c"}}, bad]})
    assert info.value.path == "/responses/0/propstats/0/props/a"


def test_many_distinct_values_of_one_name() -> None:
    """Past the values it remembers for a name, the reader builds each property anew: same values."""
    count = 1100  # (more than _values.MEMO_SIZE)
    responses = [
        {"href": f"/{i}", "propstats": [{"status": 200, "props": {"a": str(i % count), "b": [["c", str(i % count)]]}}]}
        for i in range(count + 5)
    ]
    doc = ms.from_json(json.dumps({"responses": responses}))
    assert [(r.propstats[0].props[0].value, r.propstats[0].props[1].value) for r in doc.responses] == [
        (str(i % count), (E("c", str(i % count)),)) for i in range(count + 5)
    ]


@pytest.mark.parametrize(
    ("value", "kind", "where"),
    [
        pytest.param([object()], "object", "/0", id="object"),
        pytest.param(["a", b"x"], "bytes", "/1", id="bytes"),
        pytest.param(["a", float("nan")], "a number", "/1", id="nan"),
    ],
)
def test_from_dict_refuses_content_json_cannot_hold(value: list[object], kind: str, where: str) -> None:
    data = {"responses": [{"href": "/a", "propstats": [{"status": 200, "props": {"{x}p": value}}]}]}
    with pytest.raises(ms.ParseError, match=f"content must be strings and element arrays, not {kind}") as info:
        ms.from_dict(data)
    assert info.value.path == "/responses/0/propstats/0/props/{x}p" + where


def test_the_six_characters_backslash_u_fffe_are_text() -> None:
    # An escaped backslash before "uFFFE" is the text \uFFFE, not the noncharacter U+FFFE the reader refuses.
    data = R % r'{"href": "/a", "status": 200, "description": "write \\uFFFE for U+FFFE"}'
    assert ms.from_json(data).responses[0].description == "write \\uFFFE for U+FFFE"
    with pytest.raises(ms.ParseError):
        ms.from_json(R % r'{"href": "/a", "status": 200, "description": "\uFFFE"}')
