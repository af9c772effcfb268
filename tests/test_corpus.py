"""Every multistatus body of the corpus parses to exactly the facts in its manifest.

The facts were extracted independently (stdlib ElementTree) when the bodies were
captured from Apache mod_dav, WsgiDAV and Radicale, plus RFC 4918's examples.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

import multistatus as ms
from tests.conftest import Case, expected_facts, facts_of, multistatus_cases, other_body_cases


@pytest.mark.parametrize("case", multistatus_cases())
def test_body_parses_to_manifest_facts(case: Case) -> None:
    doc = ms.from_xml(case.body())
    assert case.facts is not None
    assert len(doc.responses) == case.facts["response_count"]
    assert facts_of(doc) == expected_facts(case.facts)


@pytest.mark.parametrize("case", multistatus_cases())
def test_body_survives_xml_round_trip(case: Case) -> None:
    doc = ms.from_xml(case.body())
    again = ms.from_xml(ms.to_xml(doc))
    assert again == doc
    assert ms.from_xml(ms.to_xml(doc, pretty=True)) == doc


@pytest.mark.parametrize("case", multistatus_cases())
def test_output_is_read_back_by_the_stdlib(case: Case) -> None:
    """ElementTree (not lxml) reads our output to the same facts: we never only agree with ourselves."""
    doc = ms.from_xml(case.body())
    root = ET.fromstring(ms.to_xml(doc))
    assert root.tag == "{DAV:}multistatus"
    responses = root.findall("{DAV:}response")
    assert [[h.text for h in r.findall("{DAV:}href")] for r in responses] == [list(r.hrefs) for r in doc]
    for element, response in zip(responses, doc, strict=True):
        props = [p.tag for ps in element.findall("{DAV:}propstat") for p in ps.find("{DAV:}prop")]
        assert props == [p.name.replace("{}", "") for ps in response.propstats for p in ps.props]
        statuses = [s.text for s in element.iter("{DAV:}status")]
        assert statuses == [s.line() for s in response.statuses]


@pytest.mark.parametrize("case", multistatus_cases())
def test_body_parses_from_str_and_file(case: Case) -> None:
    data = case.body()
    doc = ms.from_xml(data)
    assert ms.from_xml(io.BytesIO(data)) == doc
    text = data.decode("utf-8")
    assert ms.from_xml(text) == doc


@pytest.mark.parametrize("case", other_body_cases())
def test_non_multistatus_body_is_a_clear_parse_error(case: Case) -> None:
    with pytest.raises(ms.ParseError) as info:
        ms.from_xml(case.body())
    message = str(info.value)
    if case.facts is None:  # an HTML error page
        assert "HTML page" in message
    else:
        assert f"found {case.facts['root']}" in message
