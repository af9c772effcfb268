"""``DAV:multistatus`` (RFC 4918 §13, §14.16; RFC 6578 §6.4) and its derived :class:`Summary`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .._names import DAV
from ._common import Outcome, extensions_of, new, opt_text, set_slot
from ._element import Element
from ._frozen import EMPTY, FrozenMap, draft
from ._grouping import group_by_error, group_by_status, raise_for_failures
from ._job import JobStatus
from ._response import Response

__all__ = ["MultiStatus", "Summary", "Tally", "document_of"]


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts derived from the responses; never stored, always recomputed.

    ``by_status`` counts every status occurrence: the status of a status-form
    response, and each propstat's status.  ``truncated`` is true when a response
    reports ``507`` with ``DAV:number-of-matches-within-limits`` (RFC 5323 §5.2,
    RFC 6578 §3.6) -- the server left results out.

    Example:
        >>> doc = MultiStatus([Response("/a", status=200), Response("/b", status=404)])
        >>> s = doc.summary
        >>> s.total, s.succeeded, s.failed, dict(s.by_status)
        (2, 1, 1, {200: 1, 404: 1})
    """

    total: int = 0
    succeeded: int = 0
    failed: int = 0
    partial: int = 0
    other: int = 0
    by_status: FrozenMap[int, int] = EMPTY
    truncated: bool = False

    @classmethod
    def of(cls, responses: Iterable[Response]) -> Summary:
        """Compute the summary of *responses* (any iterable, consumed once)."""
        tally = Tally()
        for response in responses:
            tally.add(response)
        return tally.summary(cls)

    @property
    def all_succeeded(self) -> bool:
        """True when every response succeeded (and there is at least one)."""
        return self.total > 0 and self.succeeded == self.total


def _truncates(response: Response) -> bool:
    """A ``507`` with ``DAV:number-of-matches-within-limits``: the server left results out."""
    status, error = response.status, response.error
    return (
        status is not None
        and status.code == 507
        and error is not None
        and f"{{{DAV}}}number-of-matches-within-limits" in error.condition_names
    )


class Tally:
    """Counts a :class:`Summary` one response at a time (for streaming writers)."""

    __slots__ = ("by_status", "counts", "total", "truncated")

    def __init__(self) -> None:
        self.counts: dict[Outcome, int] = {"succeeded": 0, "failed": 0, "partial": 0, "other": 0}
        self.by_status: dict[int, int] = {}
        self.total = 0
        self.truncated = False

    def add(self, response: Response) -> None:
        """Count one more response."""
        self.total += 1
        self.counts[response.outcome] += 1
        by_status = self.by_status
        for status in response.statuses:
            code = status.code
            by_status[code] = by_status.get(code, 0) + 1
        if not self.truncated and _truncates(response):
            self.truncated = True

    def summary(self, cls: type[Summary] = Summary) -> Summary:
        """The :class:`Summary` of the responses counted so far."""
        by_status = FrozenMap(dict(sorted(self.by_status.items())))
        return cls(self.total, by_status=by_status, truncated=self.truncated, **self.counts)


