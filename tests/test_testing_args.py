"""multistatus.testing for people: statuses as ints or strings, items by id, clear argument errors, short tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import multistatus as ms
from multistatus.testing import assert_items, assert_problem

DOC = ms.MultiStatus(
    [
        ms.Response("/items/1", status=201, id="a1"),
        ms.Response("/items/8", status=422, id="a8", error=ms.Error(problem={"code": "invalid"})),
        ms.Response("/items/9", status=403, id="a9"),
    ]
)


class Captured:
    """A response as a test client returns it (status, headers, body)."""

    def __init__(self, status: int, content_type: str, body: bytes) -> None:
        self.status_code = status
        self.headers = {"Content-Type": content_type}
        self.content = body


ANSWER = Captured(207, "application/json", ms.to_json(DOC))


@pytest.mark.parametrize("status", [207, "207", "207 Multi-Status", " 207 "])
def test_the_status_may_be_an_int_or_a_string(status: object) -> None:
    assert_items(ANSWER, status=status, succeeded=["/items/1"])  # type: ignore[arg-type]


def test_a_wrong_status_says_both_as_numbers() -> None:
    with pytest.raises(AssertionError, match="the HTTP status is 207, expected 200"):
        assert_items(ANSWER, status="200")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"status": [207]}, "status must be an HTTP status as an int or a string", id="status-list"),
        pytest.param({"status": "abc"}, "not 'abc'", id="status-words"),
        pytest.param(
            {"succeeded": "/items/1"}, "succeeded must be a list of hrefs or ids, not str", id="succeeded-str"
        ),
        pytest.param({"succeeded": [1]}, "succeeded must hold strings", id="succeeded-ints"),
        pytest.param({"failed": {"/items/8": "x"}}, r"failed\['/items/8'\] must be an HTTP status", id="failed-word"),
        pytest.param({"failed": {"/items/8": (422, 5)}}, "must be a status or", id="failed-code-int"),
        pytest.param({"summary": [("failed", 2)]}, "summary must be a mapping", id="summary-list"),
        pytest.param({"by": "name"}, "by must be 'href' or 'id'", id="by"),
    ],
)
def test_wrong_arguments_say_what_was_expected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        assert_items(ANSWER, **kwargs)  # type: ignore[arg-type]


def test_failed_may_be_a_list_when_any_status_will_do() -> None:
    assert_items(DOC, failed=["/items/8", "/items/9"])
    with pytest.raises(AssertionError, match="/items/1 did not fail"):
        assert_items(DOC, failed=["/items/1", "/items/8", "/items/9"])
    assert_items(DOC, failed={"/items/8": ("422", "invalid"), "/items/9": None})


def test_items_by_their_rest_id() -> None:
    assert_items(ANSWER, by="id", succeeded=["a1"], failed={"a8": (422, "invalid"), "a9": 403})
    with pytest.raises(AssertionError, match="a8 failed with 422 invalid, expected 409"):
        assert_items(ANSWER, by="id", failed={"a8": 409, "a9": 403})
    with pytest.raises(AssertionError, match=r"a7 did not succeed \(not in the answer\)"):
        assert_items(ANSWER, by="id", succeeded=["a1", "a7"])


def test_assert_problem_takes_a_string_status() -> None:
    problem = Captured(415, "application/problem+json", b'{"title": "Unsupported Media Type", "status": 415}')
    assert assert_problem(problem, "415").problem["status"] == 415
    with pytest.raises(TypeError, match="status must be an HTTP status"):
        assert_problem(problem, [415])  # type: ignore[arg-type]


def test_pytest_shows_the_callers_line_not_the_library(tmp_path: Path) -> None:
    test = tmp_path / "test_hidden.py"
    test.write_text(
        textwrap.dedent(
            """
            import multistatus as ms
            from multistatus.testing import assert_items

            def test_it():
                doc = ms.MultiStatus([ms.Response("/a", status=404)])
                assert_items(doc, succeeded=["/a"])
            """
        )
    )
    # pytest alone, without the installed plugins (Hypothesis, xdist, coverage...): hiding a
    # frame is pytest's own doing, and loading the plugins was four fifths of the run's CPU.
    # Nor the options of the outer run (CI adds --cov through PYTEST_ADDOPTS, which this
    # pytest, without the plugin, would refuse).
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
        env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert 'assert_items(doc, succeeded=["/a"])' in done.stdout
    assert "/a did not succeed" in done.stdout
    assert "problems.append" not in done.stdout  # no frame of multistatus/testing.py
    assert "testing.py" not in done.stdout
