from __future__ import annotations

from datetime import time

import pytest

from bot.errors import InvalidInput
from bot.services.invites import looks_like_code, normalise_code
from bot.services.onboarding import parse_name, parse_time


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("19:30", time(19, 30)),
        ("19h30", time(19, 30)),
        ("7h", time(7, 0)),
        ("7 giờ 15", time(7, 15)),
        ("7 gio 15", time(7, 15)),
        (" 20:00 ", time(20, 0)),
        ("6", time(6, 0)),
        ("8h 30", time(8, 30)),
    ],
)
def test_times_are_read_in_the_forms_people_type(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "19:75", "abc", "", "1" * 300, "tối nay"])
def test_impossible_times_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_time(typed)


def test_names_are_cleaned_and_capitalised() -> None:
    assert parse_name("  nguyễn   văn an ") == "Nguyễn Văn An"
    assert parse_name("Nguyen Van An") == "Nguyen Van An"


@pytest.mark.parametrize(
    "typed", ["A", "x" * 300, "An\x00Bình", "Lê 😀", "12345", "Nguyễn\u200bAn", "<b>An</b>"]
)
def test_unusable_names_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_name(typed)


def test_invite_codes_are_read_loosely() -> None:
    assert normalise_code(" abcd-ef23 ") == "ABCDEF23"
    assert looks_like_code("abcd ef23")
    assert not looks_like_code("xin chào các đồng chí")
    assert not looks_like_code("ab")
