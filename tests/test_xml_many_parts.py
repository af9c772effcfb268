"""Texts split by many comments and instructions, and elements with many attributes, read as
lxml has them: the readers take a linear road for both (lxml's ``itertext`` and ``items`` are
quadratic there), so these check that the road gives the same values."""

from __future__ import annotations

import lxml.etree as et
import pytest

import multistatus as ms

HEAD = b'<D:multistatus xmlns:D="DAV:"><D:response>'
TAIL = b"</D:response></D:multistatus>"


@pytest.mark.parametrize("splitter", [b"<!--c-->", b"<?p x?>"])
def test_a_text_split_by_comments_or_instructions_reads_whole(splitter: bytes) -> None:
    href = b"/a" + b"".join(b"%d%s" % (i, splitter) for i in range(300)) + b"z"
    description = b"x" + splitter * 500 + b"y<!--c--><![CDATA[<q>]]>&amp;"
    data = HEAD + b"<D:href>" + href + b"</D:href><D:status>HTTP/1.1 200 OK</D:status>"
    data += b"<D:responsedescription>" + description + b"</D:responsedescription>" + TAIL
    expected_href = "/a" + "".join(str(i) for i in range(300)) + "z"
    for response in (ms.from_xml(data).responses[0], next(iter(ms.iter_xml(data)))):
        assert response.href == expected_href
        assert response.description == "xy<q>&"


def test_many_attributes_read_as_lxml_has_them() -> None:
    attrs = b" ".join(b"a%d='%d'" % (i, i) for i in range(100)) + b" p:q='&lt;' xml:space='preserve'"
    prop = b'<x xmlns="urn:x" xmlns:p="urn:p" ' + attrs + b">v</x>"
    data = HEAD + b"<D:href>/a</D:href><D:propstat><D:prop>" + prop + b"</D:prop>"
    data += b"<D:status>HTTP/1.1 200 OK</D:status></D:propstat>" + TAIL
    lxml_attrs = dict(et.fromstring(prop).items())
    expected = {("{}" + k if not k.startswith("{") else k): v for k, v in lxml_attrs.items()}
    value = ms.from_xml(data).responses[0].propstats[0].props[0]
    assert dict(value.attributes) == expected
    assert len(expected) == 102
    assert expected["{urn:p}q"] == "<"
    assert ms.from_xml(ms.to_xml(ms.from_xml(data))) == ms.from_xml(data)


def test_validate_names_each_of_many_violations_by_its_place() -> None:
    """validate() counts each parent's children once for all its paths (it was once per path)."""
    response = b"<D:response><D:href>/a</D:href><D:status>HTTP/1.1 200 OK</D:status></D:response>"
    data = b'<D:multistatus xmlns:D="DAV:">' + response * 300 + b"</D:multistatus>"
    found = ms.validate(data)
    assert [v.code for v in found] == ["duplicate-href"] * 299
    assert [v.path for v in found] == [f"/D:multistatus/D:response[{n}]/D:href" for n in range(2, 301)]
