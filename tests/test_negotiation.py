"""Content negotiation (RFC 9110 §12.5.1) and the endpoint default."""

from __future__ import annotations

import pickle
import uuid

import pytest
from werkzeug.datastructures import MIMEAccept

import multistatus as ms

X, J, H, T = "application/xml", "application/json", "text/html", "text/xml"


@pytest.mark.parametrize(
    ("accept", "default", "expected"),
    [
        pytest.param(None, None, X, id="no-accept-first-offer"),
        pytest.param("", J, J, id="blank-accept-default"),
        pytest.param("*/*", J, J, id="star-star-default-json"),
        pytest.param("*/*", X, X, id="star-star-default-xml"),
        pytest.param("application/json", X, J, id="exact-json"),
        pytest.param("application/xml", J, X, id="exact-xml"),
        pytest.param("application/*", J, J, id="subtype-wildcard-keeps-default"),
        pytest.param("application/*", H, X, id="subtype-wildcard-server-order"),
        pytest.param("text/*", X, H, id="text-wildcard-prefers-html-over-text-xml"),
        pytest.param("application/json;q=0.5, application/xml;q=0.9", J, X, id="q-values"),
        pytest.param("application/json;q=0.9, */*;q=0.1", X, J, id="q-beats-default"),
        pytest.param("*/*, application/json", X, J, id="specific-range-beats-wildcard-on-tie"),
        pytest.param("application/xml;q=0, */*", X, J, id="q0-excludes-default"),
        pytest.param("application/xml;q=0, application/json;q=0, */*", X, H, id="q0-excludes-two"),
        pytest.param("text/xml", X, T, id="text-xml-alone"),
        pytest.param("text/xml, application/xml", J, X, id="text-xml-tie-loses"),
        pytest.param("application/xml, text/xml", J, X, id="text-xml-tie-loses-either-order"),
        pytest.param("text/xml;q=1, application/xml;q=0.9", X, T, id="text-xml-strictly-preferred"),
        pytest.param("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", J, H, id="browser"),
        pytest.param("application/json, text/plain, */*", X, J, id="axios"),
        pytest.param('application/xml; charset="UTF-8"', J, X, id="utf8-charset-param-ignored"),
        pytest.param("application/xml; charset=latin-1", J, J, id="other-charset-does-not-match"),
        pytest.param("image/png", J, J, id="unknown-type-lenient-default"),
        pytest.param("nonsense, */json", X, X, id="garbage-lenient-default"),
        pytest.param("application/json;q=2", X, X, id="invalid-q-ignored"),
        pytest.param("APPLICATION/JSON", X, J, id="case-insensitive"),
    ],
)
def test_negotiate_table(accept: str | None, default: str | None, expected: str) -> None:
    assert ms.negotiate(accept, default=default) == expected


@pytest.mark.parametrize(
    "accept",
    [
        pytest.param("image/png", id="unknown"),
        pytest.param("*/*;q=0", id="star-q0"),
        pytest.param("application/*;q=0, text/*;q=0", id="all-excluded"),
    ],
)
def test_strict_raises_not_acceptable(accept: str) -> None:
    with pytest.raises(ms.NotAcceptable) as info:
        ms.negotiate(accept, strict=True)
    assert info.value.status_hint == 406
    assert info.value.available == ms.MEDIA_TYPES
    assert isinstance(info.value, ms.MultiStatusError)
    assert accept in str(info.value)
    clone = pickle.loads(pickle.dumps(info.value))
    assert clone.available == info.value.available


def test_strict_still_answers_acceptable_and_absent() -> None:
    assert ms.negotiate("application/json", strict=True) == J
    assert ms.negotiate(None, strict=True, default=J) == J


