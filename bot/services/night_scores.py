"""Quiz night scoring and ranking: pure functions, no database.

A right answer earns BASE points plus a speed bonus of up to BONUS, proportional to the time
left; a wrong one earns nothing. Ranks are shared by equal scores ("1, 2, 2, 4").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

BASE = 100
BONUS = 100
TOP = 5  # ranks shown after each question


def points(*, correct: bool, elapsed_ms: int, seconds: int) -> int:
    """Return the points of one answer given `elapsed_ms` after a `seconds`-long question."""
    if not correct:
        return 0
    total = seconds * 1000
    left = min(max(total - elapsed_ms, 0), total)
    return BASE + (BONUS * left) // total


@dataclass(frozen=True)
class Standing:
    user_id: int
    name: str
    seq: int  # join order: ties are listed in it, and it numbers anonymised names
    guest: bool
    score: int
    correct: int
    answered: int


@dataclass(frozen=True)
class Ranked:
    rank: int
    standing: Standing


def ranked(standings: Iterable[Standing]) -> list[Ranked]:
    """Order by score (ties in join order) with shared ranks for equal scores."""
    ordered = sorted(standings, key=lambda s: (-s.score, s.seq))
    result: list[Ranked] = []
    for index, standing in enumerate(ordered):
        tied = result and result[-1].standing.score == standing.score
        result.append(Ranked(result[-1].rank if tied else index + 1, standing))
    return result


def top(rows: Sequence[Ranked], limit: int = TOP) -> list[Ranked]:
    """Return the rows ranked within `limit` (all who share a rank come along)."""
    return [r for r in rows if r.rank <= limit]
