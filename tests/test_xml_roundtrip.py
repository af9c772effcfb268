"""Hypothesis round trips through the XML codec, checked by lxml and by the stdlib."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given

import multistatus as ms
from tests.conftest import scaled
from tests.strategies import documents

SETTINGS = scaled(1)  # examples: the profile's count (tests/conftest.py)


@SETTINGS
@given(documents())
def test_from_xml_inverts_to_xml(doc: ms.MultiStatus) -> None:
    assert ms.from_xml(ms.to_xml(doc)) == doc


@SETTINGS
@given(documents())
def test_pretty_output_reads_back_the_same(doc: ms.MultiStatus) -> None:
    assert ms.from_xml(ms.to_xml(doc, pretty=True)) == doc


@SETTINGS
@given(documents())
def test_stdlib_parser_reads_every_href_and_status(doc: ms.MultiStatus) -> None:
    """ElementTree, not lxml, reads the envelope back: we never only agree with ourselves."""
    root = ET.fromstring(ms.to_xml(doc))
    got = [
        (
            [h.text for h in r.findall("{DAV:}href")],
            [s.text for s in r.findall("{DAV:}status") + r.findall("{DAV:}propstat/{DAV:}status")],
            [p.tag for p in r.findall("{DAV:}propstat/{DAV:}prop/*")],
        )
        for r in root.findall("{DAV:}response")
    ]
    want = [
        (
            list(r.hrefs),
            [s.line() for s in r.statuses],
            [p.name.replace("{}", "") for ps in r.propstats for p in ps.props],
        )
        for r in doc
    ]
    assert got == want
