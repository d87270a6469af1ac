"""Digests through the outbox: the month's two days before the meeting, the weekly one on
the cell's chosen morning, and the secretary's "Nhắc người chưa nộp".

Keys make each once: `digest:<cell>:<YYYY-MM>`, `digest-week:<cell>:<ISO week>` and
`digest-nudge:<member>:<YYYY-MM>`. A tick first finds which cells are due and not yet queued
(two queries) and queues one row a digest naming what to compute (cell, period); the digest
is built when the row is sent (`render_at_send`, from the sender's recheck), so the secretary
reads the numbers of the morning, not of the evening before. Its further parts and its chart
are queued then, behind it; the chart row names its maker (bot/delivery/attachments): the PNG
is drawn when that row is sent and never stored in the outbox.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import conditions, outbox, payload
from bot.delivery.attachments import CannotMake, Made, attach
from bot.errors import Expired
from bot.screens import digest as screens
from bot.screens.base import Screen
from bot.services import audit, checkin_windows, digest, digest_chart, digest_settings
from bot.services import digest_queries as q
from bot.services.preferences import zone_of
from bot.services.quiet import quiet_of
from db.models import ChannelIdentity, Member, MemberStatus, OutboxMessage, Role

DIGEST_AT = time(7, 30)  # local time the digests become due
DAYS_BEFORE = 2  # the monthly digest: two days before the cell's meeting
CHART = "digest_chart"  # the maker of a cell's 6-month chart, for the sender's channel
MONTH, WEEK = "month", "week"  # the periods a digest row names


def monthly_key(unit_id: int, month: str) -> str:
    return f"digest:{unit_id}:{month}"


def weekly_key(unit_id: int, day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"digest-week:{unit_id}:{year}-W{week:02d}"


def nudge_key(member_id: int, month: str) -> str:
    return f"digest-nudge:{member_id}:{month}"


async def enqueue_digests(
    sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, tz: tzinfo
) -> int:
    """Queue the monthly and weekly digests due now; return the rows added."""
    now = clock.now()
    local = now.astimezone(tz)
    today = local.date()
    if local.time().replace(tzinfo=None) < DIGEST_AT:
        return 0
    async with sessionmaker() as session:
        cells = list(await q.units(session, None))
        roster = await q.roster(session, cells, [checkin_windows.month_key(today)])
        monthly: dict[int, str] = {}
        for unit_id in cells:
            month = checkin_windows.current_month(today, roster.rules_of(unit_id))
            win = checkin_windows.window(month, roster.rules_of(unit_id))
            meeting = win.deadline + timedelta(1)
            if meeting - timedelta(days=DAYS_BEFORE) <= today < meeting:
                monthly[unit_id] = monthly_key(unit_id, month)
        weekly = {
            w.unit_id: weekly_key(w.unit_id, today)
            for w in (await digest_settings.all_weekly(session, cells)).values()
            if w.on and w.weekday == today.weekday()
        }
        keys = [*monthly.values(), *weekly.values()]
        queued = (
            set(
                await session.scalars(select(OutboxMessage.key).where(OutboxMessage.key.in_(keys)))
            )
            if keys
            else set()
        )
        monthly = {u: k for u, k in monthly.items() if k not in queued}
        weekly = {u: k for u, k in weekly.items() if k not in queued and u not in monthly}
        if not monthly and not weekly:
            return 0
        # A cell with nobody to send to is left out before building: otherwise every tick
        # would build its digest again for nothing.
        to = await secretaries(session, sorted({*monthly, *weekly}))
        monthly = {u: k for u, k in monthly.items() if u in to}
        weekly = {u: k for u, k in weekly.items() if u in to}
        added = 0
        for period, due in ((MONTH, monthly), (WEEK, weekly)):
            for unit_id, key in due.items():
                added += await _enqueue_spec(session, clock, tz, to[unit_id], key, unit_id, period)
        await session.commit()
    return added


async def secretaries(
    session: AsyncSession, cells: list[int]
) -> dict[int, tuple[Member, ChannelIdentity]]:
    """Each cell's secretary (else its deputy) with a channel that still reaches them."""
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(
            Member.unit_id.in_(cells),
            Member.status == MemberStatus.ACTIVE,
            Member.role.in_([Role.SECRETARY, Role.DEPUTY]),
            ChannelIdentity.blocked_at.is_(None),
        )
        .order_by(Member.id, ChannelIdentity.id)
    )
    found: dict[int, tuple[Member, ChannelIdentity]] = {}
    for member, identity in rows.all():
        held = found.get(member.unit_id)
        if held is None or (held[0].role is Role.DEPUTY and member.role is Role.SECRETARY):
            found[member.unit_id] = (member, identity)
    return found


async def _enqueue_spec(
    session: AsyncSession,
    clock: Clock,
    tz: tzinfo,
    to: tuple[Member, ChannelIdentity],
    key: str,
    unit_id: int,
    period: str,
) -> int:
    """One row naming what to compute; the sender renders it (`render_at_send`)."""
    member, identity = to
    due_at = _due(member, clock.now(), tz)
    return int(
        await outbox.enqueue(
            session,
            clock,
            key=key,
            channel=identity.channel,
            chat_id=identity.chat_id,
            member_id=member.id,
            method="sendMessage",
            payload={"chat_id": identity.chat_id},  # the text is rendered when it is sent
            due_at=due_at,
            condition=conditions.digest(member.id, unit_id, period, key, clock.now()),
        )
    )


