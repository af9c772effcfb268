"""The collector of one request's per-item results: :class:`Results`.

A server handler records what happened to each item (or resource) of one
request -- succeeded, failed, a PROPFIND or PROPPATCH outcome -- and builds the
:class:`~multistatus.MultiStatus` at the end.  The collector is safe to share
between the threads that work on one request: each record is one append to a
list, which CPython makes atomic (with the GIL, and with the list's own lock on
free-threaded builds), and every read takes one copy of the list.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .._model import Element, Error, MultiStatus, Property, PropStat, Response, Status
from .._model._property import named_propstat
from .._public import publish
from ._item import Failure, Item, failed, logger, succeeded

if TYPE_CHECKING:
    from .._idempotency import Idempotency

__all__ = ["Results"]


class Results:
    """Collects the per-item results of one request and builds the :class:`~multistatus.MultiStatus`.

    Share one instance between the threads of one request: each record is
    one atomic append.  Responses keep the order in which they were recorded.

    Args:
        description: the multistatus-level ``DAV:responsedescription``.
        sync_token: the RFC 6578 ``DAV:sync-token``.
        idempotency: the :class:`~multistatus.idempotency.Idempotency` settings that
            :meth:`claimed` claims per-item keys with (the middleware's ``idempotency=``
            gives them to the collector of each request); ``None``: items carry no keys.
        scope: who is asking (see :meth:`Idempotency.begin <multistatus.idempotency.Idempotency.begin>`).
        target: the request's method and path (``"POST /orders"``), part of each item
            key's fingerprint, so that an item key reused at another endpoint is refused
            (the middleware gives it too).

    Example:
        >>> import multistatus as ms
        >>> results = ms.Results()
        >>> _ = results.record_success("/items/1", status=201, location="/items/1", body={"id": 1})
        >>> _ = results.record_failure("/items/2", status=429, code="rate_limited",
        ...                    message="Retry later.", retry_after=30)
        >>> doc = results.build()
        >>> [(r.href, r.status.code) for r in doc]
        [('/items/1', 201), ('/items/2', 429)]
        >>> doc.responses[1].headers["retry-after"], doc.responses[1].error.code
        ('30', 'rate_limited')
    """

    def __init__(
        self,
        *,
        description: str | None = None,
        sync_token: str | None = None,
        idempotency: Idempotency | None = None,
        scope: str = "",
        target: str = "",
    ) -> None:
        # Checked now (and kept as the document keeps them), so that build() cannot fail on them later.
        if description is not None or sync_token is not None:
            checked = MultiStatus(description=description, sync_token=sync_token)
            description, sync_token = checked.description, checked.sync_token
        self._description = description
        self._sync_token = sync_token
        self._responses: list[Response] = []  # (Response values only: add() sees to it)
        # Each href and each id recorded so far -> where it was first recorded (see add()).
        self._seen: dict[tuple[str, str], object] = {}
        #: The idempotency settings :meth:`claimed` uses, or ``None``.
        self.idempotency = idempotency
        #: Who is asking: the scope of the per-item keys.
        self.scope = scope
        #: The request's method and path: part of the per-item keys' fingerprints.
        self.target = target

    def add(self, response: Response) -> Response:
        """Record a :class:`~multistatus.Response` built by hand; returns it.

        Example:
            >>> import multistatus as ms
            >>> results = ms.Results()
            >>> results.add(ms.Response(["/a", "/b"], status=423)).hrefs
            ('/a', '/b')
        """
        if not isinstance(response, Response):
            raise TypeError(f"add() takes a Response, not {type(response).__name__}")
        keys = [("href", href) for href in response.hrefs]
        if response.id is not None:
            keys.append(("id", response.id))
        seen, token = self._seen, object()
        for n, key in enumerate(keys):
            if "#" in key[1] and key[0] == "href":
                self._forget(keys[:n])
                raise ValueError(f"href {key[1]!r} has a fragment ('#'); an href names a resource (RFC 4918 §8.3)")
            # (setdefault is one atomic step: two threads recording one href cannot both pass)
            if seen.setdefault(key, token) is not token:
                self._forget(keys[:n])
                raise ValueError(
                    f"{key[0]} {key[1]!r} was recorded already: a multistatus names each item once (RFC 4918 §13)"
                )
        self._responses.append(response)  # (atomic: no lock needed, see the module)
        return response

    def _forget(self, keys: list[tuple[str, str]]) -> None:
        """Let *keys* (noted by a record that failed after them) be recorded again."""
        for key in keys:
            self._seen.pop(key, None)

    def record_success(
        self,
        href: str,
        *,
        status: int | Status = 200,
        id: str | None = None,  # noqa: A002 - the JSON member is called "id"
        location: str | None = None,
        headers: Mapping[str, str] | None = None,
        body: object = None,
    ) -> Response:
        """Record an item that succeeded (``succeeded``, the earlier spelling, is kept one release).

        Args:
            href: the item's URL (path or absolute).
            status: a 2xx status (200 by default; 201 for created items).
            id: the client's correlation id for the item.
            location: where a created item lives.
            headers: per-item header fields such as ``etag``.
            body: a JSON value returned for the item.

        Returns:
            The recorded :class:`~multistatus.Response`.

        Raises:
            ValueError: *status* is not 2xx, or another argument is invalid.

        Example:
            >>> import multistatus as ms
            >>> ms.Results().record_success("/items/7", status=201, headers={"ETag": '"v1"'}).headers
            {'etag': '"v1"'}
        """
        return self.add(succeeded(href, status, id=id, location=location, headers=headers, body=body))

    def record_failure(
        self,
        href: str,
        *,
        status: int | Status,
        code: str | None = None,
        message: str | None = None,
        type: str | None = None,  # noqa: A002 - the RFC 9457 member is called "type"
        title: str | None = None,
        detail: str | None = None,
        retry_after: int | str | None = None,
        id: str | None = None,  # noqa: A002
        conditions: Iterable[Element | str] = (),
        headers: Mapping[str, str] | None = None,
        body: object = None,
    ) -> Response:
        """Record an item that failed, with an optional problem and error conditions.

        ``failed``, the earlier spelling, is kept one release; reading the
        failures of a document is :meth:`MultiStatus.failed() <multistatus.MultiStatus.failed>`.

        *code*, *message*, *type*, *title* and *detail* become RFC 9457 problem
        members of the response's :class:`~multistatus.Error`; *conditions* are
        ``DAV:error`` condition elements (or Clark names of empty ones).

        Args:
            href: the item's URL.
            status: a 4xx or 5xx status.
            code: a machine-readable error code, e.g. ``"invalid"``.
            message: a human-readable message.
            type: the RFC 9457 problem type URI.
            title: the RFC 9457 title.
            detail: the RFC 9457 detail.
            retry_after: seconds (int) or an HTTP-date (str); becomes the
                ``retry-after`` header of the item.
            id: the client's correlation id.
            conditions: ``DAV:error`` conditions.
            headers: more per-item header fields.
            body: a JSON value returned for the item.

        Returns:
            The recorded :class:`~multistatus.Response`.

        Raises:
            ValueError: *status* is not 4xx/5xx, *retry_after* is not a delay or
                an HTTP-date, or another argument is invalid.

        Example:
            >>> import multistatus as ms
            >>> r = ms.Results().record_failure("/dav/locked/", status=423,
            ...                                 conditions=["{DAV:}lock-token-submitted"])
            >>> r.error.condition_names
            ('{DAV:}lock-token-submitted',)
        """
        return self.add(
            failed(
                href,
                status,
                code=code,
                message=message,
                type=type,
                title=title,
                detail=detail,
                retry_after=retry_after,
                id=id,
                conditions=conditions,
                headers=headers,
                body=body,
            )
        )

    #: The earlier spelling of :meth:`record_success`, kept one release.
    succeeded = record_success
    #: The earlier spelling of :meth:`record_failure`, kept one release.
    failed = record_failure

    def propfind(
        self,
        href: str,
        found: Mapping[str, Any] | Iterable[Property] = (),
        missing: Iterable[str] = (),
        forbidden: Iterable[str] = (),
    ) -> Response:
        """Record a PROPFIND result: 200 for *found*, 404 for *missing*, 403 for *forbidden*.

        Empty groups get no propstat; when all are empty the response has one
        empty 200 propstat (RFC 4918 requires at least one).

        Args:
            href: the resource.
            found: property values by Clark name, or :class:`~multistatus.Property` values.
            missing: names of properties the resource does not have.
            forbidden: names of properties the client may not read.

        Returns:
            The recorded :class:`~multistatus.Response`.

        Example:
            >>> import multistatus as ms
            >>> r = ms.Results().propfind("/dav/a.txt", {"{DAV:}getetag": '"1"'},
            ...                           missing=["{http://example.com/ns}color"])
            >>> [(ps.status.code, ps.names) for ps in r.propstats]
            [(200, ('{DAV:}getetag',)), (404, ('{http://example.com/ns}color',))]
        """
        groups = (
            PropStat(found),
            named_propstat(missing, 404),
            named_propstat(forbidden, 403),
        )
        return self.add(Response(href, propstats=[ps for ps in groups if ps.props] or [PropStat((), 200)]))

    def proppatch(self, href: str, names: Iterable[str], failures: Mapping[str, Failure] | None = None) -> Response:
        """Record a PROPPATCH result under RFC 4918 §9.2.1's all-or-nothing rule.

        When every property succeeded there is one 200 propstat.  When any
        failed, the failures are grouped by status (and error), and every other
        property becomes ``424 Failed Dependency``: none of them was applied.

        Args:
            href: the resource.
            names: every property the request set or removed, in request order.
            failures: the failed properties: a status, or ``(status, Error)``.

        Returns:
            The recorded :class:`~multistatus.Response`.

        Raises:
            ValueError: a failure names a property not in *names*, or has a 2xx status.

        Example:
            >>> import multistatus as ms
            >>> r = ms.Results().proppatch("/dav/a.txt", ["{DAV:}getetag", "{urn:x}color"],
            ...                            {"{DAV:}getetag": 403})
            >>> [(ps.status.code, ps.names) for ps in r.propstats]
            [(403, ('{DAV:}getetag',)), (424, ('{urn:x}color',))]
        """
        order = list(dict.fromkeys(Property(n).name for n in names))
        if not failures:
            return self.add(Response(href, propstats=[PropStat([Property(n) for n in order], 200)]))
        groups: dict[tuple[Status, Error | None], list[str]] = {}
        for raw_name, failure in failures.items():
            name = Property(raw_name).name
            if name not in order:
                raise ValueError(f"failure for {name}, which is not among the names")
            if isinstance(failure, tuple):
                status, error = Status.of(failure[0]), failure[1]
                if not isinstance(error, Error):
                    raise TypeError(f"a failure tuple is (status, Error), not (status, {type(error).__name__})")
            else:
                status, error = Status.of(failure), None
            if status.is_success:
                raise ValueError(f"failure for {name} has the 2xx status {status.code}")
            groups.setdefault((status, error), []).append(name)
        failed = {n for group in groups.values() for n in group}
        propstats = [
            PropStat([Property(n) for n in group], status, error=error) for (status, error), group in groups.items()
        ]
        rest = [Property(n) for n in order if n not in failed]
        if rest:
            propstats.append(PropStat(rest, 424))
        return self.add(Response(href, propstats=propstats))

    @contextmanager
    def item(self, href: str, *, id: str | None = None) -> Iterator[Item]:  # noqa: A002
        """Work on one item; whatever happens, exactly one result is recorded for it.

        If the block raises an :class:`Exception`, the item is recorded as
        ``500`` with code ``internal_error`` (no traceback text reaches the
        client; the exception is logged at ERROR on the ``multistatus`` logger)
        and the exception is swallowed so the other items go on.  If the block
        records nothing, the item is recorded as ``500`` with code ``no_result``.

        Raises:
            ValueError: *href* or *id* is not usable (checked before the block runs).

        Args:
            href: the item's URL.
            id: the client's correlation id.

        Yields:
            A handle with ``succeeded(...)`` and ``failed(...)`` (keyword arguments as on
            :class:`Results`, without *href* and *id*).

        Example:
            >>> import multistatus as ms
            >>> results = ms.Results()
            >>> with results.item("/items/9") as item:
            ...     raise KeyError("database row vanished")
            >>> r = results.responses[0]
            >>> r.status.code, r.error.code, r.error.message
            (500, 'internal_error', 'Internal Server Error')
        """
        # Built up front: an href or id the model refuses fails here, at entry,
        # instead of failing again while recording the 500 after the block.
        crash = failed(href, 500, code="internal_error", message="Internal Server Error", id=id)
        handle = Item(href, id)
        try:
            yield handle
        except Exception:
            logger().exception("multistatus: the handler for %s raised; recorded as 500", href)
            self.add(crash)
            return
        if handle._result is None:
            logger().error("multistatus: the handler for %s recorded no result; recorded as 500", href)
            self.add(failed(href, 500, code="no_result", message="Internal Server Error", id=id))
        else:
            self.add(handle._result)

    def claimed(
        self,
        items: Sequence[object],
        *,
        href: Callable[[Any, int], str],
        id: Callable[[Any, int], str] | None = None,  # noqa: A002
    ) -> Generator[tuple[int, Any], None, None]:
        """The items of a batch to run, as ``(position, item)``, each item's own key claimed first.

        With :attr:`idempotency` set, each item that carries its own key (the
        ``idempotency_key`` member, or the settings' ``member``) is claimed, all of
        them in one store round trip, before the first is yielded.  An item whose
        key completed before is not yielded: its stored response is recorded in
        its place, marked ``replayed``.  An item another request is running (409),
        whose key was used with another payload (422) or whose key is malformed
        (400) is not yielded either: its problem is recorded, under
        ``href(item, position)`` (and ``id(item, position)``).  Items without a key
        are always yielded.  Record exactly one response for each item yielded.

        When the loop ends, the responses of the items that ran are kept for their
        replays, in one more round trip; the claims of the items that recorded
        nothing (the loop stopped early, or raised), or a response that says to
        retry later (429, 503, ``retry-after``), are released, so that a retry
        runs them.  A loop left early should ``close()`` the iterator (or use
        :func:`contextlib.closing`) so that this happens at once.

        Without :attr:`idempotency` every item is yielded.

        Args:
            items: the batch's items (decoded JSON).
            href: the href of an item, from the item and its position (for refusals).
            id: the id of an item, likewise, or ``None``.

        Yields:
            ``(position, item)`` for each item to run, in order.

        Example:
            >>> import multistatus as ms
            >>> from multistatus.idempotency import Idempotency, MemoryStore
            >>> idem = Idempotency(MemoryStore())
            >>> items = [{"idempotency_key": "k1", "name": "a"}, {"name": "b"}]
            >>> def run(results):
            ...     for i, item in results.claimed(items, href=lambda item, i: f"/items/{i}"):
            ...         results.record_success(f"/items/{i}", status=201)
            ...     return results.build()
            >>> [r.status_code for r in run(ms.Results(idempotency=idem))]
            [201, 201]
            >>> [(r.status_code, r.replayed) for r in run(ms.Results(idempotency=idem))]
            [(201, True), (201, False)]
        """
        if self.idempotency is None:
            return (pair for pair in enumerate(items))
        from ._claims import claimed

        return claimed(self, items, self.idempotency, self.scope, href, id)

    @property
    def responses(self) -> tuple[Response, ...]:
        """The responses recorded so far, in order."""
        return tuple(self._responses)

    def __len__(self) -> int:
        return len(self._responses)

    def __iter__(self) -> Iterator[Response]:
        return iter(self.responses)

    def build(self) -> MultiStatus:
        """The :class:`~multistatus.MultiStatus` of everything recorded so far.

        Example:
            >>> import multistatus as ms
            >>> results = ms.Results(sync_token="http://example.com/sync/12")
            >>> _ = results.record_success("/a")
            >>> doc = results.build()
            >>> len(doc.responses), doc.sync_token
            (1, 'http://example.com/sync/12')
        """
        return MultiStatus._trusted(tuple(self._responses), self._description, self._sync_token)

    #: What a function that takes a document does with a Results: builds it (see ``document_of``).
    __multistatus__ = build

    def __repr__(self) -> str:
        return f"<Results: {len(self)} responses>"


publish(globals(), ["Results"], "multistatus")  # public through the top-level package, imported there on first use
