"""The ``Idempotency-Key`` field, request fingerprints and the keys a store files them under.

draft-ietf-httpapi-idempotency-key-header §2.1: the field is a Structured
Field String (RFC 8941 §3.3.3), so the key comes quoted (``"8e03…"``);
Stripe-style clients send it bare, and both are taken.  Whatever the form, the
key itself is 1 to :data:`MAX_KEY_LENGTH` visible ASCII characters (the draft's
Security Considerations: "Always validate the key"; Stripe's 255-character cap).
A bad key is a 400, never a 422 (the draft keeps 422 for a reused key).

Every check here is one pass over its input, and a value longer than any key
can be is refused before it is read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping

__all__ = ["MAX_KEY_LENGTH", "check_item_key", "fingerprint", "item_fingerprint", "parse_key", "store_key"]

#: The longest key taken, in characters (Stripe's limit).
MAX_KEY_LENGTH = 255
# A quoted key may double each character with a backslash; OWS may surround it.
_MAX_FIELD = 2 * MAX_KEY_LENGTH + 2
_OWS = " \t"
_VCHAR = re.compile(r"[\x21-\x7e]+")
# RFC 8941 §3.3.3: an sf-string's inside, escapes resolved below (one pass, no backtracking:
# the alternatives start with different characters).
_SF_STRING = re.compile(r'"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"')
_ESCAPE = re.compile(r'\\(["\\])')


def parse_key(value: str) -> str:
    """The key an ``Idempotency-Key`` field value carries, quoted or bare.

    Args:
        value: the field value as received (surrounding spaces and tabs are ignored).

    Returns:
        The key: 1 to 255 visible ASCII characters.

    Raises:
        ValueError: the value is not a key; the message says why.

    Example:
        >>> from multistatus.idempotency import parse_key
        >>> parse_key('"8e03978e-40d5-43e8-bc93-6894a57f9324"')
        '8e03978e-40d5-43e8-bc93-6894a57f9324'
        >>> parse_key("order-17")
        'order-17'
        >>> parse_key('"two words"')
        Traceback (most recent call last):
        ...
        ValueError: an Idempotency-Key is visible ASCII characters only: this one has ' ' at 3
    """
    if not isinstance(value, str):
        raise TypeError(f"an Idempotency-Key field value is a str, not {type(value).__name__}")
    if len(value) > _MAX_FIELD + 64:  # (a bound before any scan: room for OWS around the longest quoted key)
        raise ValueError(f"an Idempotency-Key is at most {MAX_KEY_LENGTH} characters; this one is {len(value)}")
    text = value.strip(_OWS)
    if text.startswith('"'):
        match = _SF_STRING.fullmatch(text)
        if match is None:
            raise ValueError(f"the Idempotency-Key {_shown(text)} is not a Structured Field string (RFC 8941 §3.3.3)")
        key = _ESCAPE.sub(r"\1", match.group(1))
    else:
        key = text
    return _checked(key)


def _checked(key: str) -> str:
    if not key:
        raise ValueError("an Idempotency-Key cannot be empty")
    if len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"an Idempotency-Key is at most {MAX_KEY_LENGTH} characters; this one is {len(key)}")
    if _VCHAR.fullmatch(key) is None:
        at = next(i for i, c in enumerate(key) if not "\x21" <= c <= "\x7e")
        raise ValueError(f"an Idempotency-Key is visible ASCII characters only: this one has {key[at]!r} at {at}")
    return key


def check_item_key(value: object, member: str) -> str:
    """An item's key (a JSON string member): the same rule as the header's bare form."""
    if not isinstance(value, str):
        raise ValueError(f"the member {member!r} is a string, not {type(value).__name__}")
    if len(value) > _MAX_FIELD:  # (before any scan)
        raise ValueError(f"an Idempotency-Key is at most {MAX_KEY_LENGTH} characters; this one is {len(value)}")
    return _checked(value)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "…")


def store_key(kind: str, scope: str, key: str) -> str:
    """The key a store files *key* under: the kind (``r`` a request, ``i`` an item), the scope, the key.

    The scope's length comes first, so no scope and key can be read as another pair: one tenant's
    key ``b:c`` under scope ``a`` never meets another's key ``c`` under scope ``a:b``.  The
    fingerprint is not part of it (it is stored beside), so a reused key is found and refused.
    """
    return f"{kind}{len(scope)}:{scope}:{key}"


def _framed(parts: Iterable[bytes]) -> bytes:
    """SHA-256 over *parts*, each preceded by its length (no two part lists frame alike)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.digest()


def fingerprint(
    method: str,
    target: str,
    body: bytes = b"",
    content_type: str | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
    *,
    include: Iterable[str] = (),
) -> str:
    """The fingerprint of a request: SHA-256 (hex) of its method, target, content type, body and chosen headers.

    Two requests with one key and different fingerprints are a key reused with
    another payload (422).  The method is upper-cased and the content type's
    case and spaces are normalised; the target (path and query) and the body
    count byte for byte.

    Args:
        method: the request method.
        target: the path and query, as received.
        body: the body bytes.
        content_type: the ``Content-Type`` field value.
        headers: the request's header fields (a mapping or pairs).
        include: the names of the header fields that count too (case-insensitive;
            e.g. ``("Accept-Language",)``).  Repeated fields count in order.

    Example:
        >>> from multistatus.idempotency import fingerprint
        >>> a = fingerprint("POST", "/batch", b'[{"id": 1}]', "application/json")
        >>> len(a), a == fingerprint("post", "/batch", b'[{"id": 1}]', "Application/JSON")
        (64, True)
        >>> a == fingerprint("POST", "/batch", b'[{"id": 2}]', "application/json")
        False
    """
    ctype = "" if content_type is None else "".join(content_type.split()).lower()
    parts = [method.upper().encode("utf-8"), target.encode("utf-8", "surrogateescape"), ctype.encode("utf-8"), body]
    wanted = sorted({name.lower() for name in include})
    if wanted:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        found: dict[str, list[str]] = {name: [] for name in wanted}
        for name, value in pairs:
            values = found.get(name.lower())
            if values is not None:
                values.append(value)
        for name in wanted:
            parts += [name.encode("ascii"), "\n".join(found[name]).encode("utf-8", "surrogateescape")]
    return _framed(parts).hex()


def item_fingerprint(item: Mapping[str, object], member: str = "idempotency_key", *, target: str = "") -> str:
    """The fingerprint of a batch item: SHA-256 (hex) of its canonical JSON, its key *member* left out,
    and of the batch request's *target* (its method and path: ``"POST /orders"``).

    Members in any order give the same fingerprint; any changed value gives another,
    and so does another target (an item key reused at another endpoint is a 422, as
    a request key is).

    Example:
        >>> from multistatus.idempotency import item_fingerprint
        >>> a = item_fingerprint({"idempotency_key": "k1", "name": "x", "n": 1})
        >>> a == item_fingerprint({"n": 1, "name": "x", "idempotency_key": "k2"})
        True
        >>> a == item_fingerprint({"n": 2, "name": "x"})
        False
    """
    rest = {k: v for k, v in item.items() if k != member}
    text = json.dumps(rest, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    framed = f"{len(target)}:{target}{text}"  # (the length first: no target ends where the item begins)
    return hashlib.sha256(framed.encode("utf-8", "surrogatepass")).hexdigest()
