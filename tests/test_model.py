"""The value objects: valid by construction, immutable, canonical, readable."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable

import pytest

import multistatus as ms

E = ms.Element


# -- invalid combinations fail at construction ------------------------------------------
INVALID = [
    pytest.param(
        lambda: ms.Response("/a", status=200, propstats=[ms.PropStat()]),
        ValueError,
        "both a status and propstats",
        id="both-forms",
    ),
    pytest.param(
        lambda: ms.Response(["/a", "/b"], propstats=[ms.PropStat()]),
        ValueError,
        "propstat form has one",
        id="propstat-two-hrefs",
    ),
    pytest.param(lambda: ms.Response("/a", status=102), ValueError, "1xx", id="1xx-response"),
    pytest.param(lambda: ms.PropStat(status=100), ValueError, "1xx", id="1xx-propstat"),
    pytest.param(lambda: ms.Response("/a", status=600), ValueError, "outside 100-599", id="status-600"),
    pytest.param(lambda: ms.Response("/a", status=True), TypeError, "int", id="bool-status"),
    pytest.param(
        lambda: ms.Response("/a", status="HTTP/1.1 OK"), ValueError, "not an HTTP status line", id="bad-status-line"
    ),
    pytest.param(lambda: ms.Response("   ", status=200), ValueError, "empty", id="blank-href"),
    pytest.param(lambda: ms.Response([], status=200), ValueError, "at least one href", id="no-hrefs"),
    pytest.param(lambda: ms.Response(status=200), TypeError, "needs an href", id="href-missing"),
    pytest.param(lambda: ms.Response("/a", hrefs=["/b"], status=200), TypeError, "not both", id="href-and-hrefs"),
    pytest.param(
        lambda: ms.Response("/a", status=301, location=" "), ValueError, "location cannot be empty", id="empty-location"
    ),
    pytest.param(
        lambda: ms.Response("/a", status=200, headers={"bad name": "1"}),
        ValueError,
        "bad header field name",
        id="header-name",
    ),
    pytest.param(
        lambda: ms.Response("/a", status=200, headers={"x": "a\r\nb"}),
        ValueError,
        "control character",
        id="header-crlf",
    ),
    pytest.param(
        lambda: ms.Response("/a", status=200, headers={"X": "1", "x": "2"}),
        ValueError,
        "given twice",
        id="header-twice",
    ),
    pytest.param(lambda: ms.Response("/a", status=200, headers={"x": 1}), TypeError, "str value", id="header-int"),
    pytest.param(
        lambda: ms.Response("/a", status=200, body={1: "x"}), TypeError, "keys must be str", id="body-int-key"
    ),
    pytest.param(
        lambda: ms.Response("/a", status=200, body=float("nan")), ValueError, "not a JSON number", id="body-nan"
    ),
    pytest.param(lambda: ms.Response("/a", status=200, body={1, 2}), TypeError, "not a JSON value", id="body-set"),
    pytest.param(
        lambda: ms.Response("/a", propstats=[ms.Property("{DAV:}x")]), TypeError, "PropStat", id="propstats-type"
    ),
    pytest.param(lambda: ms.Response("/a", status=200, error="oops"), TypeError, "Error", id="error-type"),
    pytest.param(lambda: ms.Response("/a", status=200, extensions=["x"]), TypeError, "Element", id="extension-type"),
    pytest.param(lambda: ms.MultiStatus(["/a"]), TypeError, "Response", id="responses-type"),
    pytest.param(lambda: ms.Property("getetag}"), ValueError, "not an XML local name", id="clark-stray-brace"),
    pytest.param(lambda: ms.Property("{DAV:getetag"), ValueError, "no closing brace", id="clark-unclosed"),
    pytest.param(lambda: ms.Property("{DAV:}"), ValueError, "not an XML local name", id="clark-empty-local"),
    pytest.param(lambda: ms.Property("{DAV:}1abc"), ValueError, "not an XML local name", id="clark-digit"),
    pytest.param(lambda: ms.Property("{a{b}c"), ValueError, "brace inside", id="clark-brace-in-ns"),
    pytest.param(lambda: ms.Property("{http://www.w3.org/2000/xmlns/}x"), ValueError, "reserved", id="clark-xmlns"),
    pytest.param(lambda: ms.Property("{\x01}x"), ValueError, "cannot carry", id="clark-bad-ns-char"),
    pytest.param(lambda: ms.Property(42), TypeError, "Clark notation", id="name-not-str"),
    pytest.param(lambda: ms.Property("{DAV:}x", "a\x00b"), ValueError, "XML 1.0 cannot carry", id="nul-in-value"),
    pytest.param(lambda: ms.Property("{DAV:}x", b"bytes"), TypeError, "must be None, a str", id="bytes-value"),
    pytest.param(lambda: ms.Property("{DAV:}x", 42), TypeError, "must be None, a str", id="int-value"),
    pytest.param(lambda: ms.Property("{DAV:}x", [42]), TypeError, "only str and Element", id="int-in-content"),
    pytest.param(
        lambda: ms.Property("{DAV:}x", "v", attributes={"{http://www.w3.org/XML/1998/namespace}lang": "de"}),
        ValueError,
        "lang=",
        id="lang-as-attribute",
    ),
    pytest.param(
        lambda: ms.Property("{DAV:}x", "v", attributes={"a": 1}), TypeError, "must be a str", id="attribute-int"
    ),
    pytest.param(lambda: ms.PropStat([("{DAV:}x", "v")]), TypeError, "Property values", id="propstat-tuple"),
    pytest.param(lambda: ms.Error([42]), TypeError, "Element or a name", id="condition-type"),
    pytest.param(  # (the readers take an element of the problem namespace for a problem member)
        lambda: ms.Error([ms.Element(f"{{{ms.PROBLEM_NS}}}code", [ms.Element("{urn:x}d", "why")])]),
        ValueError,
        "not in the problem namespace",
        id="condition-in-problem-ns",
    ),
    pytest.param(  # (the readers take ms:replayed for the response's replayed flag)
        lambda: ms.Response("/a", status=200, extensions=[ms.Element(f"{{{ms.NAMESPACE}}}replayed")]),
        ValueError,
        "is a part of a response, not an extension",
        id="replayed-as-extension",
    ),
    pytest.param(
        lambda: ms.Error(conditions=(), problem={"conditions": 1}),
        ValueError,
        "not a problem member",
        id="problem-conditions",
    ),
    pytest.param(
        lambda: ms.Response("/a", status=200, headers={"grüße": "1"}),
        ValueError,
        "bad header field name",
        id="header-non-ascii",
    ),
    pytest.param(lambda: ms.Error(**{"1x": "v"}), ValueError, "not usable as an XML element name", id="problem-key"),
    pytest.param(lambda: ms.Error(status="429"), ValueError, "must be an int", id="problem-status-str"),
    pytest.param(lambda: ms.Status(200, "a\nb"), ValueError, "one line", id="reason-newline"),
    pytest.param(lambda: ms.Status(200, 5), TypeError, "reason must be a str", id="reason-int"),
    pytest.param(lambda: ms.Status.of(2.0), TypeError, "status must be", id="status-float"),
]


@pytest.mark.parametrize(("build", "exc", "match"), INVALID)
def test_invalid_values_fail_at_construction(build: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        build()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("hrefs", "status", "clause"),
    [
        (["/a"], 200, "has both a status and propstats; RFC 4918 §14.24 allows one form"),
        (["/a", "/b"], None, "has propstats and 2 hrefs; the propstat form has one"),
    ],
)
def test_the_two_forms_are_one_rule_for_the_model_and_both_readers(
    hrefs: list[str], status: int | None, clause: str
) -> None:
    """RFC 4918 §14.24's forms: the constructor, from_xml and from_json refuse the same response alike."""
    xml_hrefs = "".join(f"<D:href>{h}</D:href>" for h in hrefs)
    xml_status = f"<D:status>HTTP/1.1 {status} OK</D:status>" if status else ""
    xml = (
        '<D:multistatus xmlns:D="DAV:"><D:response>'
        f"{xml_hrefs}<D:propstat><D:prop><D:getetag/></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat>"
        f"{xml_status}</D:response></D:multistatus>"
    )
    with pytest.raises(ValueError, match=clause):
        ms.Response(hrefs, status=status, propstats=[ms.PropStat([ms.Property("{DAV:}getetag")])])
    with pytest.raises(ms.ParseError, match=clause):
        ms.from_xml(xml.encode())
    if status is None:  # (a JSON response naming both members is refused by the JSON form's own, stricter rule)
        doc = {
            "responses": [{"href": hrefs[0], "additionalHrefs": hrefs[1:], "propstats": [{"status": 200, "props": {}}]}]
        }
        with pytest.raises(ms.ParseError, match=clause):
            ms.from_dict(doc)


