"""The unit of work of one update: one session, shared by the handler and the FSM storage.

A handled update uses one database connection: the handler's domain writes, its conversation
state and the inbox row's "done" mark all go through the session bound here, so they commit
together (a crash after the commit never repeats the effect) and a burst cannot run the pool
dry by asking for a second connection per update.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from redis import exceptions as redis_errors
from sqlalchemy import event, exc
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session


@dataclass
class Unit:
    session: AsyncSession
    # The update's last try: only then does a genuine bug get an apology; before, it is retried.
    last_try: bool = True
    # Set when the error handler apologised for a bug: the update is failed, not done.
    failure: str | None = None
    # The handler committed (and with it the update's done mark): no retry will come.
    committed: bool = False


_current: ContextVar[Unit | None] = ContextVar("hocbac_update_unit", default=None)


def current() -> Unit | None:
    return _current.get()


def current_session() -> AsyncSession | None:
    unit = _current.get()
    return unit.session if unit else None


@asynccontextmanager
async def bound(session: AsyncSession, *, last_try: bool = True) -> AsyncIterator[Unit]:
    """Make `session` the session of the update handled inside this block."""
    unit = Unit(session, last_try)

    def committed(_sync: Session) -> None:
        unit.committed = True

    event.listen(session.sync_session, "after_commit", committed)
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)
        event.remove(session.sync_session, "after_commit", committed)


def answer_now(error: BaseException) -> bool:
    """Whether a failed update must be answered now: a bug on its last try, or any failure
    after its change committed (it will not be tried again). Otherwise it is retried quietly."""
    unit = _current.get()
    if unit is None or unit.committed:
        return True
    return unit.last_try and not is_transient(error)


def is_transient(error: BaseException) -> bool:
    """Tell a passing fault of the database or Redis (retry soon) from a bug (apologise)."""
    seen: BaseException | None = error
    for _ in range(10):  # the chain of causes; a cycle or a long chain is not worth more
        if seen is None:
            break
        if isinstance(seen, exc.TimeoutError | exc.OperationalError | exc.InterfaceError):
            return True  # pool timeout, "database is locked", a dropped connection
        if isinstance(seen, exc.DBAPIError) and seen.connection_invalidated:
            return True
        if isinstance(seen, ConnectionError | TimeoutError):
            return True  # a reset socket
        if isinstance(seen, redis_errors.ConnectionError | redis_errors.TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
