"""Content negotiation (RFC 9110 §12.5.1) and the endpoint default."""

from __future__ import annotations

import pickle

import pytest
from werkzeug.datastructures import MIMEAccept

import multistatus as ms
from multistatus._http import _negotiation

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
    assert ms.negotiate("application/json") == J
    assert calls == ["application/json"]


def test_accept_parsing_seam_without_from_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(MIMEAccept, "from_header", raising=False)
    assert isinstance(_negotiation._parse_accept("text/html"), MIMEAccept)


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
