"""multistatus.webdav, the request side: PROPFIND and PROPPATCH bodies, Depth, Destination, Overwrite."""

from __future__ import annotations

import pytest

import multistatus as ms
from multistatus import webdav

NS = 'xmlns:D="DAV:" xmlns:Z="http://example.com/z"'


@pytest.mark.parametrize("body", [b"", b"  \n", ""])
def test_an_empty_propfind_body_means_allprop(body: bytes | str) -> None:
    assert webdav.parse_propfind(body) == webdav.PropFind("allprop", ())


def test_propfind_prop_keeps_order_and_drops_repeats() -> None:
    body = f"<D:propfind {NS}><D:prop><Z:b/><D:getetag/><Z:b/><plain xmlns=''/></D:prop></D:propfind>"
    got = webdav.parse_propfind(body.encode())
    assert got.kind == "prop"
    assert got.names == ("{http://example.com/z}b", "{DAV:}getetag", "{}plain")
    assert got.include == ()


def test_propfind_allprop_with_include_and_propname() -> None:
    body = f"<D:propfind {NS}><D:allprop/><D:include><Z:x/></D:include></D:propfind>"
    assert webdav.parse_propfind(body) == webdav.PropFind("allprop", ("{http://example.com/z}x",))
    assert webdav.parse_propfind(b"<propfind xmlns='DAV:'><propname/></propfind>").kind == "propname"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"<propfind xmlns='DAV:'><prop>", 400),  # malformed
        (b"<!DOCTYPE x [<!ENTITY a 'b'>]><propfind xmlns='DAV:'/>", 400),  # a DTD
        (b"<propfind xmlns='DAV:'/>", 422),  # nothing asked
        (b"<propfind xmlns='DAV:'><prop/><allprop/></propfind>", 422),  # two at once
        (b"<propertyupdate xmlns='DAV:'/>", 422),  # not a propfind
        (b"<propfind><prop/></propfind>", 422),  # no DAV: namespace
    ],
)
def test_bad_propfind_bodies_are_parse_errors_with_a_status_hint(body: bytes, status: int) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_propfind(body)
    assert info.value.status_hint == status


def test_the_reader_limits_apply() -> None:
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_propfind(b"<propfind xmlns='DAV:'><allprop/></propfind>", limits=ms.Limits(max_bytes=10))
    deep = (
        b"<propertyupdate xmlns='DAV:'><set><prop><a>"
        + b"<a>" * 40
        + b"</a>" * 40
        + b"</a></prop></set></propertyupdate>"
    )
    with pytest.raises(ms.LimitExceeded):
        webdav.parse_proppatch(deep, limits=ms.Limits(max_depth=16))


def test_proppatch_instructions_in_order_with_lossless_values() -> None:
    body = (
        f'<D:propertyupdate {NS} xml:lang="fr"><D:set><D:prop>'
        '<Z:a>plain</Z:a><Z:b xml:lang="de" kind="k">mixed <Z:i x="1">inner</Z:i> tail</Z:b>'
        "<Z:empty/></D:prop></D:set>"
        "<D:remove><D:prop><Z:gone/></D:prop></D:remove>"
        "<D:set><D:prop><Z:a>again</Z:a></D:prop></D:set></D:propertyupdate>"
    )
    patch = webdav.parse_proppatch(body.encode())
    z = "{http://example.com/z}"
    assert [(i.action, i.name) for i in patch] == [
        ("set", z + "a"),
        ("set", z + "b"),
        ("set", z + "empty"),
        ("remove", z + "gone"),
        ("set", z + "a"),
    ]
    assert patch.names == (z + "a", z + "b", z + "empty", z + "gone")
    a, b, empty, gone, again = (i.prop for i in patch)
    assert (a.value, a.lang) == ("plain", "fr")
    assert b.lang == "de"
    assert dict(b.attributes) == {"{}kind": "k"}
    assert b.value == ("mixed ", ms.Element(z + "i", "inner", attributes={"{}x": "1"}), " tail")
    assert empty.value == ""
    assert gone.value is None
    assert again.value == "again"
    # The values survive the library's writer and reader unchanged.
    doc = ms.MultiStatus([ms.Response("/x", propstats=[ms.PropStat([a, b, empty], 200)])])
    assert ms.from_xml(ms.to_xml(doc)) == doc
    assert ms.from_json(ms.to_json(doc)) == doc


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"<propertyupdate xmlns='DAV:'><set><prop>", 400),
        (b"<propertyupdate xmlns='DAV:'/>", 422),
        (b"<propertyupdate xmlns='DAV:'><set/></propertyupdate>", 422),
        (b"<propfind xmlns='DAV:'><allprop/></propfind>", 422),
    ],
)
def test_bad_proppatch_bodies(body: bytes, status: int) -> None:
    with pytest.raises(ms.ParseError) as info:
        webdav.parse_proppatch(body)
    assert info.value.status_hint == status


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, "infinity"), ("0", "0"), ("1", "1"), ("infinity", "infinity"), (" Infinity ", "infinity")],
)
def test_depth(value: str | None, expected: str) -> None:
    assert webdav.parse_depth(value) == expected


@pytest.mark.parametrize("value", ["2", "", "-1", "infinite", "1,0"])
def test_other_depths_are_clear_errors(value: str) -> None:
    with pytest.raises(ms.ParseError, match="Depth must be 0, 1 or infinity") as info:
        webdav.parse_depth(value)
    assert info.value.status_hint == 400


def test_depth_a_method_does_not_take() -> None:
    assert webdav.parse_depth(None, default="0") == "0"
    with pytest.raises(ms.ParseError, match="not allowed"):
        webdav.parse_depth("1", allowed=("0", "infinity"))


def test_overwrite() -> None:
    assert webdav.parse_overwrite(None) is True
    assert webdav.parse_overwrite("T") is True
    assert webdav.parse_overwrite(" f ") is False
    with pytest.raises(ms.ParseError):
        webdav.parse_overwrite("yes")


def test_destination_resolved_against_the_request() -> None:
    d = webdav.parse_destination("http://EXAMPLE.com:80/dav/x/../b%20c", "http://example.com/dav/a")
    assert (d.url, d.path, d.same_server) == ("http://EXAMPLE.com:80/dav/b%20c", "/dav/b%20c", True)
    assert webdav.parse_destination("/dav/a/", "http://example.com/dav/a").same_resource("http://example.com/dav/a")
    assert not webdav.parse_destination("https://example.com/dav/b", "http://example.com/dav/a").same_server
    assert webdav.parse_destination("/x?q=1", "/dav/a").path == "/x"
    for bad in (None, " ", "/a b"):
        with pytest.raises(ms.ParseError):
            webdav.parse_destination(bad, "http://example.com/dav/a")


def test_proppatch_skips_comments_and_unknown_elements() -> None:
    # RFC 4918 §17: elements a server does not know are ignored, and so are comments.
    body = (
        f"<D:propertyupdate {NS}><!-- a note --><Z:hint>later</Z:hint>"
        "<D:set><D:prop><!-- why --><Z:a>1</Z:a><?pi x?><Z:b/></D:prop></D:set></D:propertyupdate>"
    )
    patch = webdav.parse_proppatch(body.encode())
    assert [(i.action, i.name, i.prop.value) for i in patch] == [
        ("set", "{http://example.com/z}a", "1"),
        ("set", "{http://example.com/z}b", ""),
    ]
