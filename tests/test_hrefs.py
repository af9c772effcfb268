"""hrefs: RFC 3986 resolution, display decoding, comparison as servers mean it, own vs members."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

import multistatus as ms
from tests.conftest import Case, all_cases

# RFC 3986 §5.4.1 and §5.4.2, base "http://a/b/c/d;p?q".
RFC3986_EXAMPLES = {
    "g:h": "g:h",
    "g": "http://a/b/c/g",
    "./g": "http://a/b/c/g",
    "g/": "http://a/b/c/g/",
    "/g": "http://a/g",
    "//g": "http://g",
    "?y": "http://a/b/c/d;p?y",
    "g?y": "http://a/b/c/g?y",
    "#s": "http://a/b/c/d;p?q#s",
    "g#s": "http://a/b/c/g#s",
    "g?y#s": "http://a/b/c/g?y#s",
    ";x": "http://a/b/c/;x",
    "g;x": "http://a/b/c/g;x",
    "g;x?y#s": "http://a/b/c/g;x?y#s",
    "": "http://a/b/c/d;p?q",
    ".": "http://a/b/c/",
    "./": "http://a/b/c/",
    "..": "http://a/b/",
    "../": "http://a/b/",
    "../g": "http://a/b/g",
    "../..": "http://a/",
    "../../": "http://a/",
    "../../g": "http://a/g",
    "../../../g": "http://a/g",
    "../../../../g": "http://a/g",
    "/./g": "http://a/g",
    "/../g": "http://a/g",
    "g.": "http://a/b/c/g.",
    ".g": "http://a/b/c/.g",
    "g..": "http://a/b/c/g..",
    "..g": "http://a/b/c/..g",
    "./../g": "http://a/b/g",
    "./g/.": "http://a/b/c/g/",
    "g/./h": "http://a/b/c/g/h",
    "g/../h": "http://a/b/c/h",
    "g;x=1/./y": "http://a/b/c/g;x=1/y",
    "g;x=1/../y": "http://a/b/c/y",
    "g?y/./x": "http://a/b/c/g?y/./x",
    "g?y/../x": "http://a/b/c/g?y/../x",
    "g#s/./x": "http://a/b/c/g#s/./x",
    "g#s/../x": "http://a/b/c/g#s/../x",
    "http:g": "http:g",
}


@pytest.mark.parametrize(
    ("ref", "expected"), [pytest.param(r, e, id=r or "empty") for r, e in RFC3986_EXAMPLES.items()]
)
def test_resolve_href_follows_rfc3986_examples(ref: str, expected: str) -> None:
    assert ms.resolve_href(ref, "http://a/b/c/d;p?q") == expected


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        pytest.param("/dav/a.txt", "http://h:8080/dav/", "http://h:8080/dav/a.txt", id="path-on-url"),
        pytest.param("a.txt", "/dav/sub/", "/dav/sub/a.txt", id="path-base"),
        pytest.param("x", "http://h", "http://h/x", id="base-with-empty-path"),
        pytest.param("  /dav/a.txt\n", "http://h/", "http://h/dav/a.txt", id="whitespace-stripped"),
        pytest.param("/dav/%c3%a9", "http://h/", "http://h/dav/%c3%a9", id="escapes-untouched"),
        pytest.param("1:x", "http://h/dav/", "http://h/dav/1:x", id="not-a-scheme"),
    ],
)
def test_resolve_href_against_request_urls(href: str, base: str, expected: str) -> None:
    assert ms.resolve_href(href, base) == expected


@pytest.mark.parametrize(
    ("href", "shown"),
    [
        pytest.param("/dav/plain.txt", "/dav/plain.txt", id="nothing-to-decode"),
        pytest.param("/dav/%c3%bcn%c3%af%20c%c3%b8d%c3%a9.txt", "/dav/ünï cødé.txt", id="apache-lower-case"),
        pytest.param("/dav/%C3%BCn%C3%AF%20c%C3%B8d%C3%A9.txt", "/dav/ünï cødé.txt", id="wsgidav-upper-case"),
        pytest.param("/dav/a%26b.txt", "/dav/a&b.txt", id="ampersand"),
        pytest.param("/dav/a%2Fb", "/dav/a%2Fb", id="encoded-slash-kept"),
        pytest.param("/dav/%ff%fe.bin", "/dav/%FF%FE.bin", id="invalid-utf8-kept"),
        pytest.param("/dav/%c3", "/dav/%C3", id="truncated-utf8-kept"),
        pytest.param("/dav/%0a%1b", "/dav/%0A%1B", id="controls-kept"),
        pytest.param("/dav/evil%e2%80%aetxt.exe", "/dav/evil%E2%80%AEtxt.exe", id="bidi-override-kept"),
        pytest.param("/dav/100%25", "/dav/100%", id="percent"),
        pytest.param("/dav/50%", "/dav/50%", id="stray-percent"),
        pytest.param("http://h/%E2%82%AC", "http://h/€", id="absolute"),
    ],
)
def test_display_href_decodes_for_people(href: str, shown: str) -> None:
    assert ms.display_href(href) == shown


SAME = [
    pytest.param("/dav/%c3%a9", "/dav/%C3%A9", id="hex-case"),
    pytest.param("/dav/%7Euser", "/dav/~user", id="unreserved-encoded"),
    pytest.param("/dav/%41", "/dav/A", id="letter-encoded"),
    pytest.param("/dav/a%26b.txt", "/dav/a&b.txt", id="ampersand-apache-vs-wsgidav"),
    pytest.param("/dav/é", "/dav/%C3%A9", id="raw-non-ascii"),
    pytest.param("/dav/a b", "/dav/a%20b", id="raw-space"),
    pytest.param("/dav/sub/", "/dav/sub", id="trailing-slash"),
    pytest.param("/", "//", id="root"),
    pytest.param("/dav/./sub/../a", "/dav/a", id="dot-segments"),
    pytest.param("http://Example.COM:80/dav/", "HTTP://example.com/dav", id="scheme-host-port"),
    pytest.param("https://h:443/x", "https://h/x", id="https-default-port"),
    pytest.param("http://h/dav/a", "/dav/a", id="absolute-vs-path"),
    pytest.param("http://h/dav/a#frag", "http://h/dav/a", id="fragment"),
    pytest.param("/q?a=%7e", "/q?a=~", id="query-unreserved"),
    pytest.param("http://[::1]:8080/a", "http://[::1]:8080/a/", id="ipv6"),
]
DIFFERENT = [
    pytest.param("/dav/A.txt", "/dav/a.txt", id="path-case"),
    pytest.param("/dav/a%2Fb", "/dav/a/b", id="encoded-slash"),
    pytest.param("http://h/dav/a", "http://other/dav/a", id="other-host"),
    pytest.param("http://h:8080/a", "http://h/a", id="other-port"),
    pytest.param("/q?a=%26", "/q?a=&", id="query-reserved"),
    pytest.param("/dav/a", "/dav/b", id="other-name"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_href_as_servers_mean_it(a: str, b: str) -> None:
    assert ms.same_href(a, b)
    assert ms.same_href(b, a)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_hrefs(a: str, b: str) -> None:
    assert not ms.same_href(a, b)
    assert ms.href_key(a, base="http://h/") != ms.href_key(b, base="http://h/")


def test_relative_hrefs_compare_through_the_base() -> None:
    base = "http://h/dav/sub/"
    assert ms.same_href("a.txt", "/dav/sub/a.txt", base=base)
    assert ms.same_href("../x", "http://h/dav/x/", base=base)
    assert not ms.same_href("a.txt", "/dav/sub/a.txt")


def test_href_key_is_absolute_with_a_base_and_a_path_without() -> None:
    assert ms.href_key("/dav/%c3%a9/") == "/dav/%C3%A9"
    assert ms.href_key("/dav/%c3%a9/", base="http://H:80/") == "http://h/dav/%C3%A9"
    assert ms.href_key("http://h") == "http://h/"
    assert ms.href_key("http://user@h:/x") == "http://user@h/x"


segments = st.lists(
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), exclude_characters="/?#%"), max_size=8),
    max_size=5,
)


@given(segments)
def test_encoding_variants_are_the_same_href(parts: list[str]) -> None:
    path = "/dav/" + "/".join(parts)  # not "//...": that would start an authority
    upper = quote(path, safe="/")
    lower = re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), upper)
    assert ms.same_href(upper, lower)
    assert ms.same_href(upper, path)  # raw characters, as sloppy servers send them
    assert ms.href_key(ms.href_key(upper)) == ms.href_key(upper)
    if not any(unicodedata.category(c) == "Cf" for c in path):
        assert ms.display_href(upper) == path


def _propfind_cases() -> list[object]:
    return [
        c.param() for c in all_cases() if c.is_multistatus and c.entry.get("request", {}).get("method") == "PROPFIND"
    ]


@pytest.mark.parametrize("case", _propfind_cases())
def test_split_self_finds_the_collection_in_every_propfind_capture(case: Case) -> None:
    doc = ms.from_xml(case.body())
    host = "http://www.example.com" if case.server == "rfc4918" else "http://127.0.0.1:8080"
    url = host + case.entry["request"]["path"]
    own, members = ms.split_self(doc, url)
    assert own is doc.responses[0]
    assert members == doc.responses[1:]


def test_split_self_without_the_own_response() -> None:
    doc = ms.MultiStatus([ms.Response("/dav/a", status=200), ms.Response("/dav/b", status=200)])
    assert ms.split_self(doc, "http://h/dav/") == (None, doc.responses)


def test_split_self_takes_the_first_of_duplicates_and_relative_hrefs() -> None:
    doc = ms.MultiStatus([ms.Response("../dav/", status=200), ms.Response("/dav", status=200)])
    own, members = ms.split_self(doc, "http://h/dav/")
    assert own is doc.responses[0]
    assert members == (doc.responses[1],)


def test_userinfo_keeps_its_case_while_the_host_does_not() -> None:
    assert ms.same_href("http://Jane@EXAMPLE.com/a", "http://Jane@example.com/a")
    assert not ms.same_href("http://Jane@example.com/a", "http://jane@example.com/a")
