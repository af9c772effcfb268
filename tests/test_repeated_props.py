"""A name listed more than once in one propstat is read, kept in order, and carried by both codecs.

Apache 2.4 and WsgiDAV 4.4 answer a PROPPATCH that removes and sets the same
property (litmus ``props``: ``propremoveset``, ``propsetremove``) with one
propstat that lists it three times.  A client must not lose the whole answer;
``validate()`` still tells producers it is not what RFC 4918 means.
"""

from __future__ import annotations

import io
import json

import jsonschema
import pytest

import multistatus as ms

NS = "http://example.com/neon/litmus/"
PROPPATCH_ANSWER = f"""<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns1="{NS}">
<D:response>
<D:href>/dav/litmus/prop</D:href>
<D:propstat>
<D:prop>
<ns1:removeset/>
<ns1:removeset>x</ns1:removeset>
<ns1:removeset/>
</D:prop>
<D:status>HTTP/1.1 200 OK</D:status>
</D:propstat>
</D:response>
</D:multistatus>
""".encode()
NAME = f"{{{NS}}}removeset"


def test_the_proppatch_answer_is_read_in_order() -> None:
    doc = ms.from_xml(PROPPATCH_ANSWER)
    props = doc.responses[0].propstats[0].props
    assert [(p.name, p.value) for p in props] == [(NAME, ""), (NAME, "x"), (NAME, "")]
    assert doc.responses[0].find(NAME) == (props[0], doc.responses[0].propstats[0])  # the first one
    assert [r.propstats[0].props for r in ms.iter_xml(io.BytesIO(PROPPATCH_ANSWER))] == [props]


def test_both_codecs_carry_it_and_the_json_form_is_valid() -> None:
    doc = ms.from_xml(PROPPATCH_ANSWER)
    data = json.loads(ms.to_json(doc))
    assert data["responses"][0]["propstats"][0]["props"] == [{NAME: ""}, {NAME: "x"}, {NAME: ""}]
    jsonschema.validate(data, ms.json_schema())
    assert ms.from_json(ms.to_json(doc)) == doc
    assert ms.from_dict(ms.to_dict(doc)) == doc
    assert ms.from_xml(ms.to_xml(doc)) == doc
    assert b"".join(ms.stream_json(doc.responses)) == ms.to_json(doc)


def test_the_common_case_keeps_its_object_form() -> None:
    doc = ms.MultiStatus([ms.Response("/a", propstats=[ms.PropStat({"{DAV:}a": "1", "{DAV:}b": "2"})])])
    assert json.loads(ms.to_json(doc))["responses"][0]["propstats"][0]["props"] == {"{DAV:}a": "1", "{DAV:}b": "2"}


def test_the_model_takes_repeated_names_and_validate_reports_them() -> None:
    ps = ms.PropStat([ms.Property("{DAV:}x"), ms.Property("{DAV:}x", "v")])
    assert [p.value for p in ps.props] == ["", "v"]
    codes = [v.code for v in ms.validate(PROPPATCH_ANSWER)]
    assert codes == ["duplicate-property", "duplicate-property"]


@pytest.mark.parametrize(
    ("props", "path", "message"),
    [
        pytest.param(
            '[{"{DAV:}a": "1", "{DAV:}b": "2"}, {"{DAV:}a": "3"}]', "/props/0", "one member, not 2", id="two-members"
        ),
        pytest.param('[{}, {"{DAV:}a": "3"}]', "/props/0", "one member, not 0", id="no-member"),
        pytest.param('["{DAV:}a", {"{DAV:}a": "3"}]', "/props/0", "a property", id="not-an-object"),
        pytest.param('[{"a b": "1"}, {"{DAV:}a": "3"}]', "/props/0/a b", "Clark", id="bad-name"),
    ],
)
def test_bad_props_arrays_are_refused_with_a_pointer(props: str, path: str, message: str) -> None:
    data = '{"responses": [{"href": "/a", "propstats": [{"status": 200, "props": ' + props + "}]}]}"
    with pytest.raises(ms.ParseError, match=message) as info:
        ms.from_json(data)
    assert info.value.path == "/responses/0/propstats/0" + path
