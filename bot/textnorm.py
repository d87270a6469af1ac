"""Vietnamese text normalisation for matching what people type.

Members often type without diacritics ("can kiem liem chinh"), with stray spaces, emoji or
upper case. `fold` maps all of those to one comparable form; stored text is never changed.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Letters and symbols that fonts draw as nothing: the Hangul fillers and the Braille blank are
# the usual way to type an "invisible" name; variation selectors and the combining grapheme
# joiner only modify a neighbour.
_DRAWN_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5")
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
# Legacy copies write "ǎ" (a with caron) where "ă" (a with breve) is meant.
_LEGACY = str.maketrans({"ǎ": "ă", "Ǎ": "Ă"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with legacy letters repaired."""
    return unicodedata.normalize("NFC", text.translate(_LEGACY))


def clean(text: str) -> str:
    """Return `text` in NFC, with control and blank-drawn characters removed, spaces collapsed."""
    kept = "".join(
        " " if ch in _DRAWN_BLANK else ch
        for ch in nfc(text)
        if unicodedata.category(ch)[0] != "C" or ch in "\n\t"
    )
    return _SPACES.sub(" ", kept).strip()


def fold(text: str) -> str:
    """Return a lower-case, diacritic-free, emoji-free form of `text` for comparisons."""
    decomposed = unicodedata.normalize("NFD", nfc(text).lower().replace("đ", "d"))
    letters = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue  # a combining accent
        letters.append(ch if category[0] in "LN" and ch not in _DRAWN_BLANK else " ")
    return _SPACES.sub(" ", "".join(letters)).strip()


def has_control_chars(text: str) -> bool:
    """Tell whether `text` holds control or format characters other than newline and tab."""
    return any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in text)


def shows_nothing(ch: str) -> bool:
    """Tell whether `ch` alone puts nothing readable on screen (space, format, control, blank)."""
    if ch in _DRAWN_BLANK or any(ord(ch) in block for block in _SELECTORS):
        return True
    return unicodedata.category(ch)[0] not in "LNPS"  # Z, C and lone combining marks (M)


def is_blank(text: str | None) -> bool:
    """Tell whether `text` would show as empty: only spaces, zero-width or invisible characters."""
    return text is None or all(shows_nothing(ch) for ch in text)
