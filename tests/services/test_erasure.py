"""Erasure of what the end-to-end test does not reach: a quiz night's player name, a reason
for exemption or removal, an old audit detail, a group update, and someone else's chat."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import inbox
from bot.services import erasure
from db.models import (
    AuditEntry,
    Exemption,
    InboxUpdate,
    Member,
    QuizNight,
    QuizNightPlayer,
)
from tests.conftest import Cast
from tests.delivery.test_inbox import text_update
from tests.fakes.clock import FakeClock
from tests.services.test_pledges import write_pledge

WORDS = "Giúp đỡ zqwordsmark hộ nghèo"


async def night_with(session: AsyncSession, clock: FakeClock, cast: Cast) -> None:
    night = QuizNight(
        unit_id=cast.chi_bo_1.id,
        channel="telegram",
        chat_id=-100,
        host_member_id=cast.chi_thu.id,
        bank_key="b",
        title="Hội thi",
        question_count=5,
        seconds=20,
        allow_guests=True,
        show_names=True,
        status="finished",
        position=0,
        created_at=clock.now(),
        interrupted=False,
        resumed_count=0,
    )
    session.add(night)
    await session.flush()
    session.add(
        QuizNightPlayer(
            night_id=night.id,
            user_id=102,
            member_id=cast.an.id,
            seq=1,
            display_name="An Zqprofile",
            joined_at=clock.now(),
            first_position=0,
            score=0,
            correct_count=0,
            answered_count=0,
        )
    )


async def test_names_reasons_old_audit_and_group_copies_are_erased_others_kept(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await write_pledge(session, clock, cast.an, [(WORDS, "Mỗi tháng một lần")])
    await night_with(session, clock, cast)
    session.add(
        Exemption(
            unit_id=cast.chi_bo_1.id,
            member_id=cast.an.id,
            reason="Ốm nằm viện",
            from_month="2026-11",
            to_month="2026-12",
            created_by_id=cast.chi_thu.id,
            created_at=clock.now(),
        )
    )
    # Written before audit details held no text.
    session.add(AuditEntry(at=clock.now(), action="old", outcome="ok", detail={"t": WORDS}))
    cast.an.left_reason = "Chuyển về quê nội"
    await session.commit()
    group = text_update(1, -100, f"Trả lời: {WORDS}")
    group["message"]["from"]["id"] = 103  # Bình quotes An's words in the group
    await inbox.store(session, clock, "telegram", group)
    await inbox.store(session, clock, "telegram", text_update(2, 102, "xin chào"))
    await inbox.store(session, clock, "telegram", text_update(3, 104, "Phạm Văn Cường"))

    an_id = cast.an.id
    await erasure.erase_my_data(session, clock, cast.an)

    session.expire_all()
    player = await session.scalar(select(QuizNightPlayer))
    assert player is not None and player.display_name == erasure.ERASED_NAME
    assert await session.scalar(select(Exemption.reason)) == erasure.ERASED
    an = await session.get(Member, an_id)
    assert an is not None and an.left_reason == "other"
    old = await session.scalar(select(AuditEntry).where(AuditEntry.action == "old"))
    assert old is not None and old.detail == {"t": erasure.ERASED}
    payloads = {
        row.update_id: row.payload or {} for row in await session.scalars(select(InboxUpdate))
    }
    assert payloads[1]["message"]["text"] == f"Trả lời: {erasure.ERASED}"
    assert payloads[2] == {"update_id": 2}  # An's own update: only its id is left
    assert payloads[3]["message"]["text"] == "Phạm Văn Cường"  # another cell: untouched
