"""Golden snapshots of every screen: wording, diacritics and buttons change only by review.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/screens`, then read the
diff of tests/screens/golden.json before committing it.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.catalog import load_catalog
from bot.channels.webchat import parse_html
from bot.quizbank import load_banks
from bot.screens import (
    announce,
    cell,
    checkins,
    lessons,
    membership,
    menus,
    onboarding,
    pledges,
    quiz,
    reminders,
    settings,
)
from bot.screens.base import Screen
from bot.services import checkins as checkin_service
from bot.services import membership as membership_service
from bot.services import pledges as pledge_service
from bot.services import quiz as quiz_service
from bot.services.announcements import Delivery, Draft
from bot.services.cells import CellOverview, MemberRow
from bot.services.checkin_cell import CellMonth, MemberMonth
from bot.services.checkin_months import Answer, MonthView
from bot.services.checkin_rules import CellRules, ExemptionView
from bot.services.checkin_windows import NotAsked, Rules, window
from bot.services.invites import CreatedInvite
from bot.services.lessons import LessonView, ReadingProgress
from bot.services.onboarding import Progress, Step
from bot.services.pledge_reviews import Review, Revision
from bot.services.reminders import DEFAULTS as REMINDER_DEFAULTS
from db.models import PledgeStatus, Rating, Role

GOLDEN = Path(__file__).with_name("golden.json")
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CATALOG = load_catalog()
TERM = CATALOG.themes["toan-khoa-xiii"]
BANKS = load_banks(catalog=CATALOG)


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
        "cell.menu.secretary": cell.cell_menu(overview, remover=True),
        "menus.main_menu.committee": menus.main_menu(
            "Hoàng Văn Em", "Đảng bộ phường 1", 1, manager=False, committee=True
        ),
        "cell.choose_role": cell.choose_role(3, ["member", "deputy"]),
        "cell.invite_created": cell.invite_created(
            created, "https://t.me/hocbac_bot?start=X", 3, TZ
        ),
        "cell.members": cell.member_list(overview),
        "lessons.lesson": lessons.lesson(
            LessonView(
                first, 1, 28, False, CATALOG.works[first.work].toan_tap, TERM.name, TERM.years
            )
        ),
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
        "reminders.overview": reminders.overview(
            3, "Chi bộ 1", dict(REMINDER_DEFAULTS), {3: "Chi bộ 1", 1: "Đảng bộ"}
        ),
        "reminders.time": reminders.ask_time(3, 1),
        "reminders.nudged": reminders.nudged(3, "2026-11", [("Lê Thị Bình", ["checkin_nudge"])]),
        "reminders.nudge": reminders.nudge(date(2026, 12, 4), 3),
        "reminders.deadline": reminders.deadline_today(date(2026, 12, 4)),
        "reminders.meeting": reminders.meeting_today("Chi bộ 1", "Học tập và làm theo Bác"),
        "settings.lesson_time": settings.ask_lesson_time(),
        "settings.quiet": settings.ask_quiet(),
        "settings.zone": settings.ask_zone(),
    }


def _pledge_screens() -> dict[str, Screen]:
    p = pledge_service
    items = (
        p.Item("Mỗi tuần 2 buổi đọc <tác phẩm> của Bác", "Mỗi tháng 1 trang sổ tay"),
        p.Item("Không để hồ sơ của dân quá hạn", "Không hồ sơ nào quá hạn"),
    )
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    view = p.PledgeView(
        7,
        3,
        "Nguyễn Văn An",
        2026,
        PledgeStatus.RETURNED,
        2,
        items,
        "Ghi rõ số buổi",
        at,
        at,
        False,
    )
    revisions = [
        Revision(1, "submitted", items[:1], None, "Nguyễn Văn An", at),
        Revision(1, "returned", items[:1], "Ghi rõ số buổi", "Trần Thị Thư", at),
    ]
    return {
        "pledges.intro": pledges.intro(2026),
        "pledges.action": pledges.draft(
            p.PledgeDraft(2026, "action", 1, (), None, False), problem="Nội dung hơi ngắn."
        ),
        "pledges.measure.edit": pledges.draft(
            p.PledgeDraft(2026, "measure", 2, items, "Không hồ sơ nào quá hạn", True)
        ),
        "pledges.review": pledges.draft(p.PledgeDraft(2026, "review", 0, items, None, False)),
        "pledges.confirm_cancel": pledges.confirm_cancel(2026),
        "pledges.returned": pledges.pledge(view),
        "pledges.history": pledges.history(2026, revisions, menus.OpenPledge()),
        "pledges.pending": pledges.pending(3, "Chi bộ 1", [view]),
        "pledges.for_secretary": pledges.for_secretary(Review(view, items[:1]), 3),
        "pledges.returned_notice": pledges.decided_notice(2026, False, "Ghi rõ số buổi"),
    }


def _checkin_screens() -> dict[str, Screen]:
    c = checkin_service
    win = window("2026-11", Rules(25, 5))
    answers = (
        Answer("Mỗi tuần 2 buổi đọc tác phẩm của Bác", Rating.GOOD, None, None),
        Answer("Không để hồ sơ quá hạn", Rating.NOT_DONE, "Còn 2 hồ sơ <trễ>", "Nhắc dân sớm"),
    )
    rating = c.CheckinStep("2026-11", win, "rating", 1, answers, None, False, False)
    fix = c.CheckinStep("2026-11", win, "fix", 2, answers, None, False, False)
    review = c.CheckinStep("2026-11", win, "review", 1, answers, "Tháng bận", True, False)
    month = MonthView(
        9,
        3,
        "Nguyễn Văn An",
        "2026-11",
        win,
        answers,
        "Tháng bận",
        False,
        "Cố lên",
        False,
        True,
        True,
    )
    rows = (
        MemberMonth(2, "Nguyễn Văn An", "on_time", (Rating.GOOD, Rating.NOT_DONE), 9, False),
        MemberMonth(3, "Lê Thị Bình", "exempt", (), None, False),
        MemberMonth(4, "Trần Thị Thư", "missing", (), None, False),
        MemberMonth(5, "Phạm Văn Em", "late", (None,), 10, True),
    )
    exemption = ExemptionView(4, "Lê Thị Bình", "Ốm dài ngày", "2026-11", "2027-01")
    rules = CellRules(3, "Chi bộ 1", Rules(25, 5), "2026-11", win, False, (exemption,), 2)
    return {
        "checkins.ready": checkins.ready(c.Ready("2026-11", win, ("Đọc sách", "Đúng hạn"), True)),
        "checkins.no_pledge": checkins.no_pledge(2026),
        "checkins.exempt": checkins.not_asked(NotAsked("2026-11", "exempt", "Ốm dài ngày")),
        "checkins.skipped": checkins.not_asked(NotAsked("2027-01", "skipped", None)),
        "checkins.not_open": checkins.not_open(c.NotOpen(win)),
        "checkins.rating": checkins.step(rating),
        "checkins.done.optional": checkins.step(
            c.CheckinStep("2026-11", win, "done", 1, answers, None, False, False)
        ),
        "checkins.fix.required": checkins.step(fix, problem="Nội dung dài quá."),
        "checkins.note": checkins.step(
            c.CheckinStep("2026-11", win, "note", 2, answers, "Tháng bận", False, False)
        ),
        "checkins.review.late": checkins.step(review),
        "checkins.choose_item": checkins.choose_item(review),
        "checkins.confirm_cancel": checkins.confirm_cancel(review),
        "checkins.month": checkins.my_month(month, notice="Đã gửi."),
        "checkins.history": checkins.history(2026, [month]),
        "checkins.confirm_erase": checkins.confirm_erase(),
        "checkins.invitation": checkins.invitation(win),
        "checkins.cell_rules": checkins.cell_rules(rules),
        "checkins.cell_month": checkins.cell_month(
            CellMonth(3, "Chi bộ 1", "2026-11", win, False, rows)
        ),
        "checkins.for_secretary": checkins.for_secretary(month, 3),
        "checkins.ask_day": checkins.ask_day(3, "meeting"),
        "checkins.exemptions": checkins.exemptions(3, (exemption,)),
        "checkins.choose_months": checkins.choose_months(3, 4, "Lê Thị Bình", (1, 3, 6, 12)),
    }


def _membership_screens() -> dict[str, Screen]:
    m = membership_service
    people = m.People(
        3,
        "Chi bộ 1",
        (m.Person(8, "Nguyễn Văn <An>", Role.MEMBER), m.Person(9, "Lê Thị Bình", Role.DEPUTY)),
    )
    holders = m.People(3, "Chi bộ 1", (m.Person(7, "Trần Thị Thư", Role.SECRETARY),))
    return {
        "membership.pick_removal": membership.pick_removal(people),
        "membership.pick_removal.none": membership.pick_removal(m.People(3, "Chi bộ 1", ())),
        "membership.ask_reason": membership.ask_reason(3, 8, "Nguyễn Văn <An>"),
        "membership.confirm_removal": membership.confirm_removal(
            3, 8, "Nguyễn Văn An", "transfer", ""
        ),
        "membership.confirm_removal.typed": membership.confirm_removal(
            3, 8, "Nguyễn Văn An", "other", "Chuyển <công tác>"
        ),
        "membership.removed": membership.removed(m.Removed(3, "Nguyễn Văn An")),
        "membership.removed_notice": membership.removed_notice("Chi bộ 1", "mistake"),
        "membership.removed_notice.typed": membership.removed_notice("Chi bộ 1", "Về quê"),
        "membership.pick_cell": membership.pick_cell(
            1, (m.Cell(3, "Chi bộ 1"), m.Cell(4, "Chi bộ 2"))
        ),
        "membership.pick_revoke": membership.pick_revoke(holders),
        "membership.confirm_revoke": membership.confirm_revoke(7, "Trần Thị Thư", Role.SECRETARY),
        "membership.revoked": membership.revoked(m.Revoked(3, "Trần Thị Thư", Role.DEPUTY)),
    }


def _quiz_screens() -> dict[str, Screen]:
    q = quiz_service
    first = BANKS.banks["can-kiem-liem-chinh"].questions[0]
    fact = BANKS.banks["thuc-hanh"].questions[0]
    return {
        "quiz.home": quiz.home(q.Home("Toàn khóa XIII", 3, None)),
        "quiz.home.open": quiz.home(q.Home("Toàn khóa XIII", 0, (41, 3, 10))),
        "quiz.banks": quiz.banks(q.bank_choices(BANKS)),
        "quiz.question": quiz.question(q.Asked(41, 2, 10, first, False)),
        "quiz.question.short": quiz.question(q.Asked(41, 0, 4, fact, True)),
        "quiz.right": quiz.checked(q.Checked(41, 2, 10, first, 1, True, False)),
        "quiz.wrong.last": quiz.checked(q.Checked(41, 9, 10, first, 2, False, True)),
        "quiz.passage": quiz.cited(q.Cited(41, first, "Cần, Kiệm, Liêm, Chính", False)),
        "quiz.passage.facts": quiz.cited(q.Cited(41, fact, None, True)),
        "quiz.right.facts": quiz.checked(q.Checked(41, 0, 4, fact, 2, True, False)),
        "quiz.result": quiz.result(q.Result(41, 7, 10, 185, (first, fact), 2)),
        "quiz.result.perfect": quiz.result(q.Result(41, 4, 4, 40, (), 0)),
        "quiz.nothing_due": quiz.nothing_due(datetime(2026, 11, 23, 8, 10, tzinfo=TZ)),
        "quiz.nothing_due.none": quiz.nothing_due(None),
        "quiz.no_questions": quiz.no_questions(),
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
    screens = {
        **_screens(),
        **_pledge_screens(),
        **_checkin_screens(),
        **_quiz_screens(),
        **_membership_screens(),
    }
    current = {name: _as_json(screen) for name, screen in screens.items()}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert current == json.loads(GOLDEN.read_text("utf-8"))


def test_user_data_is_escaped_in_screens() -> None:
    assert "Hoàng Văn &lt;Em&gt;" in _screens()["onboarding.name"].text
    assert "&lt;tác phẩm&gt;" in _pledge_screens()["pledges.review"].text
    assert "&lt;trễ&gt;" in _checkin_screens()["checkins.review.late"].text
    assert (
        "Chuyển &lt;công tác&gt;" in _membership_screens()["membership.confirm_removal.typed"].text
    )


def test_pledge_and_checkin_screens_fit_a_message_and_their_buttons_64_bytes() -> None:
    long = "x" * 2000
    answers = tuple(Answer(long[:500], Rating.NOT_DONE, long, long) for _ in range(3))
    win = window("2026-11", Rules(25, 5))
    review = checkin_service.CheckinStep("2026-11", win, "review", 1, answers, long, True, True)
    screens = [checkins.step(review), *_pledge_screens().values(), *_checkin_screens().values()]
    for screen in screens:
        plain, _ = parse_html(screen.text)
        assert len(plain) <= 4096
        assert all(len(b.action.pack().encode()) <= 64 for b in screen.buttons if b.action)


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
