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
        "D:lock-token-submitted",
        'D:getetag = "1"',
        "404 Not Found: D:owner",
        "moved away",
        "Location: /new",
        "5 items: 2 succeeded (1 with properties not found), 2 failed, 0 partial, 1 other",
        "http://example.com/sync/1",
    ):
        assert expected in text, expected
    assert parse(page).tags.count("tr") == 6  # header + five items
    assert "D:DAV:" in text  # the names key
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


def _doc() -> ms.MultiStatus:
    return ms.MultiStatus(
        [
            ms.Response("/dav/", propstats=[ms.PropStat({"{DAV:}resourcetype": [ms.Element("{DAV:}collection")]})]),
            ms.Response("/dav/ok%20file.txt", status=200),
            ms.Response("/items/4", status=422, error=ms.Error(code="invalid", message="needs a name")),
            ms.Response("/items/10", status=429, headers={"Retry-After": "30", "X-Trace": "abc"}),
            ms.Response(
                "/dav/p", propstats=[ms.PropStat({"{DAV:}getetag": "1"}), ms.PropStat({"{DAV:}owner": None}, 403)]
            ),
            ms.Response("javascript:alert(1)", status=301, location="/new"),
            ms.Response("//evil.example/x", status=200),
            ms.Response("/\\evil.example/x", status=200),
        ]
    )


def test_rows_are_marked_by_text_and_class_and_failures_are_one_click_away() -> None:
    page = ms.to_html(_doc()).decode()
    assert '<tr id="item-3" class="failed">' in page
    assert '<tr id="item-5" class="partial">' in page
    assert '<tr id="item-6" class="other">' in page
    assert "\u2717 failed" in page
    assert "\u25d0 partial" in page
    nav = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert nav.index('href="#item-3"') < nav.index('href="#item-5"') < nav.index('href="#item-6"')
    assert 'href="#item-2"' not in nav
    assert "<script" not in page
    assert " on" not in page.split("<style>")[0] + page.split("</style>")[1].split("<nav")[0]


def test_table_semantics_caption_headers_links_and_folders() -> None:
    page = ms.to_html(_doc()).decode()
    assert "<caption>" in page
    assert '<th scope="col">href</th>' in page
    assert '<th scope="col">headers</th>' in page
    assert page.count('<th scope="row">') == 8
    assert '<span class="tag">folder</span><a href="/dav/">/dav/</a>' in page
    assert '<a href="/dav/ok%20file.txt">/dav/ok file.txt</a>' in page  # decoded for reading, linked as sent
    assert "<b>Retry-After</b>: 30" in page
    assert "<b>x-trace</b>: abc" in page
    assert "<b>Location</b>: /new" in page
    for unsafe in ("javascript:", "//evil.example", "/\\evil.example"):
        assert f'href="{unsafe}' not in page


def test_the_page_is_well_formed_enough_to_parse_and_is_scriptless() -> None:
    tags = parse(ms.to_html(_doc())).tags
    assert "script" not in tags
    assert "link" not in tags
    assert "img" not in tags
    assert tags.count("table") == 1
    assert "caption" in tags
    assert "nav" in tags