# -- canonical forms --------------------------------------------------------------------
def test_empty_values_are_canonical_per_status_class() -> None:
    ok = ms.PropStat([ms.Property("{DAV:}a"), ms.Property("{DAV:}b", "")], 200)
    missing = ms.PropStat([ms.Property("{DAV:}a"), ms.Property("{DAV:}b", "")], 404)
    assert [p.value for p in ok.props] == ["", ""]
    assert [p.value for p in missing.props] == [None, None]


def test_content_normalisation() -> None:
    assert ms.Property("{DAV:}x", []).value == ""
    assert ms.Property("{DAV:}x", ["a", "", "b"]).value == "ab"
    assert ms.Property("{DAV:}x", E("{DAV:}y")).value == (E("{DAV:}y"),)
    assert E("{DAV:}x", ["a", "b", E("{DAV:}y"), "", "c"]).children == ("ab", E("{DAV:}y"), "c")
    assert ms.Property("x").name == "{}x" == ms.Property("{}x").name


def test_status_canonical_reason_and_aliases() -> None:
    assert ms.Status(200, "OK") == ms.Status(200)
    assert ms.Status(413, "Request Entity Too Large").reason is None
    assert ms.Status(424, "  (status)  ").reason == "(status)"
    assert ms.Status(200, "Very   Fine").line() == "HTTP/1.1 200 Very Fine"
    assert ms.Status(599).line() == "HTTP/1.1 599"
    assert int(ms.Status(404)) == 404
    assert ms.Status.of("HTTP/1.1 404 Not Found") is ms.Status.of(404)


