"""Who may press what in the cell tools: role × action × whose cell, through the real handlers.

Every button is forged from the data a secretary's screen carries. Members' words (check-ins,
pledges, the names beside them, exemptions, the digest) are for the cell's secretary and
deputy; managing (invites, reminder rules, announcements, the cell menu's counts) reaches a
committee admin's cells and an operator's. Every refusal is audited, and no refused actor is
ever sent a word a member wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actions import Action
from bot.channels.webchat import BotApiServer
from bot.screens import announce, cell, checkins, digest, menus, pledges, reminders
from bot.texts import common
from db.models import (
    AuditEntry,
    Checkin,
    Member,
    Pledge,
    PledgeItem,
    PledgeStatus,
    Rating,
    Role,
    Unit,
    UnitKind,
)
from tests import digest_seed, factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory


@dataclass(frozen=True)
class Target:
    unit_id: int
    owner_id: int
    checkin_id: int
    pledge_id: int
    marker: str  # unique words the owner wrote


Build = Callable[[Target], Action]
WORDS: dict[str, Build] = {
    "open check-in": lambda t: checkins.ViewCheckin(t.checkin_id),
    "comment": lambda t: checkins.CommentCheckin(t.checkin_id),
    "month of the cell": lambda t: checkins.CellMonthView(t.unit_id, 202611),
    "check-in rules": lambda t: checkins.CellCheckins(t.unit_id),
    "exemptions": lambda t: checkins.Exemptions(t.unit_id),
    "exemption picker": lambda t: checkins.ExemptPick(t.unit_id, t.owner_id),
    "meeting day": lambda t: checkins.AskDay(t.unit_id, "meeting"),
    "skip a month": lambda t: checkins.ToggleSkip(t.unit_id, 202612),
    "exempt for 3 months": lambda t: checkins.ExemptFor(t.unit_id, t.owner_id, 3),
    "pending pledges": lambda t: pledges.PendingPledges(t.unit_id),
    "open pledge": lambda t: pledges.ReviewPledge(t.pledge_id),
    "pledge history": lambda t: pledges.PledgeHistory(t.pledge_id),
    "return pledge": lambda t: pledges.DecidePledge(t.pledge_id, 1, False),
    "approve pledge": lambda t: pledges.DecidePledge(t.pledge_id, 1, True),
    "member list": lambda t: cell.ListMembers(t.unit_id),
    "digest with names": lambda t: menus.OpenDigest(t.unit_id),
    "digest chart": lambda t: digest.DigestChart(t.unit_id),
    "digest excel": lambda t: digest.DigestExcel(t.unit_id),
    "nudge the late": lambda t: digest.DigestNudge(t.unit_id, 202611),
    "weekly digest settings": lambda t: digest.WeeklySettings(t.unit_id),
}
MANAGING: dict[str, Build] = {
    "cell menu (counts)": lambda t: menus.OpenCell(t.unit_id),
    "announcement": lambda t: announce.StartAnnouncement(t.unit_id),
    "announcement report": lambda t: announce.AnnouncementReport(t.unit_id),
    "reminder rules": lambda t: menus.OpenReminders(t.unit_id),
    "who was nudged": lambda t: reminders.WhoWasNudged(t.unit_id),
    "invites": lambda t: cell.NewInvite(t.unit_id, "ask"),
}
# Which targets each role manages; words only ever in its own cell, and only as an officer.
MANAGES = {
    "member": set[str](),
    "deputy": {"own cell"},
    "secretary": {"own cell"},
    "committee admin above": {"own cell", "other cell"},
    "committee admin elsewhere": {"other committee"},
    "operator": {"own cell", "other cell", "other committee"},
}
READS = {"deputy": {"own cell"}, "secretary": {"own cell"}}
ACTOR_IDS = {
    "member": 102,
    "deputy": 901,
    "secretary": 101,
    "committee admin above": 900,
    "committee admin elsewhere": 906,
    "operator": 907,
}


async def written(
    session: AsyncSession, clock: FakeClock, owner: Member, marker: str
) -> tuple[int, int]:
    at = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    row: Checkin = digest_seed.checkin(owner, "2026-11", at, [(Rating.NOT_DONE, marker)])
    session.add(row)
    pledge = Pledge(
        member_id=owner.id,
        unit_id=owner.unit_id,
        year=2026,
        status=PledgeStatus.SUBMITTED,
        version=1,
        submitted_at=at,
        items=[PledgeItem(position=1, action=f"{marker} việc", measure=f"{marker} đo")],
    )
    session.add(pledge)
    await session.commit()
    return row.id, pledge.id


@pytest.fixture
async def targets(
    session: AsyncSession, clock: FakeClock, cast: Cast, server: BotApiServer
) -> dict[str, Target]:
    clock.set(digest_seed.DIGEST_DAY)
    for user_id, first in [(906, "Hạnh"), (907, "Khoa"), (908, "Lan")]:
        server.add_user(user_id, first, "Trịnh Thị")
    other = await factories.unit(session, clock, "Đảng bộ xã 2", kind=UnitKind.COMMITTEE)
    chi_bo_3 = await factories.unit(session, clock, "Chi bộ 3", parent=other)
    await factories.member(
        session, clock, cast.chi_bo_1, "Đỗ Thị Giang", role=Role.DEPUTY, user_id=901
    )
    await factories.member(
        session, clock, cast.dang_bo, "Hoàng Văn Em", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    await factories.member(
        session, clock, other, "Trịnh Thị Hạnh", role=Role.COMMITTEE_ADMIN, user_id=906
    )
    await factories.member(
        session, clock, cast.dang_bo, "Trịnh Thị Khoa", role=Role.OPERATOR, user_id=907
    )
    lan = await factories.member(session, clock, chi_bo_3, "Trịnh Thị Lan", user_id=908)
    found = {}
    for name, unit, owner in [
        ("own cell", cast.chi_bo_1, cast.binh),
        ("other cell", cast.chi_bo_2, cast.cuong),
        ("other committee", chi_bo_3, lan),
    ]:
        marker = f"BIMAT{owner.id}X"
        checkin_id, pledge_id = await written(session, clock, owner, marker)
        found[name] = Target(unit.id, owner.id, checkin_id, pledge_id, marker)
    assert isinstance(chi_bo_3, Unit)
    return found


async def refusals(session: AsyncSession, user_id: int) -> int:
    await session.rollback()  # a fresh snapshot: the app commits in its own sessions
    return int(
        await session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.outcome == "refused", AuditEntry.actor_external_id == user_id
            )
        )
        or 0
    )


@pytest.mark.parametrize("role", list(ACTOR_IDS))
async def test_each_role_reaches_exactly_what_it_may(
    role: str,
    session: AsyncSession,
    clock: FakeClock,
    targets: dict[str, Target],
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    user_id = ACTOR_IDS[role]
    actor = pilot_for(user_id)
    await actor.send("/start")
    seen: dict[tuple[str, str], bool] = {}
    expected: dict[tuple[str, str], bool] = {}
    for where, target in targets.items():
        for actions, allowed_in in ((WORDS, READS.get(role, set())), (MANAGING, MANAGES[role])):
            for name, build in actions.items():
                clock.move(seconds=4)  # under the flood limit of 20 presses a minute
                before = await refusals(session, user_id)
                answered = len(server.callback_answers())
                await actor.forge(build(target).pack())
                refused = await refusals(session, user_id) - before
                answers = [a.text for a in server.callback_answers()[answered:]]
                assert refused in (0, 1), (name, where)
                assert (common.not_allowed() in answers) == bool(refused), (name, where)
                seen[name, where] = not refused
                expected[name, where] = where in allowed_in
    assert seen == expected
    sent = " ".join(
        str(c.params.get("text", "")) + str(c.params.get("caption", ""))
        for c in server.calls
        if c.params.get("chat_id") == user_id
    )
    for where, target in targets.items():
        assert (target.marker in sent) == (where in READS.get(role, set())), where
