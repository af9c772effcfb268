"""An idempotency store in Redis, for applications that run on many machines (``pip install multistatus[redis]``).

One string per key, which Redis expires by itself: ``c<fingerprint>\\n<owner>``
while a request holds it (for the lease), ``d<fingerprint>\\n<answer>`` once
completed (for the retention period).  Every operation is one Lua script, run
with ``EVALSHA`` (the script is loaded the first time the server does not know
it), so it is atomic and costs one round trip whatever it finds:

claim
    ``SET key value NX PX lease``; when the key is taken, its value (and the
    lease left) in the same reply: claimed, in flight, or the stored answer.
complete
    compare the entry with the claim (``c<fingerprint>\\n<owner>``), then ``SET``
    the finished entry, which the store makes on the client (the fingerprint
    is given again, with the owner): one step, so a request whose lease lapsed
    cannot overwrite its successor's answer, and the entry is stored at its
    size (an entry grown by ``APPEND`` keeps up to twice its size allocated).
extend, release
    compare the owner, then renew the lease or delete the entry, in one step.

The ``*_many`` variants run one script for all keys: one round trip.  (On
Redis Cluster all keys of one call must share a slot: give the store a
*prefix* with a hash tag, e.g. ``"{idem}:"``.)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from typing import Any

import redis
from redis.exceptions import NoScriptError

from .._idempotency import DEFAULT_RETENTION, Claim
from .._limits import retention_seconds

__all__ = ["RedisStore"]

_PARSE = """
local function parse(v)
  local nl = string.find(v, "\\n", 2, true)
  return string.sub(v, 1, 1), string.sub(v, 2, nl - 1), string.sub(v, nl + 1)
end
"""
# KEYS: the keys; ARGV: lease (ms), then the value to claim each key with ("c<fp>\\n<owner>").
# Returns two values per key: "" and 0 when claimed, or its value and the ms its lease has left.
_CLAIM = """
local out = {}
for i, k in ipairs(KEYS) do
  if redis.call("SET", k, ARGV[i + 1], "NX", "PX", ARGV[1]) then
    out[2 * i - 1], out[2 * i] = "", 0
  else
    local v = redis.call("GET", k)
    out[2 * i - 1], out[2 * i] = v, string.sub(v, 1, 1) == "c" and redis.call("PTTL", k) or 0
  end
end
return out
"""
# KEYS: the keys; ARGV: retention (ms), then for each key the claim it must hold and the entry to set.
# Returns 1/0 per key.
_COMPLETE = """
local out = {}
for i, k in ipairs(KEYS) do
  out[i] = 0
  if redis.call("GET", k) == ARGV[2 * i] then
    redis.call("SET", k, ARGV[2 * i + 1], "PX", ARGV[1])
    out[i] = 1
  end
end
return out
"""
# KEYS: the keys; ARGV: owner, lease (ms) or "" to release.  Returns 1/0 per key.
_HOLDER = (
    _PARSE
    + """
local out = {}
for i, k in ipairs(KEYS) do
  local v = redis.call("GET", k)
  out[i] = 0
  if v then
    local state, fp, rest = parse(v)
    if state == "c" and rest == ARGV[1] then
      if ARGV[2] == "" then redis.call("DEL", k) else redis.call("PEXPIRE", k, ARGV[2]) end
      out[i] = 1
    end
  end
