"""The XML codec: the hardened parser, the reader, the writer, streaming both ways, validation."""

from ._parser import Source, parse_tree
from ._reader import build, from_xml, read_error
from ._stream import XMLFeeder, XMLStream, iter_xml
from ._validate import Violation, validate
from ._writer import error_document, to_xml
from ._writestream import stream_xml, write_xml

__all__ = [
    "Source",
    "Violation",
    "XMLFeeder",
    "XMLStream",
    "build",
    "error_document",
    "from_xml",
    "iter_xml",
    "parse_tree",
    "read_error",
    "stream_xml",
    "to_xml",
    "validate",
    "write_xml",
]
