"""Scheduled jobs: turn what is due into outbox rows; the sender sends them."""

from __future__ import annotations

from datetime import time, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog import Catalog
from bot.clock import Clock
from bot.delivery import checkin_jobs, digest_jobs, outbox, payload, reminder_jobs
from bot.delivery.conditions import lesson as lesson_condition
from bot.errors import NotFound
from bot.screens import lessons as screens
from bot.screens.base import esc
from bot.services import daily, lessons
from bot.services.holidays import HolidayCalendar
from bot.services.preferences import zone_of
from bot.texts import reminders as texts


async def enqueue_daily_lessons(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, tz: tzinfo, catalog: Catalog
) -> int:
    """Write one outbox row per member whose lesson is due; return how many were added.

    Themes are looked up once a unit and readings a thousand members a query, so 100,000
    members due at 20:00 cost a few hundred queries, not half a million."""
    added = 0
    async with sessionmaker() as session:
        due_now = await daily.due_lessons(session, clock, tz)
        done = await lessons.read_ids_of(session, [d.member.id for d in due_now])
        themes: dict[int, tuple[str, bool]] = {}
        for due in due_now:
            # The lesson belongs to the day it arrives: one held by quiet hours into the next
            # morning is that day's lesson. Keyed by the day it fell due, a member who chose
            # 06:30 and joined at 22:00 got yesterday's and today's, the same lesson twice.
            day = due.due_at.astimezone(zone_of(due.member, tz)).date()
            unit_id = due.member.unit_id
            if unit_id not in themes:
                themes[unit_id] = await lessons.studied(session, catalog, unit_id)
            try:
                view = lessons.pick_for(catalog, *themes[unit_id], done[due.member.id])
            except NotFound:
                continue  # the member's theme has no lessons: nothing to send
            added += await outbox.enqueue(
                session,
                clock,
                key=daily.lesson_key(due.member.id, day),
                channel=due.channel,
                chat_id=due.chat_id,
                member_id=due.member.id,
                method="sendMessage",
                payload=payload.send_message(due.chat_id, screens.lesson(view)),
                due_at=due.due_at,
                condition=lesson_condition(
                    due.member.id,
                    day,
                    due.member.lesson_time or time(0),
                    view.lesson.id,
                    texts.lesson_line(esc(view.lesson.title)),
                    clock.now(),
                ),
            )
        await session.commit()
    return added


async def schedule(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tz: tzinfo,
    catalog: Catalog,
    calendar: HolidayCalendar,
) -> int:
    """The leader's turn of the clock: every due rule becomes outbox rows. Returns rows added."""
    added = await enqueue_daily_lessons(sessionmaker, clock, tz, catalog)
    added += await checkin_jobs.enqueue_checkin_invitations(sessionmaker, clock, tz, calendar)
    added += await reminder_jobs.enqueue_reminders(sessionmaker, clock, tz, calendar, catalog)
    added += await digest_jobs.enqueue_digests(sessionmaker, clock, tz)
    async with sessionmaker() as session:
        await outbox.stuck_sending(session, clock)
    return added
