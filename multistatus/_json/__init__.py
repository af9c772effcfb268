"""The JSON codec: reading, writing, streaming, and the JSON Schema of the form."""

from ._reader import error_from_dict, from_dict, from_json
from ._schema import json_schema
from ._stream import stream_json, write_json
from ._writer import error_to_dict, to_dict, to_json

__all__ = [
    "error_from_dict",
    "error_to_dict",
    "from_dict",
    "from_json",
    "json_schema",
    "stream_json",
    "to_dict",
    "to_json",
    "write_json",
]
