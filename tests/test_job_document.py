"""A job's monitor document: JobStatus in the model, the JSON ``job`` member, the XML ``job`` element, the HTML page."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest
from hypothesis import given

import multistatus as ms
from tests.strategies import job_statuses

VALIDATOR = jsonschema.Draft202012Validator(ms.json_schema())
ITEMS = [ms.Response("/items/1", status=201, id="1"), ms.Response("/items/2", status=429, id="2")]


@given(job_statuses())
def test_every_job_status_reads_back_equal_through_both_codecs(job: ms.JobStatus) -> None:
    doc = ms.MultiStatus(ITEMS, job=job)
    assert ms.from_json(ms.to_json(doc)) == doc
    assert ms.from_xml(ms.to_xml(doc)) == doc
    assert ms.from_xml(ms.to_xml(doc, pretty=True)) == doc
    assert ms.from_json(ms.to_json(ms.from_xml(ms.to_xml(doc)))) == doc
    VALIDATOR.validate(ms.to_dict(doc))


def test_the_job_is_a_member_of_the_json_form_and_an_element_in_the_library_namespace() -> None:
    doc = ms.MultiStatus(ITEMS, job=ms.JobStatus("running", 2, 2000))
    assert ms.to_dict(doc)["job"] == {"state": "running", "done": 2, "total": 2000}
    assert b"<ms:job><ms:state>running</ms:state><ms:done>2</ms:done><ms:total>2000</ms:total></ms:job>" in ms.to_xml(
        doc
    )
    assert "job" not in ms.to_dict(ms.MultiStatus(ITEMS))
    assert ms.to_dict(ms.MultiStatus(job=ms.JobStatus("not-started")))["job"] == {"state": "not-started", "done": 0}


@pytest.mark.parametrize(
    ("state", "done", "total", "message"),
    [
        pytest.param("finished", 0, None, "state is one of", id="unknown-state"),
        pytest.param("running", -1, None, "done count", id="negative-done"),
        pytest.param("running", True, None, "done count", id="bool-done"),
        pytest.param("running", 5, 4, r"total is an integer from done \(5\)", id="total-below-done"),
        pytest.param(
            "running", 10**18, None, "done count is an integer from 0 to 999999999999999999", id="done-too-big"
        ),
        pytest.param("running", 0, 10**18, "to 999999999999999999, not", id="total-too-big"),
    ],
)
def test_an_invalid_job_status_never_exists(state: str, done: int, total: int | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ms.JobStatus(state, done, total)  # type: ignore[arg-type]


def test_a_document_takes_only_a_job_status() -> None:
    with pytest.raises(TypeError, match="job must be a JobStatus, not dict"):
        ms.MultiStatus(job={"state": "running"})  # type: ignore[arg-type]


def test_percent_and_terminal() -> None:
    assert ms.JobStatus("running", 1, 4).percent == 25.0
    assert ms.JobStatus("succeeded", 0, 0).percent == 100.0
    assert ms.JobStatus("running", 3).percent is None
    assert [s for s in ms.JOB_STATES if ms.JobStatus(s).terminal] == ["succeeded", "failed", "canceled"]


@pytest.mark.parametrize(
    ("member", "path", "message"),
    [
        pytest.param({"done": 1}, "/job/state", "state is a string", id="no-state"),
        pytest.param({"state": 3}, "/job/state", "state is a string", id="state-number"),
        pytest.param({"state": "done"}, "/job", "state is one of", id="unknown-state"),
        pytest.param({"state": "running", "done": -2}, "/job/done", "done is a count", id="negative"),
        pytest.param({"state": "running", "done": "2"}, "/job/done", "not a string", id="string-count"),
        pytest.param({"state": "running", "total": [1] * 3}, "/job/total", "not an array", id="array-total"),
        pytest.param({"state": "running", "done": 3, "total": 2}, "/job", r"from done \(3\)", id="total-below-done"),
        pytest.param({"state": "running", "eta": 3}, "/job/eta", "eta", id="unknown-member"),
        pytest.param([], "/job", "an object", id="not-an-object"),
    ],
)
def test_a_bad_json_job_is_a_parse_error_at_its_pointer(member: object, path: str, message: str) -> None:
    with pytest.raises(ms.ParseError, match=message) as info:
        ms.from_dict({"responses": [], "job": member})
    assert info.value.path == path


def test_a_null_job_is_no_job() -> None:
    assert ms.from_dict({"responses": [], "job": None}).job is None


M = 'xmlns:D="DAV:" xmlns:m="https://multistatus.readthedocs.io/ns/1"'


@pytest.mark.parametrize(
    ("inner", "message"),
    [
        pytest.param("<m:job><m:done>1</m:done></m:job>", "needs a state", id="no-state"),
        pytest.param("<m:job><m:state>done</m:state></m:job>", "state is one of", id="unknown-state"),
        pytest.param("<m:job><m:state>running</m:state><m:done>-1</m:done></m:job>", "done count", id="negative"),
        pytest.param("<m:job><m:state>running</m:state><m:done>1e3</m:done></m:job>", "done count", id="not-digits"),
        pytest.param(f"<m:job><m:state>running</m:state><m:total>{'9' * 19}</m:total></m:job>", "total", id="long"),
        pytest.param("<m:job><m:state>running</m:state><m:state>running</m:state></m:job>", "one state", id="twice"),
        pytest.param("<m:job><m:state>running</m:state></m:job>" * 2, "more than one job", id="two-jobs"),
    ],
)
def test_a_bad_xml_job_is_a_parse_error_in_both_readers(inner: str, message: str) -> None:
    data = f"<D:multistatus {M}>{inner}</D:multistatus>".encode()
    with pytest.raises(ms.ParseError, match=message):
        ms.from_xml(data)
    with pytest.raises(ms.ParseError, match=message):
        list(ms.iter_xml(data))


def test_the_xml_job_reader_is_lenient_with_whitespace_and_skips_unknown_parts() -> None:
    data = f"<D:multistatus {M}><m:job> <m:state> running </m:state><m:eta>9</m:eta><m:done> 4 </m:done></m:job></D:multistatus>"
    assert ms.from_xml(data).job == ms.JobStatus("running", 4)
    stream = ms.iter_xml(data.encode())
    assert list(stream) == []
    assert stream.job == ms.JobStatus("running", 4)


def test_the_html_page_shows_the_progress() -> None:
    page = ms.to_html(ms.MultiStatus(ITEMS, job=ms.JobStatus("running", 2, 8))).decode()
    assert '<progress max="8" value="2">25%</progress>' in page
    assert "Job running: 2 of 8 items done (25%)" in page
    unknown = ms.to_html(ms.MultiStatus(job=ms.JobStatus("not-started"))).decode()
    assert "<progress></progress>" in unknown
    assert "not-started: 0 items done" in unknown
    assert b"<progress" not in ms.to_html(ms.MultiStatus(ITEMS))


def test_inspect_shows_the_job(tmp_path: object) -> None:
    doc = ms.MultiStatus(ITEMS, job=ms.JobStatus("canceled", 2, 10))
    body = ms.to_json(doc)
    text = subprocess.run(
        [sys.executable, "-m", "multistatus", "inspect", "-"], input=body, capture_output=True, check=False
    )
    assert "job canceled: 2 of 10 items done (20%)" in text.stdout.decode()
    out = subprocess.run(
        [sys.executable, "-m", "multistatus", "inspect", "--json", "-"], input=body, capture_output=True, check=False
    )
    assert json.loads(out.stdout)["job"] == {"state": "canceled", "done": 2, "total": 10}
