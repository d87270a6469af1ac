"""Quiet hours, typed windows and time zones: the pure parts of a member's preferences."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import InvalidInput
from bot.services.preferences import parse_quiet, parse_zone, zone
from bot.services.quiet import Quiet

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NIGHT = Quiet(time(21, 30), time(6, 30))
NOON = Quiet(time(12, 0), time(13, 30))


@pytest.mark.parametrize(
    ("window", "moment", "covered"),
    [
        (NIGHT, time(21, 29), False),
        (NIGHT, time(21, 30), True),
        (NIGHT, time(0, 0), True),
        (NIGHT, time(6, 29), True),
        (NIGHT, time(6, 30), False),
        (NOON, time(12, 0), True),
        (NOON, time(13, 30), False),
        (NOON, time(23, 0), False),
    ],
)
def test_a_window_covers_its_start_not_its_end_across_midnight_too(
    window: Quiet, moment: time, covered: bool
) -> None:
    assert window.covers(moment) is covered


def test_next_allowed_is_the_end_of_the_window_today_or_tomorrow() -> None:
    evening = datetime(2026, 11, 23, 23, 50, tzinfo=HCM)
    assert NIGHT.next_allowed(evening) == datetime(2026, 11, 24, 6, 30, tzinfo=HCM)
    early = datetime(2026, 11, 24, 2, 0, tzinfo=HCM)
    assert NIGHT.next_allowed(early) == datetime(2026, 11, 24, 6, 30, tzinfo=HCM)
    free = datetime(2026, 11, 24, 20, 0, tzinfo=HCM)
    assert NIGHT.next_allowed(free) == free


@pytest.mark.parametrize(
    ("typed", "window"),
    [
        ("22:00-06:00", Quiet(time(22), time(6))),
        (" 21h30 – 6h ", Quiet(time(21, 30), time(6))),
        ("22 giờ đến 5 giờ", Quiet(time(22), time(5))),
        ("23h toi 5h30", Quiet(time(23), time(5, 30))),
    ],
)
def test_typed_windows_with_or_without_diacritics(typed: str, window: Quiet) -> None:
    assert parse_quiet(typed) == window


@pytest.mark.parametrize("typed", ["22h", "22h-22h", "25h-6h", "a-b", "22h-6h-7h", "1" * 50])
def test_bad_windows_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_quiet(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("UTC+9", "UTC+09:00"),
        ("gmt -5", "UTC-05:00"),
        ("+5:30", "UTC+05:30"),
        ("europe/berlin", "Europe/Berlin"),
        ("America/New York", "America/New_York"),
    ],
)
def test_zones_typed_as_offsets_or_names(typed: str, stored: str) -> None:
    assert parse_zone(typed) == stored


@pytest.mark.parametrize("typed", ["UTC+15", "+5:20", "Mars/Olympus", "", "x" * 60])
def test_unknown_zones_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_zone(typed)


def test_a_stored_zone_becomes_a_tzinfo_and_a_broken_one_the_default() -> None:
    moment = datetime(2026, 11, 23, 12, 0, tzinfo=HCM)
    assert moment.astimezone(zone("UTC+09:00", HCM)).hour == 14
    assert moment.astimezone(zone("UTC-05:00", HCM)).utcoffset() == timedelta(hours=-5)
    assert zone("Nowhere/Gone", HCM) is HCM
    assert zone(None, HCM) is HCM
