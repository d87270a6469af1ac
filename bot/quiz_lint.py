"""A linter for quiz banks: the tells a careful player uses instead of knowing the answer.

Run by `hocbac content check` on the shipped banks and by the import of a cell's spreadsheet
bank (bot.services.quiz_import). Each finding names the bank and the question ids:
- leak: a key's distinctive words (found in no distractor of its own question) are in the stem
  of another question of the same bank, so a round holding both gives one away;
- stem-has-key: a stem contains its own correct option;
- longest-bias: in more than 35 % of a bank's questions the correct option is the longest;
- odd-key: the correct option alone lacks a word that every distractor shares (as «Riêng …»);
- duplicate: two stems say nearly the same thing;
- unequal-length: the longest option is at least 2.5 times (and 25 characters) the shortest.
Words are compared as syllable pairs (Vietnamese words are mostly two syllables), ignoring
case, punctuation and function words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise
from typing import Literal

from bot.textnorm import nfc

LONGEST_MAX = 0.35
_DUPLICATE = 0.8  # share of a stem's syllable pairs found in another stem
_LENGTH_RATIO, _LENGTH_GAP = 2.5, 25
_BIAS_MIN = 5  # questions a bank needs before a share of longest answers means anything
_TOPIC = 3  # stems a syllable pair must be in to count as the bank's topic
_SYLLABLE = re.compile(r"[\w/.-]+")
# Function words that carry no answer on their own.
_FUNCTION = frozenset(
    {
        "của",
        "và",
        "là",
        "có",
        "các",
        "những",
        "một",
        "cho",
        "được",
        "trong",
        "với",
        "đã",
        "thì",
        "mà",
        "để",
        "không",
        "này",
        "ấy",
        "ta",
        "theo",
        "về",
        "từ",
        "đến",
        "nào",
        "gì",
        "ai",
        "bao",
        "nhiêu",
        "như",
        "thế",
        "khi",
        "đó",
        "ở",
        "do",
        "bị",
        "vì",
        "nên",
        "lại",
        "còn",
        "cũng",
        "đều",
        "sẽ",
        "phải",
        "rằng",
        "hay",
        "hoặc",
        "tại",
        "trên",
        "dưới",
        "ra",
        "vào",
        "chỉ",
        "mỗi",
        "cả",
        "rất",
        "hơn",
        "nhất",
        "điều",
        "việc",
        "người",
        "bác",
        "tác",
        "phẩm",
        "viết",
        "nói",
        "câu",
    }
)


@dataclass(frozen=True)
class Item:
    """What the linter needs of a question, from a shipped bank or an imported one."""

    id: str
    question: str
    options: tuple[str, ...]
    correct: int  # 1-based


Kind = Literal["leak", "stem-has-key", "longest-bias", "odd-key", "duplicate", "unequal-length"]


@dataclass(frozen=True)
class Finding:
    bank: str
    kind: Kind
    ids: tuple[str, ...]  # leak: (the question whose answer leaks, the one whose stem leaks it)
    words: str = ""  # leak and odd-key: the words at issue
    share: int = 0  # longest-bias: the percentage; unequal-length: the longest option's length

    def __str__(self) -> str:
        """For the operator's console (members and secretaries get bot.texts.quiz.lint)."""
        detail = {
            "leak": f"the stem of {self.ids[-1]} gives away {self.ids[0]}: «{self.words}»",
            "stem-has-key": "the stem contains its own answer",
            "longest-bias": f"the answer is the longest option in {self.share} % (at most 35 %)",
            "odd-key": f"only the answer lacks «{self.words}», which every other option has",
            "duplicate": "the two stems nearly match",
            "unequal-length": f"the options range from {self.words} characters",
        }[self.kind]
        return f"{self.bank}: {self.kind} [{', '.join(self.ids)}]: {detail}"


def _syllables(text: str) -> list[str]:
    return [s.strip(".-") for s in _SYLLABLE.findall(nfc(text).casefold()) if s.strip(".-")]


def _pairs(text: str) -> set[str]:
    """Adjacent syllable pairs without two function words; a lone number or date counts too."""
    words = _syllables(text)
    found = {f"{a} {b}" for a, b in pairwise(words) if not (a in _FUNCTION and b in _FUNCTION)}
    found |= {w for w in words if any(c.isdigit() for c in w)}
    return found


def _distinctive(item: Item) -> set[str]:
    key = item.options[item.correct - 1]
    others = set().union(*(_pairs(x) for i, x in enumerate(item.options, 1) if i != item.correct))
    return _pairs(key) - others - _pairs(item.question)


def leaking_pairs(items: Sequence[Item]) -> list[tuple[str, str, str]]:
    """(question whose answer leaks, question whose stem leaks it, the words).

    A stem leaks an answer when it holds at least half of the answer's distinctive pairs; a
    pair found in the stems of three or more questions is the bank's topic, not a clue.
    """
    stems = {x.id: _pairs(x.question) for x in items}
    seen: dict[str, int] = {}
    for pairs in stems.values():
        for pair in pairs:
            seen[pair] = seen.get(pair, 0) + 1
    topic = {pair for pair, count in seen.items() if count >= _TOPIC}
    found = []
    for a in items:
        distinctive = _distinctive(a) - topic
        for b in items:
            shared = distinctive & stems[b.id]
            if a.id != b.id and shared and 2 * len(shared) >= len(distinctive):
                found.append((a.id, b.id, ", ".join(sorted(shared))))
    return found


def lint(bank: str, items: Sequence[Item]) -> list[Finding]:
    findings = [Finding(bank, "leak", (a, b), words) for a, b, words in leaking_pairs(items)]
    for item in items:
        findings += _own(bank, item)
    longest = [x.id for x in items if _is_longest(x)]
    if len(items) >= _BIAS_MIN and len(longest) > LONGEST_MAX * len(items):
        share = round(100 * len(longest) / len(items))
        findings.append(Finding(bank, "longest-bias", tuple(longest), share=share))
    for a, b in combinations(items, 2):
        pa, pb = _pairs(a.question), _pairs(b.question)
        if pa and pb and len(pa & pb) >= _DUPLICATE * min(len(pa), len(pb)):
            findings.append(Finding(bank, "duplicate", (a.id, b.id)))
    return findings


def _own(bank: str, item: Item) -> list[Finding]:
    found = []
    key = " ".join(_syllables(item.options[item.correct - 1]))
    if len(key.split()) >= 2 and key in " ".join(_syllables(item.question)):
        found.append(Finding(bank, "stem-has-key", (item.id,)))
    distractors = [set(_syllables(x)) for i, x in enumerate(item.options, 1) if i != item.correct]
    if len(distractors) >= 2:
        shared = set.intersection(*distractors) - _FUNCTION
        alone = shared - set(_syllables(item.options[item.correct - 1]))
        if alone:
            found.append(Finding(bank, "odd-key", (item.id,), ", ".join(sorted(alone))))
    sizes = [len(x) for x in item.options]
    if max(sizes) >= _LENGTH_RATIO * min(sizes) and max(sizes) - min(sizes) >= _LENGTH_GAP:
        found.append(Finding(bank, "unequal-length", (item.id,), f"{min(sizes)}–{max(sizes)}"))
    return found


def _is_longest(item: Item) -> bool:
    sizes = [len(x) for x in item.options]
    key = sizes[item.correct - 1]
    return all(key > s for i, s in enumerate(sizes, 1) if i != item.correct)