async def render_at_send(
    session: AsyncSession, clock: Clock, tz: tzinfo, rows: list[outbox.Claimed]
) -> tuple[list[outbox.Claimed], list[tuple[outbox.Claimed, str]]]:
    """Render digest rows from the numbers as they are now: each row becomes the first part;
    the further parts and the chart are queued behind it, due now. Returns the rows to send
    and those to drop with their reason. Does not commit."""
    made: list[outbox.Claimed] = []
    gone: list[tuple[outbox.Claimed, str]] = []
    for period in (MONTH, WEEK):
        mine = [r for r in rows if r.condition and r.condition.get("period") == period]
        if not mine:
            continue
        units = sorted({int(r.condition["unit"]) for r in mine if r.condition})
        days = digest.PERIOD_DAYS if period == MONTH else digest.WEEK_DAYS
        built = await digest.build(session, clock, tz, units, period_days=days)
        for row in mine:
            assert row.condition is not None
            cell = built.get(int(row.condition["unit"]))
            if cell is None:
                gone.append((row, "cell gone"))
                continue
            parts = screens.cell_digest(cell, tz) if period == MONTH else [screens.weekly(cell)]
            made.append(replace(row, payload=payload.send_message(row.chat_id, parts[0])))
            key = str(row.condition["key"])
            for no, part in enumerate(parts[1:], start=2):
                await _follow(session, clock, row, f"{key}:{no}", "sendMessage", part)
            # The chart last: drawn as it is sent, it may take longer than the text.
            if period == MONTH and cell.members:
                await _follow(session, clock, row, f"{key}:chart", "sendPhoto", cell)
    return made, gone


async def _follow(
    session: AsyncSession,
    clock: Clock,
    row: outbox.Claimed,
    key: str,
    method: str,
    part: Screen | digest.CellDigest,
) -> None:
    """Queue a further part of a digest behind its first, due now (rows to one chat go out
    in the order of their ids)."""
    if isinstance(part, Screen):
        params = payload.send_message(row.chat_id, part)
    else:
        params = {
            "chat_id": row.chat_id,
            "caption": screens.chart_caption(part.unit_name),
            **attach("photo", CHART, unit_id=part.unit_id),
        }
    await outbox.enqueue(
        session,
        clock,
        key=key,
        channel=row.channel,
        chat_id=row.chat_id,
        member_id=row.member_id,
        method=method,
        payload=params,
    )


async def make_chart(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    tz: tzinfo,
    arguments: dict[str, Any],
) -> Made:
    """Draw a cell's chart for its outbox row, from the numbers as they are when it is sent."""
    unit_id = arguments.get("unit_id")
    if not isinstance(unit_id, int):
        raise CannotMake("no unit")
    async with sessionmaker() as session:
        cell = (await digest.build(session, clock, tz, [unit_id])).get(unit_id)
    if cell is None:
        raise CannotMake(f"no cell {unit_id}")
    # matplotlib takes a tenth of a second: off the event loop the sends go on meanwhile.
    data = await asyncio.to_thread(digest_chart.history_chart, cell.unit_name, cell.history)
    return Made("bieu-do.png", data, "image/png")


def _due(member: Member, now: datetime, tz: tzinfo) -> datetime:
    return quiet_of(member).next_allowed(now.astimezone(zone_of(member, tz))).astimezone(UTC)


async def nudge_missing(
    session: AsyncSession, clock: Clock, tz: tzinfo, actor: Member | None, unit_id: int, month: str
) -> int:
    """Send the check-in nudge to the cell's members who have not sent `month` yet; return how
    many were queued now (a second press adds nobody: the key is per member and month)."""
    secretary = digest.require_secretary(actor, unit_id)
    cell = await digest.cell_digest(session, clock, tz, secretary, unit_id)
    if cell.month != month:
        raise Expired("another month")
    missing = [m.member_id for m in cell.with_status("waiting", "missing") if not m.blocked_at]
    if not missing:
        return 0
    rows = await session.execute(
        select(Member, ChannelIdentity)
        .join(ChannelIdentity, ChannelIdentity.member_id == Member.id)
        .where(Member.id.in_(missing), ChannelIdentity.blocked_at.is_(None))
        .order_by(Member.id, ChannelIdentity.id)
    )
    today = clock.now().astimezone(tz).date()
    screen = screens.nudge(cell.window.deadline, today)
    added, seen = 0, set()
    for member, identity in rows.all():
        if member.id in seen:
            continue  # one channel a member is enough
        seen.add(member.id)
        added += await outbox.enqueue(
            session,
            clock,
            key=nudge_key(member.id, month),
            channel=identity.channel,
            chat_id=identity.chat_id,
            member_id=member.id,
            method="sendMessage",
            payload=payload.send_message(identity.chat_id, screen),
            due_at=_due(member, clock.now(), tz),
            condition=conditions.checkin(
                conditions.SECRETARY_NUDGE,
                member.id,
                unit_id,
                month,
                cell.window.deadline,
                clock.now(),
            ),
        )
    audit.record(
        session, clock, "digest.nudge", actor_member_id=secretary.id, unit_id=unit_id, added=added
    )
    await session.commit()
    return added