def test_custom_offers_and_order() -> None:
    assert ms.negotiate("*/*", offers=[J, X]) == J
    assert ms.negotiate("application/*", offers=["application/problem+json", J]) == "application/problem+json"
    # text/xml never wins a tie with application/xml, even when offered first ...
    assert ms.negotiate("text/xml, application/xml", offers=[J, T, X]) == X
    # ... unless the endpoint made it its default.
    assert ms.negotiate("*/*", offers=[X, T], default=T) == T


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"offers": []}, ValueError, id="no-offers"),
        pytest.param({"offers": "application/xml"}, TypeError, id="str-offers"),
        pytest.param({"offers": ["xml"]}, ValueError, id="no-slash"),
        pytest.param({"offers": ["application/*"]}, ValueError, id="wildcard-offer"),
        pytest.param({"offers": ["Application/XML"]}, ValueError, id="upper-case-offer"),
        pytest.param({"offers": [42]}, TypeError, id="non-str-offer"),
        pytest.param({"default": "text/plain"}, ValueError, id="default-not-offered"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        ms.negotiate("*/*", **kwargs)  # type: ignore[arg-type]


def test_accept_parsing_seam_uses_from_header_when_werkzeug_has_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """werkzeug 3.2 has MIMEAccept.from_header; the private seam must prefer it."""
    from werkzeug.http import parse_accept_header

    calls: list[str] = []

    def from_header(value: str) -> MIMEAccept:
        calls.append(value)
        return parse_accept_header(value, MIMEAccept)

    monkeypatch.setattr(MIMEAccept, "from_header", from_header, raising=False)
    accept = f"application/json, x-never-seen/{uuid.uuid4().hex};q=0.1"  # not answered from memory
    assert ms.negotiate(accept) == J
    assert calls == [accept]


@pytest.mark.filterwarnings("ignore:.*parse_accept_header:DeprecationWarning")  # (werkzeug 3.2 made to look like 3.1)
def test_accept_parsing_seam_without_from_header(monkeypatch: pytest.MonkeyPatch) -> None:
    """werkzeug 3.1 has no MIMEAccept.from_header; negotiation still parses with parse_accept_header."""
    monkeypatch.delattr(MIMEAccept, "from_header", raising=False)
    accept = f"text/html, x-never-seen/{uuid.uuid4().hex};q=0.1"  # not answered from memory
    assert ms.negotiate(accept, offers=(X, H)) == H


@pytest.mark.parametrize(
    ("method", "content_type", "expected"),
    [
        pytest.param(None, None, X, id="nothing"),
        pytest.param("PROPFIND", None, X, id="propfind"),
        pytest.param("propfind", "application/json", X, id="webdav-method-wins"),
        pytest.param("POST", "application/json", J, id="json-body"),
        pytest.param("POST", "application/merge-patch+json; charset=utf-8", J, id="json-suffix"),
        pytest.param("POST", "application/xml", X, id="xml-body"),
        pytest.param("POST", "text/plain", X, id="other-body"),
        pytest.param("DELETE", None, X, id="delete"),
        pytest.param("POST", "image/json", X, id="not-application"),
    ],
)
def test_default_media_type(method: str | None, content_type: str | None, expected: str) -> None:
    assert ms.default_media_type(method, content_type) == expected


# -- decisions remembered: the same answer every time, for any input -----------------------


def test_repeated_negotiation_gives_the_same_answers() -> None:
    for _ in range(3):
        assert ms.negotiate("application/json;q=0.5, application/xml;q=0.4") == J
        assert ms.negotiate("*/*", offers=[J, X]) == J
        assert ms.negotiate("*/*", offers=(X, J)) == X  # the offers are part of the question
        assert ms.negotiate("*/*", default=J) == J
        assert ms.negotiate("*/*", default=X) == X  # and so is the default
        assert ms.negotiate("image/png", offers=[J, X]) == J  # nothing acceptable: the first offer
        assert ms.negotiate("image/png", offers=[J, X], default=X) == X
        assert ms.negotiate(None, offers=[H, J]) == H
        assert ms.negotiate("   ", default=T) == T


def test_strict_raises_every_time_with_its_own_exception() -> None:
    raised = []
    for _ in range(3):
        with pytest.raises(ms.NotAcceptable) as info:
            ms.negotiate("image/gif", offers=[J, X], strict=True)
        assert info.value.available == (J, X)
        assert info.value.accept == "image/gif"
        raised.append(info.value)
    assert len({id(exc) for exc in raised}) == 3
    assert ms.negotiate("image/gif", offers=[J, X]) == J  # the lenient answer to the same question


def test_bad_arguments_are_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="not a lower-case"):
            ms.negotiate("*/*", offers=["xml"])
        with pytest.raises(TypeError, match="offer must be a str"):
            ms.negotiate("*/*", offers=[[J]])  # type: ignore[list-item]
        with pytest.raises(TypeError, match="default must be a str"):
            ms.negotiate("*/*", default=[J])  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="not one of the offers"):
            ms.negotiate("application/json", offers=[X], default=J)


def test_more_distinct_accept_values_than_remembered() -> None:
    values = [f"application/json;q=0.5, application/xml;q=0.4, x-test/t{i}" for i in range(3 * 256)]
    for _ in range(2):
        for value in values:
            assert ms.negotiate(value) == J
    assert ms.negotiate("text/xml") == T


def test_very_long_accept_values() -> None:
    long_json = ", ".join([f"x-test/t{i};q=0.1" for i in range(200)] + ["application/json"])
    long_none = ", ".join(f"x-test/t{i}" for i in range(200))
    assert len(long_json) > 2000
    for _ in range(2):
        assert ms.negotiate(long_json) == J
        assert ms.negotiate(long_none, default=J) == J
        with pytest.raises(ms.NotAcceptable):
            ms.negotiate(long_none, strict=True)


def test_absent_prefer_and_brief_are_no_preference() -> None:
    assert ms.parse_prefer(None) == ms.Preferences()
    assert ms.parse_prefer(None, None).minimal is False
    assert ms.parse_prefer(None, "t").minimal is True
    assert ms.parse_prefer("", None) == ms.Preferences()
