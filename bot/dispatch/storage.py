"""aiogram FSM storage in the database, so a half-finished conversation survives a restart.

Inside an update the state is read and written through the update's own session, so it commits
with the handler's domain change and needs no second connection.

With REDIS_URL set, the app uses aiogram's RedisStorage instead (see bot/app.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import unit
from db.models import ConversationState


class DbStorage(BaseStorage):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._keys = DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._read(key)
        return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self._write(key, data=dict(data))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._read(key)
        return dict(row.data) if row else {}

    async def close(self) -> None:
        return None

    async def _read(self, key: StorageKey) -> ConversationState | None:
        session = unit.current_session()
        if session is not None:
            return await session.get(ConversationState, self._keys.build(key))
        async with self._sessionmaker() as session:
            return await session.get(ConversationState, self._keys.build(key))

    async def _write(self, key: StorageKey, **values: Any) -> None:
        built = self._keys.build(key)
        session = unit.current_session()
        if session is not None:
            # Inside an update: written with its domain change, committed with it.
            await self._apply(session, built, values)
            await session.flush()
            return
        for attempt in range(2):  # outside an update (the sender remembering a pushed menu)
            async with self._sessionmaker() as session:
                await self._apply(session, built, values)
                try:
                    await session.commit()
                    return
                except IntegrityError:
                    # Another worker inserted the same key between our read and write.
                    if attempt:
                        raise

    async def _apply(self, session: AsyncSession, built: str, values: dict[str, Any]) -> None:
        row = await session.get(ConversationState, built)
        state = values.get("state", row.state if row else None)
        data = values.get("data", row.data if row else {})
        if state is None and not data:
            # Nothing left to remember: keep the table small.
            if row is not None:
                await session.delete(row)
        elif row is None:
            session.add(
                ConversationState(key=built, state=state, data=data, updated_at=self._clock.now())
            )
        else:
            row.state, row.data, row.updated_at = state, data, self._clock.now()
