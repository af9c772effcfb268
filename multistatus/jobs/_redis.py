"""A job store in Redis, for jobs that run on many machines (``pip install multistatus[redis]``).

Three keys per job: a hash (state, total, owner, lease, cancel, end), a list of
the finished items' answers, and the payload.  Every operation is one Lua
script that reads Redis's own clock (``TIME``), so the machines' clocks need
not agree, and compares the owner and its lease before it writes.  When a job
ends, its answers and payload expire after the retention period and its hash
(the tombstone) after twice that.  (On Redis Cluster the keys of one job share
a slot: the job id is a hash tag.)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import redis

from .._jobs import DEFAULT_JOB_RETENTION, JobRecord, Progress
from .._limits import retention_seconds
from .._model._job import TERMINAL_STATES, JobState
from ..idempotency._redis import bytes_client

__all__ = ["RedisJobStore"]

_NOW = """
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function held(h)
  local owner = redis.call("HGET", h, "owner")
  return owner, tonumber(redis.call("HGET", h, "lease") or "0")
end
local function terminal(state)
  return state == "succeeded" or state == "failed" or state == "canceled"
end
local function ended(h, items, payload, state, ms)
  redis.call("HSET", h, "state", state, "owner", "", "ends", now + ms)
  redis.call("PEXPIRE", items, ms)
  redis.call("PEXPIRE", payload, ms)
  redis.call("PEXPIRE", h, 2 * ms)
end
"""
# KEYS: hash, items, payload.  ARGV: answers ("1" or "0").  -> {state, total, cancel, owner, lease, ends, now, payload, answers...}
_READ = (
    _NOW
    + """
