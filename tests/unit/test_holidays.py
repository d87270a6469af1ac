"""Holidays: the statutory ones computed, and the editable file's additions and removals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.catalog import ContentError
from bot.services.holidays import HolidayCalendar, load_calendar


def test_tet_and_the_statutory_days_are_known_in_vietnamese() -> None:
    calendar = load_calendar()
    assert calendar.name(date(2026, 2, 17)) == "Tết Nguyên Đán"
    assert calendar.is_holiday(date(2026, 9, 2)) and calendar.is_holiday(date(2027, 2, 6))
    assert not calendar.is_holiday(date(2026, 11, 25))
    assert calendar.next_ordinary_day(date(2026, 2, 16)) == date(2026, 2, 21)


def test_the_file_adds_ranges_and_removes_days(tmp_path: Path) -> None:
    (tmp_path / "holidays.yaml").write_text(
        "add:\n"
        "  - {from: 2027-02-11, to: 2027-02-12, name: Nghỉ Tết theo thông báo}\n"
        "  - {date: 2026-03-08, name: Ngày Quốc tế Phụ nữ}\n"
        "remove: [2026-04-30]\n",
        "utf-8",
    )
    calendar = load_calendar(tmp_path)
    assert calendar.name(date(2027, 2, 12)) == "Nghỉ Tết theo thông báo"
    assert calendar.is_holiday(date(2026, 3, 8))
    assert not calendar.is_holiday(date(2026, 4, 30))
    assert calendar.next_ordinary_day(date(2027, 2, 5)) == date(2027, 2, 13)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("add: [{date: 2026-03-08}]\n", "needs a name"),
        ("add: [{from: 2026-03-09, to: 2026-03-08, name: x}]\n", "to not before from"),
        ("add: [{from: 2026-01-01, to: 2026-12-31, name: x}]\n", "more than 60 days"),
        ("remove: [tomorrow]\n", "a date like"),
        ("holiday: []\n", "only the keys"),
        ("add: [\n", "not valid YAML"),
    ],
)
def test_a_bad_file_is_reported_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "holidays.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as raised:
        load_calendar(tmp_path)
    assert any(message in str(p) for p in raised.value.problems)
    assert all(p.file == "content/holidays.yaml" for p in raised.value.problems)


def test_no_file_means_the_statutory_days_only(tmp_path: Path) -> None:
    assert load_calendar(tmp_path) == HolidayCalendar()
    assert load_calendar(tmp_path).is_holiday(date(2026, 5, 1))
