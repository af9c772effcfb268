"""validate() and strict mode: the RFC 4918 rules for producers, with lines and paths."""

from __future__ import annotations

import pytest

import multistatus as ms
from tests.conftest import Case, multistatus_cases


def doc(inner: str) -> bytes:
    return ('<?xml version="1.0"?>\n<D:multistatus xmlns:D="DAV:">\n' + inner + "\n</D:multistatus>").encode()


OK = "<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"

VIOLATIONS = [
    pytest.param(OK + "\n" + OK, "duplicate-href", 4, id="duplicate-href"),
    pytest.param(OK + "\n" + OK.replace("/a", "/%61/"), "duplicate-href", 4, id="duplicate-href-as-servers-mean-it"),
    pytest.param(OK + "\n" + OK.replace("/a", "http://example.com/b"), "mixed-href-style", 2, id="mixed-href-style"),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status>"
        "<D:propstat><D:prop/><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
        "both-forms",
        3,
        id="both-forms",
    ),
    pytest.param("<D:response><D:href>/a</D:href></D:response>", "no-status", 3, id="href-only"),
    pytest.param("<D:response><D:status>HTTP/1.1 200 OK</D:status></D:response>", "missing-href", 3, id="missing-href"),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:href>/b</D:href>"
        "<D:propstat><D:prop/><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
        "multiple-hrefs-with-propstat",
        3,
        id="multiple-hrefs-with-propstat",
    ),
    pytest.param(OK.replace("200 OK", "302 Found"), "redirect-without-location", 3, id="3xx-without-location"),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop><D:getetag/></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
        "</D:propstat><D:propstat><D:prop><D:getetag/></D:prop><D:status>HTTP/1.1 404 Not Found</D:status>"
        "</D:propstat></D:response>",
        "duplicate-property",
        3,
        id="property-twice",
    ),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop>oops<D:getetag/></D:prop>"
        "<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
        "text-in-prop",
        3,
        id="text-in-prop",
    ),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:status>HTTP/1.1 423 Locked</D:status><D:error>locked!</D:error></D:response>",
        "text-in-error",
        3,
        id="text-in-error",
    ),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop/><D:status>HTTP/1.1 409 Conflict</D:status>"
        "<D:error><D:x/>tail</D:error></D:propstat></D:response>",
        "text-in-error",
        3,
        id="text-in-propstat-error",
    ),
    pytest.param("text" + OK, "text-in-multistatus", 2, id="text-in-multistatus"),
    pytest.param(OK.replace("<D:status>", "x<D:status>"), "text-in-response", 3, id="text-in-response"),
    pytest.param(OK.replace("HTTP/1.1 200 OK", "200"), "status-line", 3, id="bare-status-code"),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop/><D:status>HTTP/2 200</D:status></D:propstat></D:response>",
        "status-line",
        3,
        id="propstat-status-line",
    ),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>",
        "missing-prop",
        3,
        id="missing-prop",
    ),
    pytest.param(
        "<D:response><D:href>/a</D:href><D:propstat><D:prop/></D:propstat></D:response>",
        "no-status",
        3,
        id="propstat-no-status",
    ),
    pytest.param(
        "<D:response><D:status>HTTP/1.1 200 OK</D:status><D:href>/a</D:href></D:response>",
        "element-order",
        3,
        id="status-before-href",
    ),
]


@pytest.mark.parametrize(("inner", "code", "line"), VIOLATIONS)
def test_each_rule_is_reported_with_its_line(inner: str, code: str, line: int) -> None:
    violations = ms.validate(doc(inner))
    assert code in [v.code for v in violations]
    found = next(v for v in violations if v.code == code)
    assert found.line == line
    assert found.path is not None
    assert found.path.startswith("/D:multistatus")
    assert str(found).startswith(f"line {line}: {code}: ")


@pytest.mark.parametrize(("inner", "code", "line"), VIOLATIONS)
def test_strict_mode_raises_every_violation(inner: str, code: str, line: int) -> None:
    with pytest.raises(ms.ValidationError) as info:
        ms.from_xml(doc(inner), strict=True)
    assert code in [v.code for v in info.value.violations]
    assert isinstance(info.value, ms.ParseError)


def test_strict_mode_message_counts_the_rest() -> None:
    with pytest.raises(ms.ValidationError, match=r"duplicate-href: .* \(and 1 more violation\)"):
        ms.from_xml(doc(OK + OK + OK.replace("200 OK", "200")), strict=True)
    with pytest.raises(ms.ValidationError, match=r"\(and 2 more violations\)"):
        ms.from_xml(doc(OK + OK + OK + OK), strict=True)


def test_clean_document_has_no_violations() -> None:
    assert ms.validate(doc(OK)) == []
    assert ms.from_xml(doc(OK), strict=True) == ms.MultiStatus([ms.Response("/a", status=200)])


def test_wrong_root_is_a_violation() -> None:
    [v] = ms.validate(b'<D:error xmlns:D="DAV:"/>')
    assert v.code == "not-multistatus"


def test_validate_a_model_reports_without_lines() -> None:
    built = ms.MultiStatus([ms.Response("/a", status=200), ms.Response("/a/", status=404)])
    [v] = ms.validate(built)
    assert (v.code, v.line) == ("duplicate-href", None)
    assert ms.validate(ms.MultiStatus([ms.Response("/a", status=302, location="/b")])) == []


def test_our_own_output_is_always_clean_for_clean_models() -> None:
    built = ms.MultiStatus(
        [
            ms.Response("/a", propstats=[ms.PropStat({"{DAV:}getetag": '"1"'}), ms.PropStat({"{DAV:}x": None}, 404)]),
            ms.Response(["/b", "/c"], status=423, error=ms.Error(["{DAV:}lock-token-submitted"])),
        ]
    )
    assert ms.validate(ms.to_xml(built)) == []


@pytest.mark.parametrize("case", multistatus_cases())
def test_corpus_bodies_validate_without_crashing(case: Case) -> None:
    """Real servers break some rules (WsgiDAV's href-only propname answer); none crash the validator."""
    violations = ms.validate(case.body())
    codes = {v.code for v in violations}
    if case.server == "wsgidav" and case.name.startswith("03-"):
        assert "no-status" in codes
    assert all(v.line is not None for v in violations)


def test_strict_reading_skips_comments_and_processing_instructions_in_prop() -> None:
    prop = "<D:prop><!-- c --><D:getetag>x</D:getetag><?pi?><!-- d --><D:getetag>x</D:getetag></D:prop>"
    inner = f"<D:response><D:href>/a</D:href><D:propstat>{prop}<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
    with pytest.raises(ms.ValidationError) as info:  # the repeat is still seen, past the comment between
        ms.from_xml(doc(inner), strict=True)
    assert [v.code for v in info.value.violations] == ["duplicate-property"]
    once = inner.replace("<!-- d --><D:getetag>x</D:getetag>", "")
    assert ms.from_xml(doc(once), strict=True).responses[0].prop("{DAV:}getetag").value == "x"  # type: ignore[union-attr]