def test_values_are_immutable_and_hashable() -> None:
    r = ms.Response("/a", status=200, headers={"etag": '"1"'}, body={"k": [1]})
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.status = ms.Status(404)  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.headers["etag"] = "x"  # type: ignore[index]
    assert r.body == {"k": (1,)}
    assert hash(r) == hash(ms.Response("/a", status=200, headers={"etag": '"1"'}, body={"k": [1]}))
    assert (
        len(
            {
                ms.Element("{DAV:}a", attributes={"x": "1", "y": "2"}),
                ms.Element("{DAV:}a", attributes={"y": "2", "x": "1"}),
            }
        )
        == 1
    )


def test_replace_makes_a_changed_copy() -> None:
    r = ms.Response("/a", status=200, id="1")
    changed = dataclasses.replace(r, status=ms.Status(409))
    assert changed.status == ms.Status(409)
    assert changed.id == "1"
    assert r.status == ms.Status(200)


def test_values_pickle() -> None:
    doc = ms.MultiStatus(
        [ms.Response("/a", propstats=[ms.PropStat({"{DAV:}x": [E("{DAV:}y", ["t"])]}, error=ms.Error(code="c"))])],
        sync_token="t",
    )
    assert pickle.loads(pickle.dumps(doc)) == doc


def test_reprs_are_readable_and_evaluable() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response(
                ["/a", "/b"], status=ms.Status(424, "(status)"), error=ms.Error(["{DAV:}lock-token-submitted"])
            ),
            ms.Response("/c", propstats=[ms.PropStat([ms.Property("{DAV:}d", "v", lang="de")], 200, description="x")]),
        ],
        sync_token="tok",
    )
    text = repr(doc)
    assert text.startswith("MultiStatus([Response(['/a', '/b'], status=Status(424, '(status)'), error=Error([Element(")
    namespace = {name: getattr(ms, name) for name in ms.__all__}
    namespace["Status"] = ms.Status
    assert eval(text, namespace) == doc
    assert repr(ms.Error(code="x")) == "Error(problem={'code': 'x'})"
    assert repr(ms.Property("{DAV:}x", attributes={"a": "1"})) == "Property('{DAV:}x', attributes={'{}a': '1'})"


