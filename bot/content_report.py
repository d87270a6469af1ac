"""What `hocbac content check` reports beyond problems: how far each text is verified.

One line per work: its status (copy-only / collated / checked), how many of its sentences rest
on one copy or are withheld, who verified it and when, and the Toàn tập reference as its copies
state it. Then the lessons and quiz questions members see at each minimum status, so an
operator can weigh CONTENT_MINIMUM_STATUS before setting it.
"""

from __future__ import annotations

from bot.catalog import Catalog
from bot.content_models import STATUSES
from bot.quizbank import QuizBanks


def verification_table(catalog: Catalog, banks: QuizBanks) -> list[str]:
    lines = ["Verification status (CONTENT_MINIMUM_STATUS hides what is below it):"]
    for work in catalog.works.values():
        v = work.verification
        if not work.has_text:
            lines.append(f"  {work.id}: no text (publication facts only)")
            continue
        if v is None:
            lines.append(f"  {work.id}: copy-only; nobody has recorded a verification")
            continue
        parts = [str(work.status)]
        if v.single_copy:
            parts.append(f"{len(v.single_copy)} sentence(s) on one copy")
        if v.uncertain:
            parts.append(f"{len(v.uncertain)} withheld")
        parts.append(f"by {v.by}, {v.on}")
        if v.edition:
            parts.append(f"against {v.edition}")
        lines.append(f"  {work.id}: {'; '.join(parts)}")
        lines.append(f"    Toàn tập: {work.toan_tap or '(not stated by any copy)'}")
    for minimum in STATUSES:
        shown = catalog.at_least(minimum)
        questions = banks.shown_with(shown).question_count
        lines.append(
            f"  at least {minimum}: {shown.lesson_count} lessons, {questions} quiz questions"
        )
    return lines
