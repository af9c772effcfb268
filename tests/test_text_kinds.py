"""Texts that are str subclasses (a ``str`` enum member) and integers too long to write as text.

The XML writer formats texts where the JSON writer writes them by value, so a
``class Kind(str, Enum)`` member formatted itself as ``Kind.CREATED`` in XML
and as ``"created"`` in JSON: the model keeps every text as a ``str`` itself.
An integer of more than 4,300 digits is refused where it is given: Python will
not write it as text, so no codec could.
"""

from __future__ import annotations

import enum
import io

import pytest

import multistatus as ms


class Kind(str, enum.Enum):
    CREATED = "created"
    DE = "de"
    ITEM = "/items/1"


def test_str_enum_members_are_written_by_their_value_in_every_text() -> None:
    k = Kind
    doc = ms.MultiStatus(
        [
            ms.Response(
                k.ITEM,
                status=ms.Status(201, k.CREATED),
                description=k.CREATED,
                id=k.CREATED,
                location=k.ITEM,
                headers={"X-Kind": k.CREATED},
                body={k.CREATED: [k.CREATED]},
                error=ms.Error([ms.Element("{urn:x}c", k.CREATED, attributes={"a": k.CREATED})], title=k.CREATED),
            ),
            ms.Response(
                "/b",
                propstats=[
                    ms.PropStat(
                        [
                            ms.Property("{urn:x}p", k.CREATED, lang=k.DE, attributes={"{urn:x}q": k.CREATED}),
                            ms.Property("{urn:x}e", [k.CREATED, ms.Element("{urn:x}f", k.CREATED)]),
                        ]
                    )
                ],
            ),
        ],
        description=k.CREATED,
    )
    xml = ms.to_xml(doc)
    assert b"Kind." not in xml
    assert b"Kind." not in b"".join(ms.stream_xml(doc.responses))
    out = io.BytesIO()
    ms.write_xml(doc.responses, out)
    assert b"Kind." not in out.getvalue()
    assert ms.from_xml(xml) == doc
    assert ms.from_json(ms.to_json(doc)) == doc
    response = doc.responses[0]
    assert type(response.id) is str
    assert type(response.status.reason) is str
    assert type(response.headers["x-kind"]) is str


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda n: ms.Response("/a", status=200, body={"n": n}), id="body"),
        pytest.param(lambda n: ms.Error(title="t", count=n), id="problem-member"),
    ],
)
def test_an_integer_python_cannot_write_as_text_is_refused(make: object) -> None:
    largest = 10**4300 - 1  # (4,300 digits: written)
    assert ms.from_json(ms.to_json(ms.MultiStatus([ms.Response("/a", status=200, body=[largest])]))).responses[0].body
    for n in (10**4300, -(10**4300)):
        with pytest.raises(ValueError, match="more than 4300 digits"):
            make(n)  # type: ignore[operator]