# -- derived views -----------------------------------------------------------------------
def test_outcomes_and_summary() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/ok", status=201),
            ms.Response("/bad", status=409),
            ms.Response("/mixed", propstats=[ms.PropStat({"{DAV:}a": "1"}), ms.PropStat({"{DAV:}b": None}, 404)]),
            ms.Response("/moved", status=301, location="/new"),
            ms.Response("/bare"),
        ]
    )
    assert [r.outcome for r in doc] == ["succeeded", "failed", "partial", "other", "other"]
    s = doc.summary
    assert (s.total, s.succeeded, s.failed, s.partial, s.other) == (5, 1, 1, 1, 2)
    assert dict(s.by_status) == {200: 1, 201: 1, 301: 1, 404: 1, 409: 1}
    assert not s.truncated
    assert not s.all_succeeded
    assert [r.href for r in doc.failed()] == ["/bad"]
    assert [r.href for r in doc.succeeded()] == ["/ok"]
    assert [r.href for r in doc.partial()] == ["/mixed"]
    assert [r.href for r in doc] == ["/ok", "/bad", "/mixed", "/moved", "/bare"]


def test_truncated_sync_collection_is_summarised() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/cal/1.ics", propstats=[ms.PropStat({"{DAV:}getetag": '"1"'})]),
            ms.Response("/cal/", status=507, error=ms.Error(["{DAV:}number-of-matches-within-limits"])),
        ],
        sync_token="http://example.com/sync/12",
    )
    assert doc.summary.truncated
    assert ms.MultiStatus([ms.Response("/x", status=507)]).summary.truncated is False


def test_property_access_across_propstats() -> None:
    r = ms.Response(
        "/a",
        propstats=[
            ms.PropStat({"{DAV:}getetag": '"1"', "{DAV:}owner": [E("{DAV:}href", "/u/jane")]}),
            ms.PropStat({"{urn:x}color": None}, 404),
        ],
    )
    assert r.prop("{DAV:}getetag").value == '"1"'  # type: ignore[union-attr]
    assert r.prop("{DAV:}owner").text == "/u/jane"  # type: ignore[union-attr]
    assert r.prop("{urn:x}color") is None
    found = r.find("{urn:x}color")
    assert found is not None
    assert found[1].status.code == 404
    assert r.find("{urn:x}nothing") is None
    assert r.propstats[0].names == ("{DAV:}getetag", "{DAV:}owner")
    assert ms.Property("{DAV:}x").text is None
    assert ms.Property("{DAV:}x", "t").children == ()


def test_error_members() -> None:
    e = ms.Error(["{DAV:}no-conflicting-lock"], {"type": "https://e.x/t", "detail": "d"}, code="conflict")
    assert e.condition_names == ("{DAV:}no-conflicting-lock",)
    assert (e.code, e.message, e.type) == ("conflict", "d", "https://e.x/t")
    assert ms.Error(title="T").message == "T"
    assert not ms.Error()
    assert ms.Error(code="x")
    lock = E("{DAV:}lock-token-submitted", [E("{DAV:}href", "/l")])
    assert lock.find("{DAV:}href") == E("{DAV:}href", "/l")
    assert lock.find("{DAV:}other") is None
    assert lock.elements == (E("{DAV:}href", "/l"),)


