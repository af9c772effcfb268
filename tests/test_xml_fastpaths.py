"""What the reader's speed work must not change (issue 5).

Both parsers (in memory and streaming) agree where namespaces are rebound,
with the C property loop and with the Python one, and text split by many
comments is joined once (it was quadratic).  (The reader no longer touches the
garbage collector: ``tests/test_side_effects.py`` checks that.)
"""

from __future__ import annotations

import pytest

import multistatus as ms
from tests.test_xml import body

D = "{DAV:}"


def streamed(data: bytes) -> list[ms.Response]:
    """The responses of *data* fed to the streaming parser one byte at a time."""
    feeder = ms.XMLFeeder()
    out: list[ms.Response] = []
    for i in range(len(data)):
        out += feeder.feed(data[i : i + 1])
    return out + feeder.close()


def response(href: str, prop: str, *, attrs: str = "", d: str = "D:") -> str:
    return (
        f"<{d}response{attrs}><{d}href>{href}</{d}href><{d}propstat><{d}prop>{prop}</{d}prop>"
        f"<{d}status>HTTP/1.1 200 OK</{d}status></{d}propstat></{d}response>"
    )


META = '<X:meta><X:tag kind="color">r&amp;d</X:tag><X:owner><X:name>Jürgen</X:name></X:owner></X:meta>'


# The same characters under different namespace bindings are different values.
REBOUND = [
    pytest.param(
        [response("/a", META, attrs=' xmlns:X="urn:a"'), response("/b", META, attrs=' xmlns:X="urn:b"')],
        '<D:multistatus xmlns:D="DAV:">',
        2,
        id="prefix-rebound-per-response",
    ),
    pytest.param(
        [
            response("/a", "<meta><v>1</v></meta>", d="", attrs=' xmlns:X="urn:x"'),
            response("/b", '<meta xmlns="urn:b"><v>1</v></meta>', d=""),
            response("/c", '<X:meta xmlns:X="DAV:"><X:v>1</X:v></X:meta>', d=""),
        ],
        '<multistatus xmlns="DAV:">',
        2,  # /c spells /a's value with a prefix
        id="default-namespace",
    ),
    pytest.param(
        [
            response("/a", '<D:p><v xmlns="">1</v></D:p>'),
            response("/b", "<D:p><v>1</v></D:p>", attrs=' xmlns="urn:v"'),
            response("/c", "<D:p><v>1</v></D:p>"),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        2,  # /a undeclares the default namespace /c never had; /b's bytes are /c's
        id="unqualified-and-undeclared",
    ),
    pytest.param(
        [
            response("/a", '<D:p><D:v Y:k="1"/></D:p>', attrs=' xmlns:Y="urn:a"'),
            response("/b", '<D:p><D:v Y:k="1"/></D:p>', attrs=' xmlns:Y="urn:b"'),
            response("/c", '<D:p><D:v k="1"/></D:p>'),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        3,
        id="attribute-namespaces",
    ),
    pytest.param(
        [
            response("/a", '<D:p xml:lang="de"><D:v>1</D:v></D:p>'),
            response("/b", "<D:p><D:v>1</D:v></D:p>", attrs=' xml:lang="fr"'),
            response("/c", '<D:p><D:v xml:lang="en">1</D:v></D:p>'),
            response("/d", "<D:p><D:v>1</D:v><!-- note --></D:p>"),
            response("/e", "<D:p><D:v>1</D:v></D:p>"),
        ],
        '<D:multistatus xmlns:D="DAV:">',
        4,  # a comment is not part of a value: /d is /e
        id="languages-and-comments",
    ),
]


@pytest.mark.parametrize(("responses", "root", "distinct"), REBOUND)
def test_namespace_rebinding_reads_alike_in_both_parsers(responses: list[str], root: str, distinct: int) -> None:
    data = body("".join(responses), root=root)
    doc = ms.from_xml(data)
    assert list(doc.responses) == streamed(data)
    props = [r.propstats[0].props[0] for r in doc]
    assert len({(p.value, p.lang) for p in props}) == distinct


def test_text_split_by_many_comments_is_one_string() -> None:
    pieces = 20_000
    value = "<D:p><D:x/>" + "ab<!---->" * pieces + "<?pi?>cd</D:p>"
    data = body(response("/a", value))
    expected = (ms.Element(D + "x"), "ab" * pieces + "cd")
    assert ms.from_xml(data).responses[0].propstats[0].props[0].value == expected
    assert streamed(data)[0].propstats[0].props[0].value == expected
    assert ms.Element(D + "p", ["ab"] * pieces + [ms.Element(D + "x"), "c", "", "d"]).children == (
        "ab" * pieces,
        ms.Element(D + "x"),
        "cd",
    )


def _listing(shared: bool) -> list[ms.Response]:
    """1,100 responses sharing property objects (or each with copies of them): element, text, long, foreign namespace."""
    lock = [ms.Element(D + "lockentry", [ms.Element(D + "lockscope", [ms.Element(D + "exclusive")])])]
    kinds = [
        (D + "supportedlock", lock),
        (D + "getcontenttype", "text/plain"),
        ("{urn:x:other}note", "x" * 3000),  # longer than a writer keeps
        ("{urn:x:other}flag", ""),
    ]
    made = [ms.Property(name, value) for name, value in kinds]
    out = []
    for i in range(1100):  # more distinct properties than a writer remembers
        props = made if shared else [ms.Property(name, value) for name, value in kinds]
        out.append(ms.Response(f"/dav/f{i}", propstats=[ms.PropStat([*props, ms.Property(D + "getetag", f'"{i}"')])]))
    return out


@pytest.mark.parametrize("pretty", [False, True])
def test_shared_property_objects_write_as_their_copies_do(pretty: bool) -> None:
    shared, copies = _listing(shared=True), _listing(shared=False)
    text = ms.to_xml(ms.MultiStatus(shared), pretty=pretty)
    assert text == ms.to_xml(ms.MultiStatus(copies), pretty=pretty)
    assert ms.from_xml(text) == ms.MultiStatus(copies)
    streamed_text = b"".join(ms.stream_xml(shared, pretty=pretty))
    assert streamed_text == b"".join(ms.stream_xml(copies, pretty=pretty))
    assert list(ms.iter_xml(streamed_text)) == copies
