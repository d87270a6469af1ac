"""Golden snapshots of every screen: wording, diacritics and buttons change only by review.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/screens`, then read the
diff of tests/screens/golden.json before committing it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.catalog import load_catalog
from bot.channels.webchat import parse_html
from bot.screens import announce, cell, lessons, menus, onboarding, settings
from bot.screens.base import Screen
from bot.services.announcements import Delivery, Draft
from bot.services.cells import CellOverview, MemberRow
from bot.services.invites import CreatedInvite
from bot.services.lessons import LessonView, ReadingProgress
from bot.services.onboarding import Progress, Step
from db.models import Role

GOLDEN = Path(__file__).with_name("golden.json")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOG = load_catalog()


def _screens() -> dict[str, Screen]:
    def joining(step: Step, name: str = "Hoàng Văn <Em>") -> Progress:
        return Progress(7, step, name, "Chi bộ 1", time(20, 0))

    overview = CellOverview(
        3,
        "Chi bộ 1",
        (
            MemberRow("Trần Thị Thư", Role.SECRETARY, True),
            MemberRow("Nguyễn Văn An", Role.MEMBER, False),
        ),
    )
    created = CreatedInvite(
        "ABCD-EF23", 1, "Chi bộ 1", Role.MEMBER, datetime(2026, 11, 25, 13, 0, tzinfo=UTC), 1
    )
    first = CATALOG.lessons["toan-khoa-xiii"][0]
    return {
        "menus.main_menu.member": menus.main_menu("Lê Thị Bình", "Chi bộ 1", 3, manager=False),
        "menus.main_menu.secretary": menus.main_menu("Trần Thị Thư", "Chi bộ 1", 3, manager=True),
        "menus.help.member": menus.help_screen(manager=False),
        "menus.help.secretary": menus.help_screen(manager=True),
        "onboarding.welcome": onboarding.welcome(),
        "onboarding.name": onboarding.step_screen(joining(Step.NAME)),
        "onboarding.name.empty": onboarding.step_screen(joining(Step.NAME, "")),
        "onboarding.name.invalid": onboarding.ask_name(invalid=True),
        "onboarding.time": onboarding.step_screen(joining(Step.TIME)),
        "onboarding.time.custom": onboarding.ask_custom_time(),
        "onboarding.consent": onboarding.step_screen(joining(Step.CONSENT)),
        "onboarding.declined": onboarding.declined(),
        "cell.menu": cell.cell_menu(overview),
        "cell.choose_role": cell.choose_role(3, ["member", "deputy"]),
        "cell.invite_created": cell.invite_created(
            created, "https://t.me/hocbac_bot?start=X", 3, TZ
        ),
        "cell.members": cell.member_list(overview),
        "lessons.lesson": lessons.lesson(LessonView(first, 1, 28, False)),
        "lessons.read_done": lessons.read_done(first, ReadingProgress(3, 28, 2)),
        "lessons.history": lessons.history([first], ReadingProgress(1, 28, 1)),
        "settings.overview": settings.overview(
            time(20, 0), (time(21, 30), time(6, 30)), None, "Giờ Việt Nam (UTC+7)"
        ),
        "settings.overview.paused": settings.overview(
            time(6, 45),
            (time(22, 0), time(6, 0)),
            datetime(2026, 11, 30, 9, 0, tzinfo=TZ),
            "Europe/Berlin",
            notice="Đã tạm dừng.",
        ),
        "announce.ask": announce.ask_text(3),
        "announce.preview": announce.preview(
            Draft(3, "Họp <b>chi bộ</b> lúc 19h30 & mang sổ", 12)
        ),
        "announce.preview.nobody": announce.preview(Draft(3, "Họp chi bộ", 0)),
        "announce.message": announce.message(
            "Chi bộ 1", "Họp <b>chi bộ</b> 19h30", "Trần Thị Thư"
        ),
        "announce.report": announce.report(
            3,
            "Chi bộ 1",
            [
                Delivery(
                    2, datetime(2026, 11, 23, 2, 0, tzinfo=UTC), "Sáng mai 7h họp", 20, 17, 1, 2, 0
                ),
                Delivery(1, datetime(2026, 11, 20, 13, 0, tzinfo=UTC), "x" * 60, 20, 20, 0, 0, 0),
            ],
            TZ,
        ),
        "settings.lesson_time": settings.ask_lesson_time(),
        "settings.quiet": settings.ask_quiet(),
        "settings.zone": settings.ask_zone(),
    }


def _as_json(screen: Screen) -> dict[str, object]:
    return {
        "text": screen.text,
        "rows": [
            "  ·  ".join(f"{b.label} → {b.action.pack() if b.action else b.url}" for b in row)
            for row in screen.rows
        ],
    }


def test_every_screen_matches_its_golden_snapshot() -> None:
    current = {name: _as_json(screen) for name, screen in _screens().items()}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert current == json.loads(GOLDEN.read_text("utf-8"))


def test_user_data_is_escaped_in_screens() -> None:
    assert "Hoàng Văn &lt;Em&gt;" in _screens()["onboarding.name"].text


def test_every_lesson_screen_fits_one_telegram_message() -> None:
    for ordered in CATALOG.lessons.values():
        for lesson in ordered:
            for screen in (
                lessons.lesson(LessonView(lesson, 1, len(ordered), False)),
                lessons.full_text(lesson, CATALOG.works[lesson.work]),
            ):
                plain, _ = parse_html(screen.text)  # also proves the HTML is well formed
                assert len(plain) <= 4096, lesson.id
                assert all(len(b.action.pack().encode()) <= 64 for b in screen.buttons if b.action)