end
return out
"""
)

#: Each script's SHA1, the name ``EVALSHA`` runs it by.
_SHA1 = {
    script: hashlib.sha1(script.encode("utf-8"), usedforsecurity=False).hexdigest()
    for script in (_CLAIM, _COMPLETE, _HOLDER)
}


class RedisStore:
    """Keys, leases and answers in Redis, under *prefix*.

    Args:
        client: a ``redis.Redis`` client, or a URL (``redis://host:6379/0``).
        retention: seconds a completed answer is kept.
        prefix: prepended to every key.

    Errors of the Redis client (a refused connection, a timeout) are raised as they are.

    Raises:
        ValueError: *client* decodes its replies (``decode_responses=True``).

    Example (a server on loopback):
        >>> from multistatus.idempotency import RedisStore
        >>> store = RedisStore("redis://127.0.0.1:6379/0")  # doctest: +SKIP
        >>> store.claim("k", "fp", "owner-1", 30).won       # doctest: +SKIP
        True
    """

    def __init__(
        self, client: redis.Redis | str, *, retention: float = DEFAULT_RETENTION, prefix: str = "multistatus:idem:"
    ) -> None:
        self.client: redis.Redis = bytes_client(client)
        self.retention = retention_seconds(retention)
        self.prefix = prefix

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def _keys(self, keys: Sequence[str]) -> list[str]:
        return [self.prefix + key for key in keys]

    def _run(self, script: str, keys: list[str], args: list[Any]) -> Any:
        """Run *script* by its SHA1; load it first when the server does not know it (new, restarted, flushed)."""
        try:
            return self.client.evalsha(_SHA1[script], len(keys), *keys, *args)
        except NoScriptError:
            self.client.script_load(script)
            return self.client.evalsha(_SHA1[script], len(keys), *keys, *args)

    def claim(self, key: str, fingerprint: str, owner: str, lease: float) -> Claim:
        """Claim *key* (see :class:`~multistatus.idempotency.Store`)."""
        return self.claim_many([(key, fingerprint)], owner, lease)[0]

    def claim_many(self, keys: Sequence[tuple[str, str]], owner: str, lease: float) -> list[Claim]:
        """Claim each ``(key, fingerprint)``: one script, ``SET NX PX`` per key, the values found in the same reply."""
        if not keys:
            return []
        values = []
        for _, fp in keys:
            if "\n" in fp:
                raise ValueError(f"a fingerprint is one line, not {fp!r}")
            values.append(_claim_entry(fp, owner))
        found: list[Any] = self._run(_CLAIM, self._keys([k for k, _ in keys]), [_ms(lease), *values])
        return [
            _seen(found[2 * i], found[2 * i + 1]) if found[2 * i] else Claim(True, fp, None, float(lease))
            for i, (_, fp) in enumerate(keys)
        ]

    def complete(self, key: str, fingerprint: str, owner: str, answer: bytes) -> bool:
        """Keep *answer* if *owner* still holds *key*, claimed with *fingerprint* (compare and set, in one script)."""
        return self.complete_many([(key, fingerprint, answer)], owner)[0]

    def complete_many(self, answers: Sequence[tuple[str, str, bytes]], owner: str) -> list[bool]:
        """:meth:`complete` for each ``(key, fingerprint, answer)``, in one script."""
        if not answers:
            return []
        args: list[Any] = [_ms(self.retention)]
        for _, fp, answer in answers:
            args += (_claim_entry(fp, owner), b"d" + fp.encode("utf-8") + b"\n" + answer)
        done: list[int] = self._run(_COMPLETE, self._keys([k for k, _, _ in answers]), args)
        return [flag == 1 for flag in done]

    def extend(self, key: str, owner: str, lease: float) -> bool:
        """Renew *owner*'s lease on *key* (compare and ``PEXPIRE``, in one script)."""
        done: list[int] = self._run(_HOLDER, self._keys([key]), [owner, _ms(lease)])
        return done[0] == 1

    def release(self, key: str, owner: str) -> bool:
        """Remove *owner*'s claim on *key* (compare and ``DEL``, in one script)."""
        return self.release_many([key], owner)[0]

    def release_many(self, keys: Sequence[str], owner: str) -> list[bool]:
        """:meth:`release` for each key, in one script."""
        if not keys:
            return []
        done: list[int] = self._run(_HOLDER, self._keys(keys), [owner, ""])
        return [flag == 1 for flag in done]

    def read(self, key: str) -> Claim | None:
        """The live entry of *key*, or ``None``."""
        pipe = self.client.pipeline(transaction=True)
        pipe.get(self.prefix + key)
        pipe.pttl(self.prefix + key)
        value, pttl = pipe.execute()
        return None if value is None else _seen(value, pttl)


def bytes_client(client: redis.Redis | str) -> redis.Redis:
    """*client*, or a client of the URL *client*, checked to answer bytes (what the stores keep).

    Raises:
        ValueError: the client decodes its replies (``decode_responses=True``): a
            stored answer is bytes, and a client that makes text of it cannot give it back.
    """
    made: redis.Redis = redis.Redis.from_url(client) if isinstance(client, str) else client
    if made.get_encoder().decode_responses:
        raise ValueError(
            "a store needs a Redis client that answers bytes, not one made with decode_responses=True"
            " (give it a client of its own, or a URL)"
        )
    return made


def _claim_entry(fingerprint: str, owner: str) -> str:
    """The entry of a key claimed by *owner* (what a claim sets and a completion compares)."""
    return f"c{fingerprint}\n{owner}"


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


def _seen(value: bytes, pttl: int) -> Claim:
    """The claim of another request (``c``) or its answer (``d``) from the stored *value*."""
    state, rest = value[:1], value[1:]
    fp, _, tail = rest.partition(b"\n")
    if state == b"d":
        return Claim(False, fp.decode("ascii"), tail, 0.0)
    return Claim(False, fp.decode("ascii"), None, max(pttl, 0) / 1000)
