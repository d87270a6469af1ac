"""The secretary's digest and the committee's roll-up, on a small seeded cell."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import NotAllowed
from bot.screens import digest as screens
from bot.screens.chunks import size
from bot.services import digest, digest_rollup
from db.models import Rating, Role
from tests import digest_seed, factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def joined(parts: list[object]) -> str:
    return "\n---\n".join(getattr(p, "text") for p in parts)  # noqa: B009


async def test_the_cell_digest_matches_its_golden_text(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await digest_seed.seed(session, clock, cast)
    clock.set(digest_seed.DIGEST_DAY)
    cell = await digest.cell_digest(session, clock, TZ, cast.chi_thu, cast.chi_bo_1.id)
    assert (cell.month, len(cell.asked)) == ("2026-11", 4)
    assert [m.name for m in cell.with_status("waiting")] == ["Lê Thị Bình", "Đỗ Thị Giang"]
    assert [m.name for m in cell.active if m.missed_two] == ["Lê Thị Bình"]
    assert [(m.name, m.streak) for m in cell.streak_leaders] == [("Nguyễn Văn An", 3)]
    assert cell.night is not None and cell.night.podium[0] == ("Nguyễn Văn An", 900)
    parts = screens.cell_digest(cell, TZ)
    assert digest_seed.FIX in parts[-1].text
    golden("digest_cell.txt", joined(list(parts)))


async def test_the_weekly_digest_is_three_lines_of_numbers(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await digest_seed.seed(session, clock, cast)
    clock.set(digest_seed.DIGEST_DAY)
    cell = await digest.cell_digest(
        session, clock, TZ, cast.chi_thu, cast.chi_bo_1.id, period_days=digest.WEEK_DAYS
    )
    golden("digest_weekly.txt", screens.weekly(cell).text)


async def test_the_committee_sees_numbers_and_never_a_members_words(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    await digest_seed.seed(session, clock, cast)
    admin = await factories.member(
        session, clock, cast.dang_bo, "Ngô Văn Hải", role=Role.COMMITTEE_ADMIN, user_id=900
    )
    clock.set(digest_seed.DIGEST_DAY)
    rollup = await digest_rollup.committee_rollup(session, clock, TZ, admin, cast.dang_bo.id)
    assert [(r.name, r.submitted, r.asked, r.not_done) for r in rollup.rows] == [
        ("Chi bộ 2", 0, 2, 0),
        ("Chi bộ 1", 2, 4, 1),
    ]
    text = joined(list(screens.rollup(rollup)))
    assert digest_seed.FIX not in text and "Việc 2" not in text
    golden("digest_committee.txt", text)


async def test_only_the_cells_own_secretary_gets_its_digest(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    admin = await factories.member(
        session, clock, cast.dang_bo, "Ngô Văn Hải", role=Role.COMMITTEE_ADMIN
    )
    for actor in (cast.an, cast.dung, admin):
        with pytest.raises(NotAllowed):
            await digest.cell_digest(session, clock, TZ, actor, cast.chi_bo_1.id)
    for actor in (cast.chi_thu, cast.an):
        with pytest.raises(NotAllowed):
            await digest_rollup.committee_rollup(session, clock, TZ, actor, cast.dang_bo.id)


async def test_an_empty_cell_and_a_committee_without_cells_say_so(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    from db.models import UnitKind

    clock.set(digest_seed.DIGEST_DAY)
    nobody = await factories.unit(session, clock, "Chi bộ không người", parent=cast.dang_bo)
    built = await digest.build(session, clock, TZ, [nobody.id])
    text = joined(list(screens.cell_digest(built[nobody.id], TZ)))
    assert "Chi bộ chưa có đảng viên nào tham gia" in text
    lonely = await factories.unit(session, clock, "Chi bộ trống", parent=cast.dang_bo)
    clock.set(digest_seed.DIGEST_DAY - timedelta(days=20))
    secretary = await factories.member(
        session, clock, lonely, "Bí thư", role=Role.SECRETARY, user_id=777
    )
    clock.set(digest_seed.DIGEST_DAY)
    cell = await digest.cell_digest(session, clock, TZ, secretary, lonely.id)
    text = joined(list(screens.cell_digest(cell, TZ)))
    assert "Chưa có đồng chí nào nộp" in text and "Chưa đọc bài nào: Bí thư" in text
    empty_committee = await factories.unit(session, clock, "Đảng bộ mới", kind=UnitKind.COMMITTEE)
    admin = await factories.member(
        session, clock, empty_committee, "Hải", role=Role.COMMITTEE_ADMIN
    )
    rollup = await digest_rollup.committee_rollup(session, clock, TZ, admin, empty_committee.id)
    parts = screens.rollup(rollup)
    assert rollup.rows == () and "chưa có chi bộ nào" in parts[0].text


async def test_a_long_note_and_odd_names_stay_within_a_message(
    session: AsyncSession, clock: FakeClock, cast: Cast
) -> None:
    odd = "<Tôm & Tép> 🌾 Nguyễn " + "Văn " * 20
    for n in range(25):
        member = await factories.member(session, clock, cast.chi_bo_1, f"{odd}{n}")
        session.add(
            digest_seed.checkin(
                member,
                "2026-11",
                clock.now(),
                [(Rating.NOT_DONE, "khắc phục " * 220)] * 3,
            )
        )
    await session.commit()
    clock.set(digest_seed.DIGEST_DAY)
    cell = await digest.cell_digest(session, clock, TZ, cast.chi_thu, cast.chi_bo_1.id)
    parts = screens.cell_digest(cell, TZ)
    assert len(parts) > 1
    assert all(0 < size(p.text) <= 4096 for p in parts)
    assert all(p.text.count("<i>") == p.text.count("</i>") for p in parts)
    assert "&lt;Tôm &amp; Tép&gt;" in parts[0].text
    assert parts[-1].rows and not any(p.rows for p in parts[:-1])