@dataclass(frozen=True, slots=True, init=False, repr=False)
class MultiStatus:
    """A ``DAV:multistatus`` document (RFC 4918 §13, §14.16; RFC 6578 §6.4).

    Args:
        responses: the :class:`Response` values, in order.
        description: the multistatus-level ``DAV:responsedescription``.
        sync_token: the RFC 6578 ``DAV:sync-token``.
        extensions: unknown top-level elements kept from the input (RFC 4918 §17).
        job: the state and progress of the job that makes this document, when a
            job's monitor answers with it (see :class:`JobStatus`).

    Example:
        >>> doc = MultiStatus([Response("/a", status=201), Response("/b", status=409)])
        >>> [r.href for r in doc.failed()]
        ['/b']
        >>> doc.summary.failed
        1
    """

    responses: tuple[Response, ...]
    description: str | None
    sync_token: str | None
    extensions: tuple[Element, ...]
    job: JobStatus | None

    def __init__(
        self,
        responses: Iterable[Response] = (),
        *,
        description: str | None = None,
        sync_token: str | None = None,
        extensions: Iterable[Element] = (),
        job: JobStatus | None = None,
    ) -> None:
        resps = tuple(responses)
        for r in resps:
            if not isinstance(r, Response):
                raise TypeError(f"responses must be Response values, not {type(r).__name__}")
        set_slot(self, "responses", resps)
        set_slot(self, "description", opt_text(description, "responsedescription"))
        token = opt_text(sync_token, "sync-token")
        set_slot(self, "sync_token", token.strip() or None if token is not None else None)
        set_slot(self, "extensions", extensions_of(extensions, "multistatus"))
        if job is not None and not isinstance(job, JobStatus):
            raise TypeError(f"job must be a JobStatus, not {type(job).__name__}")
        set_slot(self, "job", job)

    @staticmethod
    def _trusted(responses: tuple[Response, ...], description: str | None, sync_token: str | None) -> MultiStatus:
        """Build without checks, from parts a MultiStatus held or checked (a collector's responses)."""
        made: Any = new(_MultiStatusDraft)  # plain stores, then the class switched (see draft)
        made.responses = responses
        made.description = description
        made.sync_token = sync_token
        made.extensions = ()
        made.job = None
        made.__class__ = MultiStatus
        return made  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Response]:
        return iter(self.responses)

    @property
    def summary(self) -> Summary:
        """The :class:`Summary`, computed from the responses."""
        return Summary.of(self.responses)

    def _having(self, outcome: Outcome) -> tuple[Response, ...]:
        return tuple(r for r in self.responses if r.outcome == outcome)

    def succeeded(self) -> tuple[Response, ...]:
        """The responses whose statuses are all 2xx."""
        return self._having("succeeded")

    def failed(self) -> tuple[Response, ...]:
        """The responses whose statuses are all 4xx/5xx."""
        return self._having("failed")

    def partial(self) -> tuple[Response, ...]:
        """The responses with both 2xx and 4xx/5xx propstats."""
        return self._having("partial")

    def group_by_status(self) -> dict[int, tuple[Response, ...]]:
        """The responses keyed by status code, in ascending code order.

        A response with several propstats is listed under each of its codes.

        Example:
            >>> doc = MultiStatus([Response("/a", status=201), Response("/b", status=409),
            ...                    Response("/c", status=201)])
            >>> {code: [r.href for r in rs] for code, rs in doc.group_by_status().items()}
            {201: ['/a', '/c'], 409: ['/b']}
        """
        return group_by_status(self.responses)

    def group_by_error(self) -> dict[str | None, tuple[Response, ...]]:
        """The failed and partial responses keyed by what went wrong.

        The key is the problem ``code`` (REST batches), else the problem
        ``type``, else the Clark name of each ``DAV:error`` condition (of the
        response and of its failing propstats); ``None`` collects failures that
        carry no error detail.  Keys come in order of first appearance.

        Example:
            >>> locked = Error(["{DAV:}lock-token-submitted"])
            >>> doc = MultiStatus([Response("/a", status=423, error=locked),
            ...                    Response("/b", status=429, error=Error(code="rate_limited")),
            ...                    Response("/c", status=404)])
            >>> {key: [r.href for r in rs] for key, rs in doc.group_by_error().items()}
            {'{DAV:}lock-token-submitted': ['/a'], 'rate_limited': ['/b'], None: ['/c']}
        """
        return group_by_error(self.responses)

    def raise_for_failures(self, *, partial: bool = False) -> None:
        """Raise :class:`~multistatus.FailedItems` listing every failed response, if any.

        Args:
            partial: also count responses that partly failed (a PROPFIND's 404
                propstats make most responses partial, hence off by default).

        Raises:
            FailedItems: at least one response failed.

        Example:
            >>> MultiStatus([Response("/a", status=204)]).raise_for_failures()
        """
        raise_for_failures(self, partial=partial)

    def __repr__(self) -> str:
        args = [repr(list(self.responses))]
        for name in ("description", "sync_token", "extensions", "job"):
            value = getattr(self, name)
            if value is not None and value != ():
                args.append(f"{name}={value!r}")
        return f"MultiStatus({', '.join(args)})"


#: Mutable twin of MultiStatus, for the trusted constructor (see draft).
_MultiStatusDraft = draft(MultiStatus)


def document_of(value: object, where: str) -> MultiStatus:
    """*value* as the document *where* takes: a :class:`MultiStatus`, or a value that builds
    one (a :class:`~multistatus.Results`, through its ``__multistatus__``).

    Anything else is a :class:`TypeError` that says what was passed, what was
    expected, and where a likely mix-up has a function of its own.

    Example:
        >>> document_of({"responses": []}, "to_xml()")
        Traceback (most recent call last):
        ...
        TypeError: to_xml() takes a MultiStatus (or a Results, which it builds), not dict; for the JSON form as dicts, read it with ms.from_dict() first
    """
    if isinstance(value, MultiStatus):
        return value
    build = getattr(type(value), "__multistatus__", None)
    if build is not None:
        built = build(value)
        if isinstance(built, MultiStatus):
            return built
    hint = ""
    if isinstance(value, Mapping):
        hint = "; for the JSON form as dicts, read it with ms.from_dict() first"
    elif isinstance(value, (bytes, bytearray, memoryview, str)):
        hint = "; for a body, read it with ms.from_xml(), ms.from_json() or ms.from_body() first"
    elif isinstance(value, Response) or (isinstance(value, (list, tuple)) and value and isinstance(value[0], Response)):
        hint = "; put the responses in one: ms.MultiStatus([...])"
    raise TypeError(f"{where} takes a MultiStatus (or a Results, which it builds), not {type(value).__name__}{hint}")
