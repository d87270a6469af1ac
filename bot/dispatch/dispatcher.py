"""The dispatcher with its storage, middlewares and routers."""

from __future__ import annotations

from aiogram import Dispatcher
from aiogram.fsm.storage.base import BaseStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.clock import Clock
from bot.dispatch.middlewares import DbSession, LogUpdates, NameHandler, Throttle
from bot.dispatch.typed import TypedButtons
from bot.quizbank import QuizBanks
from bot.settings import Settings
from handlers import build_router


def build_dispatcher(
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    storage: BaseStorage,
    channel: str,
    catalog: Catalog,
    banks: QuizBanks,
) -> Dispatcher:
    """Assemble the dispatcher; workflow data gives handlers their settings, clock and sessions."""
    dp = Dispatcher(
        storage=storage,
        settings=settings,
        sessionmaker=sessionmaker,
        clock=clock,
        catalog=catalog,
        banks=banks,
    )
    dp.update.outer_middleware(LogUpdates())
    dp.update.outer_middleware(DbSession(sessionmaker, channel))
    throttle = Throttle(clock, settings.flood_limit_per_minute)
    dp.message.outer_middleware(throttle)
    dp.callback_query.outer_middleware(throttle)
    dp.message.outer_middleware(TypedButtons())
    dp.message.middleware(NameHandler())
    dp.callback_query.middleware(NameHandler())
    dp.include_router(build_router())
    return dp
