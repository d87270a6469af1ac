"""Errors: domain errors become short Vietnamese answers; anything else an apology and a log line.

Refusals (a forged button, another cell's data) are written to the audit log.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import CallbackQuery, ErrorEvent, Message
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.errors import DomainError, Expired, InvalidInput, NotAllowed, NotFound
from bot.services import audit
from bot.texts import common

log = logging.getLogger("hocbac.errors")
router = Router(name=__name__)


@router.error(ExceptionTypeFilter(DomainError))
async def on_domain_error(
    event: ErrorEvent, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock
) -> None:
    error = event.exception
    if isinstance(error, NotAllowed):
        await _refusal(event, sessionmaker, clock, str(error))
        text = common.not_allowed()
    elif isinstance(error, NotFound):
        text = common.not_found()
    elif isinstance(error, Expired | InvalidInput):
        text = common.button_expired()
    else:
        text = common.apology()
    await _answer(event, text)


@router.error()
async def on_unexpected(event: ErrorEvent) -> None:
    log.error(
        "handler failed",
        exc_info=event.exception,
        extra={"update_id": event.update.update_id},
    )
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
    event: ErrorEvent, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, why: str
) -> None:
    update = event.update
    query: CallbackQuery | None = update.callback_query
    message: Message | None = update.message
    user = query.from_user if query else (message.from_user if message else None)
    async with sessionmaker() as session:
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
