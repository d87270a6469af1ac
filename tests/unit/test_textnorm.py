from __future__ import annotations

import pytest

from bot.textnorm import clean, fold, has_control_chars, nfc


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Cần, Kiệm, Liêm, Chính", "can kiem liem chinh"),
        ("can kiem liem chinh", "can kiem liem chinh"),
        ("  CẦN   kiệm 🙏 liêm, chính!! ", "can kiem liem chinh"),
        ("Đảng viên", "dang vien"),
        ("ĐỒNG Ý", "dong y"),
        ("06:00", "06 00"),
    ],
)
def test_fold_matches_typed_forms(typed: str, expected: str) -> None:
    assert fold(typed) == expected


def test_decomposed_and_composed_forms_fold_alike() -> None:
    composed = "Nguyễn"
    decomposed = "Nguye\u0302\u0303n"
    assert fold(decomposed) == fold(composed) == "nguyen"
    assert nfc(decomposed) == composed


def test_legacy_caron_a_is_read_as_breve_a() -> None:
    assert nfc("Đảng viên phǎi") == "Đảng viên phăi"


def test_clean_collapses_spaces_and_drops_control_characters() -> None:
    assert clean("  Nguyễn\t\tVăn \x07An ") == "Nguyễn Văn An"
    assert has_control_chars("An\x00")
    assert has_control_chars("An\u200b")
    assert not has_control_chars("An\nBình")