def test_frozen_map_behaves_like_a_read_only_dict() -> None:
    m = ms.FrozenMap({"a": 1})
    assert m == {"a": 1}
    assert m == ms.FrozenMap({"a": 1})
    assert m != ["a"]
    assert "a" in m
    assert len(m) == 1
    assert list(m) == ["a"]
    assert m.to_dict() == {"a": 1}
    assert repr(m) == "{'a': 1}"
    assert list(m.items()) == [("a", 1)]
    assert list(m.keys()) == ["a"]
    assert list(m.values()) == [1]
    assert m.get("a") == 1
    assert m.get("b") is None
    assert m.get("b", 2) == 2
    assert m.items() == {("a", 1)}  # (views compare as sets, as a dict's do)
    view = m.items().mapping  # the views lead back to a read-only mapping only
    with pytest.raises(TypeError):
        view["b"] = 2  # type: ignore[index]
    assert m == {"a": 1}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: ms.Error(problem={"detail": "path /a\x00b"}), id="problem-text-nul"),
        pytest.param(lambda: ms.Error(code="bad\x1b[31m"), id="problem-text-escape"),
        pytest.param(lambda: ms.Error(problem={"detail": "x\ufffe"}), id="problem-text-fffe"),
        pytest.param(lambda: ms.Error(problem={"errors": [{"at": "\uffff"}]}), id="problem-json-ffff"),
        pytest.param(lambda: ms.Response("/a", status=200, headers={"etag": '"a\x01"'}), id="header-control"),
        pytest.param(lambda: ms.Response("/a", status=200, body={"k\ufffe": 1}), id="body-key-fffe"),
        pytest.param(lambda: ms.Response("/a", status=200, body=["\uffff"]), id="body-ffff"),
    ],
)
def test_values_the_xml_form_cannot_carry_are_refused(make: Callable[[], object]) -> None:
    """Otherwise to_xml writes an ill-formed document that from_xml refuses."""
    with pytest.raises(ValueError, match=r"XML 1\.0 cannot carry"):
        make()


def test_control_characters_in_json_text_are_kept() -> None:
    """body and structured problem members go into XML as JSON text, where controls are escaped."""
    error = ms.Error(problem={"errors": ["a\x00b"]})
    doc = ms.MultiStatus([ms.Response("/a", status=409, body={"k": "\x01"}, error=error)])
    assert ms.from_xml(ms.to_xml(doc)) == doc
    assert ms.from_json(ms.to_json(doc)) == doc


def test_a_propstat_from_a_mapping_names_the_property_a_bad_value_belongs_to() -> None:
    with pytest.raises(ValueError, match=r"value of \{DAV:\}displayname holds '\\x00'"):
        ms.PropStat({"{DAV:}getetag": '"1"', "{DAV:}displayname": "a\x00b"})


def test_a_propstat_from_a_mapping_keeps_the_canonical_empty_value() -> None:
    """Empty element content is "" under 2xx and None (a name only) under any other status."""
    assert ms.PropStat({"{DAV:}x": []}).props[0].value == ""
    assert ms.PropStat({"{DAV:}x": []}, 404).props[0].value is None
    assert ms.PropStat({"{DAV:}x": ""}, 404).props[0].value is None
    assert ms.PropStat({"{DAV:}x": None}).props[0].value == ""


def test_a_replayed_response_says_so_in_its_repr() -> None:
    replayed = ms.Response("/items/1", status=201, replayed=True)
    assert repr(replayed) == "Response('/items/1', status=Status(201), replayed=True)"
    assert eval(repr(replayed), {"Response": ms.Response, "Status": ms.Status}) == replayed
    assert "replayed" not in repr(ms.Response("/items/1", status=201))


def test_an_href_of_a_str_subclass_is_one_href_stripped() -> None:
    class Href(str):
        pass

    assert ms.Response(Href(" /items/1 "), status=200).hrefs == ("/items/1",)


@pytest.mark.parametrize(
    ("members", "message"),
    [
        pytest.param({"hrefs": ["/a", 3]}, "href must be a str, not int", id="href"),
        pytest.param({"href": "/a", "description": 5}, "responsedescription must be a str, not int", id="description"),
        pytest.param({"href": "/a", "id": 7}, "id must be a str, not int", id="id"),
        pytest.param({"href": "/a", "location": b"/b"}, "location must be a str, not bytes", id="location"),
    ],
)
def test_a_text_member_that_is_not_a_str_is_named(members: dict[str, object], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        ms.Response(status=200, **members)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        pytest.param(lambda: ms.Status("200"), TypeError, "status code must be an int, not str", id="status-str"),
        pytest.param(lambda: ms.Status(True), TypeError, "status code must be an int, not bool", id="status-bool"),
        pytest.param(
            lambda: E("{x}a", attributes=[("a", "b")]), TypeError, "attributes must be a mapping", id="attributes"
        ),
        pytest.param(
            lambda: ms.Response("/a", status=200, body={"\ud800": 1}),
            ValueError,
            "lone surrogate in an object key",
            id="body-key",
        ),
    ],
)
def test_values_refused_with_what_was_wrong(build: Callable[[], object], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build()
