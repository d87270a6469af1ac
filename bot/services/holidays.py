"""Vietnamese public holidays, on which nudges stay silent.

The statutory holidays (Tết Nguyên đán, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh, Tết Dương
lịch and their days in lieu) come from the `holidays` package; content/holidays.yaml adds
or removes days (a longer Tết break a committee announces, a local day) without code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays as statutory
import yaml

from bot.catalog import CONTENT, ContentError, Problem

FILE = "holidays.yaml"
_MAX_RANGE = 60  # days: a longer range in the file is surely a typo


@dataclass(frozen=True)
class HolidayCalendar:
    added: dict[date, str] = field(default_factory=dict)
    removed: frozenset[date] = frozenset()

    def name(self, day: date) -> str | None:
        """The holiday's Vietnamese name, or None on an ordinary day."""
        if day in self.removed:
            return None
        return self.added.get(day) or _statutory(day.year).get(day)

    def is_holiday(self, day: date) -> bool:
        return self.name(day) is not None

    def next_ordinary_day(self, day: date) -> date:
        while self.is_holiday(day):
            day += timedelta(days=1)
        return day


@lru_cache(maxsize=16)
def _statutory(year: int) -> dict[date, str]:
    return dict(statutory.country_holidays("VN", years=year, language="vi").items())


def load_calendar(root: Path = CONTENT) -> HolidayCalendar:
    """Read content/holidays.yaml; raise ContentError naming the file and what is wrong."""
    path = root / FILE
    relative = f"content/{FILE}"
    if not path.exists():
        return HolidayCalendar()
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        raise ContentError(
            [Problem(relative, None if line is None else line + 1, "not valid YAML")]
        ) from error
    problems: list[Problem] = []
    added: dict[date, str] = {}
    removed: set[date] = set()
    if not isinstance(data, dict) or set(data) - {"add", "remove"}:
        problems.append(Problem(relative, None, "expected only the keys 'add' and 'remove'"))
        raise ContentError(problems)
    for number, entry in enumerate(data.get("add") or [], start=1):
        try:
            for day in _days(entry):
                added[day] = str(entry["name"]).strip()
        except (KeyError, TypeError, ValueError) as error:
            problems.append(Problem(relative, None, f"add, entry {number}: {error}"))
    for number, entry in enumerate(data.get("remove") or [], start=1):
        if isinstance(entry, date):
            removed.add(entry)
        else:
            problems.append(
                Problem(relative, None, f"remove, entry {number}: a date like 2026-11-24")
            )
    if problems:
        raise ContentError(problems)
    return HolidayCalendar(added, frozenset(removed))


def _days(entry: Any) -> list[date]:
    if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
        raise ValueError("each entry needs a name and a date (or from and to)")
    if isinstance(entry.get("date"), date):
        return [entry["date"]]
    start, end = entry.get("from"), entry.get("to")
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise ValueError("give date: YYYY-MM-DD, or from: and to: with to not before from")
    if (end - start).days > _MAX_RANGE:
        raise ValueError(f"a range of more than {_MAX_RANGE} days")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
