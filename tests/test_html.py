"""The text/html page: readable, complete, and escaped."""

from __future__ import annotations

import html.parser

import pytest

import multistatus as ms

HOSTILE = '<script>alert("x")</script>'


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: bytes) -> _Collector:
    parser = _Collector()
    parser.feed(page.decode("utf-8"))
    return parser


def test_page_lists_items_statuses_codes_messages_and_summary() -> None:
    doc = ms.MultiStatus(
        [
            ms.Response("/items/1", status=201, id="1"),
            ms.Response("/items/3", status=429, id="3", error=ms.Error(code="rate_limited", message="Retry later.")),
            ms.Response("/dav/x", status=423, error=ms.Error(["{DAV:}lock-token-submitted"])),
            ms.Response(
                "/dav/a", propstats=[ms.PropStat({"{DAV:}getetag": '"1"'}), ms.PropStat({"{DAV:}owner": None}, 404)]
            ),
            ms.Response("/moved", status=301, location="/new", description="moved away"),
        ],
        description="Batch of five",
        sync_token="http://example.com/sync/1",
    )
    page = ms.to_html(doc, title="Bulk result")
    text = "".join(parse(page).text)
    for expected in (
        "Bulk result",
        "Batch of five",
        "/items/3",
        "429 Too Many Requests",
        "rate_limited",
        "Retry later.",
        "{DAV:}lock-token-submitted",
        '{DAV:}getetag = "1"',
        "{DAV:}owner",
        "moved away",
        "5 items: 1 succeeded, 2 failed, 1 partial, 1 other",
        "http://example.com/sync/1",
    ):
        assert expected in text, expected
    assert parse(page).tags.count("tr") == 6  # header + five items
    assert page.startswith(b"<!DOCTYPE html>")


def test_truncated_results_are_said() -> None:
    cond = ms.Error(["{DAV:}number-of-matches-within-limits"])
    page = ms.to_html(ms.MultiStatus([ms.Response("/r", status=507, error=cond)]))
    assert b"left results out" in page


@pytest.mark.parametrize(
    "place",
    ["href", "id", "message", "code", "value", "description", "title", "status-reason"],
)
def test_everything_from_the_document_is_escaped(place: str) -> None:
    kwargs: dict[str, object] = {}
    title = "Multi-Status"
    if place == "href":
        response = ms.Response(f"/items/{HOSTILE}", status=200)
    elif place == "id":
        response = ms.Response("/a", status=200, id=HOSTILE)
    elif place in ("message", "code"):
        response = ms.Response("/a", status=400, error=ms.Error(**{place: HOSTILE}))
    elif place == "value":
        response = ms.Response("/a", propstats=[ms.PropStat({"{DAV:}displayname": HOSTILE})])
    elif place == "status-reason":
        response = ms.Response("/a", status=ms.Status(400, HOSTILE))
    else:
        response = ms.Response("/a", status=200)
        if place == "description":
            kwargs["description"] = HOSTILE
        else:
            title = HOSTILE
    page = ms.to_html(ms.MultiStatus([response], **kwargs), title=title)  # type: ignore[arg-type]
    assert b"<script" not in page
    assert "script" not in parse(page).tags
    assert HOSTILE in "".join(parse(page).text)


def test_attribute_context_quotes_escaped() -> None:
    page = ms.to_html(ms.MultiStatus([ms.Response('/a"onmouseover="x', status=200)]))
    assert b'"onmouseover' not in page


def test_refuses_non_documents() -> None:
    with pytest.raises(TypeError, match="to_html"):
        ms.to_html("<multistatus/>")  # type: ignore[arg-type]
