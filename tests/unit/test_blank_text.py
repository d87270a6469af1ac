"""Texts that would show as nothing are refused wherever people type; real ones still pass."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.services import announcements, onboarding, pledges, search
from bot.textnorm import is_blank

ZWSP, ZWJ, BOM, WJ = "\u200b", "\u200d", "\ufeff", "\u2060"
BLANKS = [
    "",
    "   ",
    ZWSP,
    ZWSP * 3 + " ",
    f"{ZWJ}{BOM}{WJ}\u00a0\u3000",
    "\u3164\u3164",  # Hangul fillers: the usual "invisible name"
    "\u2800 \u2800",  # Braille blank
    "\u115f\u1160\uffa0",
    "\ufe0f\u034f",  # a variation selector and a grapheme joiner with nothing to modify
    "\u0301",  # a lone combining accent
    "\u202e\u202d",  # direction marks
]
SHOWN = ["a", "Đ", "5", ".", "🙏", "👨\u200d👩\u200d👧", f"{ZWSP}Họp lúc 19h30{ZWSP}", "\u3164Ân"]


@pytest.mark.parametrize("text", BLANKS)
def test_invisible_only_texts_are_blank(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", SHOWN)
def test_anything_readable_is_not_blank(text: str) -> None:
    assert not is_blank(text)


@pytest.mark.parametrize("text", BLANKS)
def test_every_place_that_takes_text_refuses_a_blank_one(text: str) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        announcements.clean_text(text)
    with pytest.raises(InvalidInput):  # check-ins, comments, reasons and pledges share it
        pledges.clean_text(text)
    with pytest.raises(InvalidInput):
        pledges.check_item_text(text * 10)
    with pytest.raises(InvalidInput):
        onboarding.parse_name(text * 2)
    with pytest.raises(InvalidInput):
        search.query_words(text * 3)


def test_a_name_padded_with_fillers_keeps_only_its_letters() -> None:
    assert onboarding.parse_name("\u3164nguyễn\u3164 văn\u2800an") == "Nguyễn Văn An"


def test_overlong_texts_are_still_refused_with_their_length() -> None:
    with pytest.raises(InvalidInput, match="too long"):
        announcements.clean_text("a" * (announcements.TEXT_MAX + 1))
    with pytest.raises(InvalidInput, match="long"):
        pledges.clean_text("a" * (pledges.TEXT_MAX + 1))
    assert announcements.clean_text(" Họp lúc 19h30 👨‍👩‍👧 ") == "Họp lúc 19h30 👨‍👩‍👧"
