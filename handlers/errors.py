"""Errors: domain errors become short Vietnamese answers; a bug an apology and a log line.

Refusals (a forged button, another cell's data) are written to the audit log. A passing fault of
the database or Redis is not answered at all: the update stays in the inbox and is tried again
soon. A bug is apologised for only on the update's last try (before, it is retried quietly).
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.delivery import unit
from bot.errors import DomainError, Expired, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.texts import common

log = logging.getLogger("hocbac.errors")
router = Router(name=__name__)


@router.error(ExceptionTypeFilter(DomainError))
async def on_domain_error(event: ErrorEvent, clock: Clock) -> None:
    error = event.exception
    session = unit.current_session()
    if session is not None:
        await session.rollback()  # nothing the failed action wrote is kept
    if isinstance(error, NotAllowed):
        await _refusal(event, session, clock, str(error))
        text = common.not_allowed()
    elif isinstance(error, NotFound):
        text = common.not_found()
    elif isinstance(error, Expired | InvalidInput):
        text = common.button_expired()
    else:
        text = common.apology()
    await _answer(event, text)


@router.error(F.exception.func(unit.answer_now))
async def on_unexpected(event: ErrorEvent) -> None:
    log.error(
        "handler failed",
        exc_info=event.exception,
        extra={"update_id": event.update.update_id},
    )
    held = unit.current()
    if held is not None:
        held.failure = type(event.exception).__name__
    await _answer(event, common.apology())


async def _answer(event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
        elif update.message is not None and update.message.chat.type == "private":
            await update.message.answer(text)
    except Exception:  # the apology itself failed (network, blocked): the log line is enough
        log.warning("could not answer", extra={"update_id": update.update_id}, exc_info=True)


async def _refusal(
    event: ErrorEvent, session: AsyncSession | None, clock: Clock, why: str
) -> None:
    if session is None:  # the error came before the update's session existed
        return
    update = event.update
    query: CallbackQuery | None = update.callback_query
    message: Message | None = update.message
    user = query.from_user if query else (message.from_user if message else None)
    audit.record(
        session,
        clock,
        "refused",
        outcome="refused",
        actor_external_id=user.id if user else None,
        reason=why,
        data=query.data if query else None,
    )
    await session.commit()
