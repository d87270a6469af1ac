"""The pledge service: drafts, concrete items, review by the secretary, amendment history."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.delivery import notices
from bot.errors import Expired, InvalidInput, NotAllowed
from bot.services import pledge_reviews, pledges
from bot.texts import pledges as t
from db.models import AuditEntry, Member, OutboxMessage, PledgeStatus
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ACTION = "Mỗi tuần dành 2 buổi tối đọc tác phẩm của Bác"
MEASURE = "Mỗi tháng ghi 1 trang sổ tay, báo cáo ở buổi sinh hoạt"
# As the handlers call them: with the real notices.
submit = partial(pledges.submit, notify=notices.pledge_submitted)
decide = partial(pledge_reviews.decide, notify=notices.pledge_decided)


async def write_pledge(
    session: AsyncSession, clock: FakeClock, member: Member, items: list[tuple[str, str]]
) -> pledges.PledgeView:
    """Write and submit a pledge of `items` through the service, as a member would."""
    draft = await pledges.start_pledge(session, clock, member, TZ, 2026)
    for no, (action, measure) in enumerate(items, start=1):
        if no > 1:
            await pledges.edit_item(session, clock, member, 2026, no)
        await pledges.write(session, clock, member, 2026, action)
        draft = await pledges.write(session, clock, member, 2026, measure)
    assert draft.step == "review"
    return await submit(session, clock, member, 2026, TZ)


async def test_a_pledge_is_written_submitted_and_approved_with_its_history(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    assert await pledges.open_pledge(session, clock, cast.an, TZ) == pledges.NoPledge(2026)
    draft = await pledges.start_pledge(session, clock, cast.an, TZ, 2026)
    assert (draft.step, draft.position) == ("action", 1)
    draft = await pledges.write(session, clock, cast.an, 2026, f"  {ACTION} ")
    assert draft.step == "measure"
    draft = await pledges.write(session, clock, cast.an, 2026, MEASURE)
    assert draft.step == "review" and draft.items == (pledges.Item(ACTION, MEASURE),)

    view = await submit(session, clock, cast.an, 2026, TZ)
    assert view.status is PledgeStatus.SUBMITTED and view.version == 1
    cell, waiting = await pledge_reviews.pending(session, cast.chi_thu, cast.chi_bo_1.id)
    assert (cell, [w.member_name for w in waiting]) == ("Chi bộ 1", ["Nguyễn Văn An"])
    keys = set(await session.scalars(select(OutboxMessage.key)))
    assert f"pledge-submitted:{view.pledge_id}:1:{cast.chi_thu.id}" in keys

    clock.move(hours=2)
    approved = await decide(session, clock, cast.chi_thu, view.pledge_id, 1, approve=True, tz=TZ)
    assert approved.status is PledgeStatus.APPROVED
    found = await pledge_reviews.history(session, cast.an, view.pledge_id)
    assert [(r.event, r.actor) for r in found.revisions] == [
        ("submitted", "Nguyễn Văn An"),
        ("approved", "Trần Thị Thư"),
    ]
    assert f"pledge-approved:{view.pledge_id}:1" in set(
        await session.scalars(select(OutboxMessage.key))
    )


async def test_a_pledge_item_must_be_concrete_and_the_draft_keeps_what_was_typed(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await pledges.start_pledge(session, clock, cast.an, TZ, 2026)
    for text, reason in [
        ("   ", pledges.EMPTY),
        ("Học tốt", pledges.TOO_SHORT),
        ("x" * 501, pledges.TOO_LONG),
        ("x" * 2001, pledges.TOO_LONG),
        ("Đọc sách\x07 mỗi ngày", pledges.CONTROL),
        (t.EXAMPLE_ACTIONS[0].upper(), pledges.EXAMPLE),
        ("thêm 30 phut moi ngay giai quyet viec cua nguoi dan", pledges.EXAMPLE),
    ]:
        with pytest.raises(InvalidInput) as error:
            await pledges.write(session, clock, cast.an, 2026, text)
        assert error.value.reason == reason
    draft = await pledges.write(session, clock, cast.an, 2026, ACTION)
    with pytest.raises(InvalidInput):
        await pledges.write(session, clock, cast.an, 2026, "ngắn")
    again = await pledges.open_pledge(session, clock, cast.an, TZ)
    assert isinstance(again, pledges.PledgeDraft)
    assert again.step == "measure" and again.items[0].action == ACTION
    assert draft == again


async def test_a_returned_pledge_is_revised_and_an_amendment_shows_what_it_replaces(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    first = await write_pledge(session, clock, cast.an, [(ACTION, MEASURE)])
    returned = await decide(
        session,
        clock,
        cast.chi_thu,
        first.pledge_id,
        1,
        approve=False,
        tz=TZ,
        comment="Ghi rõ số buổi",
    )
    assert returned.status is PledgeStatus.RETURNED and returned.comment == "Ghi rõ số buổi"
    draft = await pledges.start_pledge(session, clock, cast.an, TZ, 2026)
    assert draft.amending and draft.step == "review"
    await pledges.edit_item(session, clock, cast.an, 2026, 1)
    await pledges.write(session, clock, cast.an, 2026, None)  # keep the action
    await pledges.write(session, clock, cast.an, 2026, "Mỗi tháng ít nhất 8 buổi đọc")
    second = await submit(session, clock, cast.an, 2026, TZ)
    assert second.version == 2 and second.comment is None
    await decide(session, clock, cast.chi_thu, second.pledge_id, 2, approve=True, tz=TZ)

    # Amending after approval: the secretary sees the approved items beside the new ones.
    await pledges.start_pledge(session, clock, cast.an, TZ, 2026)
    await pledges.edit_item(session, clock, cast.an, 2026, 2)
    await pledges.write(session, clock, cast.an, 2026, "Không dùng điện thoại khi họp chi bộ")
    await pledges.write(session, clock, cast.an, 2026, "Không lần nào trong cả năm")
    third = await submit(session, clock, cast.an, 2026, TZ)
    review = await pledge_reviews.for_review(session, cast.chi_thu, third.pledge_id)
    assert review.approved_before == (pledges.Item(ACTION, "Mỗi tháng ít nhất 8 buổi đọc"),)
    assert len(review.pledge.items) == 2
    found = await pledge_reviews.history(session, cast.chi_thu, third.pledge_id)
    assert [(r.version, r.event) for r in found.revisions] == [
        (1, "submitted"),
        (1, "returned"),
        (2, "submitted"),
        (2, "approved"),
        (3, "submitted"),
    ]


async def test_only_a_manager_of_the_cell_decides_and_only_on_the_version_seen(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    view = await write_pledge(session, clock, cast.an, [(ACTION, MEASURE)])
    with pytest.raises(NotAllowed):
        await decide(session, clock, cast.dung, view.pledge_id, 1, approve=True, tz=TZ)
    with pytest.raises(NotAllowed):
        await decide(session, clock, cast.binh, view.pledge_id, 1, approve=True, tz=TZ)
    with pytest.raises(NotAllowed):
        await pledge_reviews.history(session, cast.binh, view.pledge_id)
    with pytest.raises(Expired):
        await decide(session, clock, cast.chi_thu, view.pledge_id, 0, approve=True, tz=TZ)
    with pytest.raises(InvalidInput):  # a return needs a comment
        await decide(session, clock, cast.chi_thu, view.pledge_id, 1, approve=False, tz=TZ)


async def test_a_draft_of_another_year_is_refused(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    with pytest.raises(Expired):
        await pledges.start_pledge(session, clock, cast.an, TZ, 2025)
    with pytest.raises(Expired):
        await pledges.write(session, clock, cast.an, 2026, ACTION)  # no draft yet
    refused = await session.scalars(select(AuditEntry.action))
    assert list(refused) == []  # a stale year is not an attack; nothing to audit


async def test_a_decision_at_night_waits_for_the_end_of_the_members_quiet_hours(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    view = await write_pledge(session, clock, cast.an, [(ACTION, MEASURE)])
    clock.set(datetime(2026, 11, 20, 23, 10, tzinfo=TZ))  # inside the default 21:30-06:30

    await decide(session, clock, cast.chi_thu, view.pledge_id, 1, approve=True, tz=TZ)

    notice = await session.scalar(
        select(OutboxMessage).where(OutboxMessage.key == f"pledge-approved:{view.pledge_id}:1")
    )
    assert notice is not None
    assert notice.due_at == datetime(2026, 11, 21, 6, 30, tzinfo=TZ)
