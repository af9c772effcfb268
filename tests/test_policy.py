"""Status policies, Prefer / Brief parsing and return=minimal."""

from __future__ import annotations

import pytest

import multistatus as ms

OK = ms.Response("/items/1", status=201)
OK2 = ms.Response("/items/2", status=201)
BAD = ms.Response("/items/3", status=422)
LOCKED = ms.Response(["/c/a", "/c/b"], status=423)
PROPS = ms.Response(
    "/dav/a.txt",
    propstats=[ms.PropStat({"{DAV:}getetag": '"1"'}), ms.PropStat({"{http://example.com/ns}color": None}, 404)],
)
ONLY_404 = ms.Response("/dav/b.txt", propstats=[ms.PropStat({"{DAV:}owner": None}, 404)])


def doc(*responses: ms.Response) -> ms.MultiStatus:
    return ms.MultiStatus(responses)


@pytest.mark.parametrize(
    ("document", "policy", "method", "expected"),
    [
        pytest.param(doc(OK, BAD), "always-207", None, 207, id="always-207"),
        pytest.param(doc(OK, OK2), "always-207", None, 207, id="always-207-even-all-ok"),
        pytest.param(doc(OK, OK2), "200-if-all-succeeded", "POST", 200, id="200-all-ok"),
        pytest.param(doc(OK, BAD), "200-if-all-succeeded", "POST", 207, id="200-partial"),
        pytest.param(doc(), "200-if-all-succeeded", "POST", 207, id="200-empty"),
        pytest.param(doc(OK, OK2), "collapse-uniform", "POST", 201, id="collapse-uniform-201"),
        pytest.param(doc(BAD), "collapse-uniform", "POST", 422, id="collapse-single-item"),
        pytest.param(doc(LOCKED), "collapse-uniform", "DELETE", 423, id="collapse-delete-total-failure"),
        pytest.param(doc(OK, BAD), "collapse-uniform", "POST", 207, id="collapse-mixed"),
        pytest.param(doc(), "collapse-uniform", "POST", 207, id="collapse-empty"),
        pytest.param(doc(ms.Response("/a", status=204)), "collapse-uniform", "DELETE", 207, id="collapse-not-204"),
        pytest.param(doc(ms.Response("/a", status=401)), "collapse-uniform", None, 207, id="collapse-not-401"),
        pytest.param(doc(ms.Response("/a", status=301)), "collapse-uniform", None, 207, id="collapse-not-3xx"),
        pytest.param(doc(PROPS), "collapse-uniform", None, 207, id="collapse-propstat-form"),
        pytest.param(doc(OK, BAD), "always-200", "POST", 200, id="always-200"),
        pytest.param(doc(OK), "always-200", "PROPFIND", 207, id="propfind-always-207"),
        pytest.param(doc(OK), "collapse-uniform", "report", 207, id="report-always-207"),
    ],
)
def test_choose_status(document: ms.MultiStatus, policy: str, method: str | None, expected: int) -> None:
    assert ms.choose_status(document, policy, method=method) == expected


def test_policies_listed_default_first() -> None:
    assert ms.POLICIES == ("always-207", "200-if-all-succeeded", "collapse-uniform", "always-200")


def test_unknown_policy() -> None:
    with pytest.raises(ValueError, match="unknown status policy 'sometimes-207'"):
        ms.choose_status(doc(OK), "sometimes-207")


def test_minimal_proppatch_success_is_204() -> None:
    patched = doc(ms.Response("/a", propstats=[ms.PropStat({"{DAV:}displayname": None})]))
    minimal = ms.parse_prefer("return=minimal")
    assert ms.choose_status(patched, method="PROPPATCH", prefs=minimal) == 204
    assert ms.choose_status(patched, method="PROPPATCH", prefs=ms.Preferences()) == 207
    failed = doc(ms.Response("/a", propstats=[ms.PropStat({"{DAV:}displayname": None}, 403)]))
    assert ms.choose_status(failed, method="PROPPATCH", prefs=minimal) == 207


@pytest.mark.parametrize(
    ("prefer", "brief", "return_", "minimal", "other"),
    [
        pytest.param(None, None, None, False, {}, id="nothing"),
        pytest.param("return=minimal", None, "minimal", True, {}, id="minimal"),
        pytest.param("RETURN=Minimal", None, "minimal", True, {}, id="case-insensitive"),
        pytest.param('return="minimal"', None, "minimal", True, {}, id="quoted"),
        pytest.param("return=representation", "t", "representation", False, {}, id="prefer-beats-brief"),
        pytest.param(None, "t", None, True, {}, id="brief-t"),
        pytest.param(None, " T ", None, True, {}, id="brief-T"),
        pytest.param(None, "f", None, False, {}, id="brief-f"),
        pytest.param("return=minimal, return=representation", None, "minimal", True, {}, id="first-wins"),
        pytest.param("return=everything", None, None, False, {}, id="unknown-return-ignored"),
        pytest.param(
            'respond-async, wait=10; x="a,b;c", handling=lenient',
            None,
            None,
            False,
            {"respond-async": "", "wait": "10", "handling": "lenient"},
            id="others-kept-quoted-params",
        ),
        pytest.param(
            'x="unterminated, return=minimal', None, None, False, {}, id="unterminated-quote-swallows-the-rest"
        ),
        pytest.param(r'x="a\"b", return=minimal', None, "minimal", True, {"x": 'a"b'}, id="escaped-quote"),
        pytest.param(" , ,;", None, None, False, {}, id="empty-items"),
    ],
)
def test_parse_prefer(
    prefer: str | None, brief: str | None, return_: str | None, minimal: bool, other: dict[str, str]
) -> None:
    prefs = ms.parse_prefer(prefer, brief)
    assert prefs.return_ == return_
    assert prefs.minimal is minimal
    assert dict(prefs.other) == other


def test_apply_prefer_drops_404_propstats() -> None:
    document = doc(PROPS, ONLY_404, BAD)
    small = ms.apply_prefer(document, ms.parse_prefer("return=minimal"), method="PROPFIND")
    first, second, third = small.responses
    assert [ps.status.code for ps in first.propstats] == [200]
    assert first.propstats[0].names == ("{DAV:}getetag",)
    # Nothing left: an empty 200 propstat keeps the response valid.
    assert [(ps.status.code, ps.props) for ps in second.propstats] == [(200, ())]
    assert third is BAD  # status-form items are never dropped
    assert ms.validate(small) == []


def test_apply_prefer_leaves_documents_alone_when_nothing_to_do() -> None:
    document = doc(PROPS)
    assert ms.apply_prefer(document, ms.Preferences()) is document
    assert ms.apply_prefer(document, ms.parse_prefer("return=minimal"), method="PROPPATCH") is document
    plain = doc(OK, ms.Response("/x", propstats=[ms.PropStat({"{DAV:}getetag": '"2"'})]))
    assert ms.apply_prefer(plain, ms.parse_prefer(None, "t")) is plain
