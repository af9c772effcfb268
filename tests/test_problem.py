"""Problem documents: every representation the server writes, the client reads back unchanged."""

from __future__ import annotations

import json

import pytest

import multistatus as ms

LOCKED = ms.Element("{DAV:}lock-token-submitted", [ms.Element("{DAV:}href", ["/dav/locked/"])])
OFFERS = ["application/problem+json", "application/json", "application/problem+xml", "application/xml", "text/xml"]


@pytest.mark.parametrize("accept", [pytest.param(a, id=a) for a in OFFERS])
@pytest.mark.parametrize(
    ("status", "members", "conditions"),
    [
        pytest.param(400, {"detail": "items[3] is not an object"}, [], id="plain"),
        pytest.param(423, {"detail": "locked"}, [LOCKED, "{DAV:}no-conflicting-lock"], id="conditions"),
        pytest.param(
            422,
            {
                "type": "https://example.com/probs/invalid",
                "code": "invalid",
                "errors": [{"at": "/3", "n": 1.5}],
                "ok": False,
            },
            ["{urn:x}custom"],
            id="json-members",
        ),
    ],
)
def test_every_representation_reads_back_unchanged(
    accept: str, status: int, members: dict[str, object], conditions: list[ms.Element | str]
) -> None:
    reply = ms.problem_reply(status, accept=accept, conditions=conditions, **members)
    assert reply.status == status
    expected = ms.Error(conditions, {"title": ms.Status(status).phrase, "status": status, **members})
    if "type" in members:  # RFC 9457 order: type first
        expected = ms.Error(
            conditions, {"type": members["type"], **{k: v for k, v in expected.problem.items() if k != "type"}}
        )
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_body(reply.body, reply.header("Content-Type"), status=reply.status)
    assert info.value.error == expected
    assert info.value.status == status


def test_problem_json_carries_conditions_in_the_json_form() -> None:
    """The conditions keep their content (the locked href), in the JsonML form of the JSON format."""
    reply = ms.problem_reply(423, accept="application/problem+json", conditions=[LOCKED])
    data = json.loads(reply.body)
    assert data["conditions"] == [["{DAV:}lock-token-submitted", ["{DAV:}href", "/dav/locked/"]]]
    assert reply.header("Content-Type") == "application/problem+json"


def test_a_foreign_problem_xml_with_digits_for_status_is_read() -> None:
    body = b'<problem xmlns="urn:ietf:rfc:7807"><title>Gone</title><status>410</status></problem>'
    with pytest.raises(ms.NotMultiStatus, match="RFC 9457 problem") as info:
        ms.from_body(body, "application/problem+xml", status=410)
    assert info.value.error == ms.Error(problem={"title": "Gone", "status": 410})


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param([("X-Note", "a\r\nSet-Cookie: s=1")], id="crlf-in-value"),
        pytest.param([("X-Note", "a\nb")], id="lf-in-value"),
        pytest.param([("X-Note", "a\x00")], id="nul-in-value"),
        pytest.param([("Set-Cookie: s=1\r\nX", "v")], id="crlf-in-name"),
        pytest.param([("", "v")], id="empty-name"),
        pytest.param([("X Note", "v")], id="space-in-name"),
    ],
)
def test_problem_headers_cannot_inject_fields(headers: list[tuple[str, str]]) -> None:
    with pytest.raises(ValueError, match="header"):
        ms.problem_reply(429, headers=headers)


def test_problem_member_names_xml_cannot_carry_are_refused() -> None:
    for name in ("a b", "<x", "1a"):
        with pytest.raises(ValueError, match="problem member name"):
            ms.problem_reply(400, **{name: "v"})


@pytest.mark.parametrize(
    ("body", "status", "expected"),
    [
        pytest.param(
            b'{"title": "Locked", "conditions": [{"not": "jsonml"}]}',
            423,
            ms.Error(problem={"title": "Locked", "status": 423}),
            id="conditions-unreadable-members-kept",
        ),
        pytest.param(
            b'{"title": "Locked", "status": "423 Locked"}',
            423,
            ms.Error(problem={"title": "Locked", "status": 423}),
            id="status-not-a-number-taken-from-http",
        ),
        pytest.param(b'{"title": "Odd"}', 299, ms.Error(problem={"title": "Odd"}), id="no-error-status-none-added"),
    ],
)
def test_foreign_problem_json_is_read_as_far_as_it_can_be(body: bytes, status: int, expected: ms.Error) -> None:
    with pytest.raises(ms.NotMultiStatus) as info:
        ms.from_body(body, "application/problem+json", status=status)
    assert info.value.error == expected


def test_problem_headers_must_be_pairs() -> None:
    with pytest.raises(TypeError, match="pairs"):
        ms.problem_reply(429, headers=["Retry-After: 30"])  # type: ignore[list-item]


def test_failed_items_without_a_message_counts_them() -> None:
    import pickle

    doc = ms.MultiStatus([ms.Response("/a", status=500), ms.Response("/b", status=200)])
    exc = ms.FailedItems(doc.failed(), doc)
    assert str(exc) == "1 of 2 items failed"
    again = pickle.loads(pickle.dumps(exc))
    assert (str(again), again.failures, again.document) == (str(exc), exc.failures, doc)