if redis.call("EXISTS", KEYS[1]) == 0 then return false end
local f = redis.call("HMGET", KEYS[1], "state", "total", "cancel", "owner", "lease", "ends")
local out = {f[1], f[2], f[3], f[4] or "", f[5] or "0", f[6] or "", tostring(now), redis.call("GET", KEYS[3]) or ""}
if ARGV[1] == "1" then
  for _, a in ipairs(redis.call("LRANGE", KEYS[2], 0, -1)) do out[#out + 1] = a end
else
  out[#out + 1] = redis.call("LLEN", KEYS[2])
end
return out
"""
)
# KEYS: hash, items, payload.  ARGV: owner, lease (ms).  -> 1 when taken
_CLAIM = (
    _NOW
    + """
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
if terminal(redis.call("HGET", KEYS[1], "state")) then return 0 end
local owner, lease = held(KEYS[1])
if owner and owner ~= "" and lease > now then return 0 end
redis.call("HSET", KEYS[1], "state", "running", "owner", ARGV[1], "lease", now + tonumber(ARGV[2]))
return 1
"""
)
# KEYS: hash, items.  ARGV: owner, start, lease (ms), answers...  -> "ok", "canceled" or "lost"
_RECORD = (
    _NOW
    + """
local owner, lease = held(KEYS[1])
if owner ~= ARGV[1] or lease <= now or redis.call("LLEN", KEYS[2]) ~= tonumber(ARGV[2]) then return "lost" end
for i = 4, #ARGV do redis.call("RPUSH", KEYS[2], ARGV[i]) end
redis.call("HSET", KEYS[1], "lease", now + tonumber(ARGV[3]))
if redis.call("HGET", KEYS[1], "cancel") == "1" then return "canceled" end
return "ok"
"""
)
# KEYS: hash, items, payload.  ARGV: owner, state, retention (ms).  -> 1 when ended
_FINISH = (
    _NOW
    + """
local owner, lease = held(KEYS[1])
if owner ~= ARGV[1] or lease <= now then return 0 end
ended(KEYS[1], KEYS[2], KEYS[3], ARGV[2], tonumber(ARGV[3]))
return 1
"""
)
# KEYS: hash, items, payload.  ARGV: retention (ms).  -> 1 when the job exists
_CANCEL = (
    _NOW
    + """
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
if not terminal(redis.call("HGET", KEYS[1], "state")) then
  redis.call("HSET", KEYS[1], "cancel", "1")
  local owner, lease = held(KEYS[1])
  if not owner or owner == "" or lease <= now then ended(KEYS[1], KEYS[2], KEYS[3], "canceled", tonumber(ARGV[1])) end
end
return 1
"""
)


def _ms(seconds: float) -> int:
    return max(1, math.ceil(seconds * 1000))


def _text(value: Any) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


class RedisJobStore:
    """Job records in Redis: many processes on many machines share them.

    Args:
        client: a ``redis.Redis`` client, or a ``redis://`` URL to make one.
        retention: seconds a job's results are kept once it ended.
        prefix: the prefix of every key this store writes.

    Raises:
        ValueError: *client* decodes its replies (``decode_responses=True``).

    Example:
        >>> from multistatus.jobs import RedisJobStore
        >>> store = RedisJobStore("redis://127.0.0.1:6379/0")   # doctest: +SKIP
    """

    def __init__(
        self, client: redis.Redis | str, *, retention: float = DEFAULT_JOB_RETENTION, prefix: str = "multistatus:job:"
    ) -> None:
        self.client: redis.Redis = bytes_client(client)
        self.retention = retention_seconds(retention)
        self.prefix = prefix
        self._read = self.client.register_script(_READ)
        self._claim = self.client.register_script(_CLAIM)
        self._record = self.client.register_script(_RECORD)
        self._finish = self.client.register_script(_FINISH)
        self._cancel = self.client.register_script(_CANCEL)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def _keys(self, job_id: str) -> list[str]:
        base = f"{self.prefix}{{{job_id}}}"
        return [base, base + ":items", base + ":payload"]

    def create(self, job_id: str, payload: bytes, total: int) -> None:
        """Keep a new job (see :class:`~multistatus.jobs.JobStore`)."""
        h, items, body = self._keys(job_id)
        with self.client.pipeline(transaction=True) as pipe:
            pipe.delete(items)
            pipe.set(body, bytes(payload))
            pipe.hset(h, mapping={"state": "not-started", "total": int(total), "cancel": "0", "owner": "", "lease": 0})
            pipe.execute()

    def read(self, job_id: str, *, answers: bool = True) -> JobRecord | None:
        """The job's record, a tombstone, or ``None``."""
        found: list[Any] | None = self._read(keys=self._keys(job_id), args=["1" if answers else "0"])
        if not found:
            return None
        state: JobState = _text(found[0])  # type: ignore[assignment]
        total, cancel, owner = int(found[1]), _text(found[2]) == "1", _text(found[3])
        lease, ends, now = int(found[4]), _text(found[5]), int(found[6])
        if ends and int(ends) <= now:
            return JobRecord(job_id, state, total, (), 0, b"", cancel, 0.0, gone=True)
        kept = tuple(bytes(a) for a in found[8:]) if answers else ()
        done = len(kept) if answers else int(found[8])
        left = (lease - now) / 1000 if owner and lease > now else 0.0
        return JobRecord(job_id, state, total, kept, done, bytes(found[7]), cancel, left)

    def claim(self, job_id: str, owner: str, lease: float) -> JobRecord | None:
        """Take the job if it is not started or its lease lapsed (only the holder writes answers, so the
        record read after the claim is where to resume)."""
        if not self._claim(keys=self._keys(job_id), args=[owner, _ms(lease)]):
            return None
        return self.read(job_id)

    def record(self, job_id: str, owner: str, start: int, answers: Sequence[bytes], lease: float) -> Progress:
        """Append *answers* if *owner* holds the job and *start* is the next item."""
        keys = self._keys(job_id)[:2]
        found = self._record(keys=keys, args=[owner, int(start), _ms(lease), *(bytes(a) for a in answers)])
        progress: Progress = _text(found)  # type: ignore[assignment]
        return progress

    def finish(self, job_id: str, owner: str, state: JobState) -> bool:
        """End the job held by *owner*."""
        if state not in TERMINAL_STATES:
            return False
        return bool(self._finish(keys=self._keys(job_id), args=[owner, state, _ms(self.retention)]))

    def cancel(self, job_id: str) -> JobRecord | None:
        """Stop the job at once if nobody runs it, else ask its runner to stop."""
        if not self._cancel(keys=self._keys(job_id), args=[_ms(self.retention)]):
            return None
        return self.read(job_id)
