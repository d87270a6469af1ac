"""The full-text view and the operator's minimum verification, on the shipped content."""

from __future__ import annotations

import re

import pytest

from bot.catalog import Lesson, load_catalog
from bot.quizbank import load_banks
from bot.screens.lessons import full_text
from bot.texts import lessons as t

CATALOG = load_catalog()
LESSONS = [x for ordered in CATALOG.lessons.values() for x in ordered]
HEADER = re.compile(r"^<b>📜 [^<]+</b> \(đoạn trích trong toàn văn\)\n\n")


def body(lesson: Lesson) -> str:
    text = full_text(lesson, CATALOG.works[lesson.work]).text
    assert HEADER.match(text), text[:80]
    return HEADER.sub("", text)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_the_full_text_is_cut_at_sentences_and_hides_what_is_withheld(lesson: Lesson) -> None:
    shown = body(lesson)
    assert "[...]" not in shown and len(shown) < 4000
    plain = re.sub(r"</?b>", "", shown.removeprefix("… ").removesuffix(" …"))
    # It starts at the start of a sentence and ends at the end of one (or of the passage).
    assert plain[:1].isupper() or plain[:1] in '"«(' or shown.startswith("… "), plain[:40]
    assert not plain.startswith("(…)") and not plain.endswith("(…)")
    if shown.endswith(" …"):  # cut before the end of the work: after a sentence
        assert plain.rstrip()[-1:] in '.!?:"”»)' or plain.endswith(lesson.passage[-20:])
    for sentence in CATALOG.works[lesson.work].withheld:
        assert " ".join(sentence.split()) not in " ".join(shown.split())


def test_a_withheld_sentence_is_named_in_place() -> None:
    lesson = next(x for x in LESSONS if x.id == "tu-phe-binh-va-phe-binh")
    shown = body(lesson)
    assert t.WITHHELD in shown
    assert "thực sự thấm nhuần" not in shown


def test_an_abridged_sentence_is_withheld_with_its_gap() -> None:
    work = CATALOG.works["duong-kach-menh-1927"]
    lesson = Lesson(
        id="thu",
        order=1,
        title="Thử",
        work=work.id,
        citation="Hồ Chí Minh, Đường Kách mệnh (1927)",
        passage="cách mệnh là việc chung cả dân chúng chứ không phải việc một hai người",
        note="Một ghi chú đủ dài để qua được kiểm tra độ dài của mô hình.",
        question="Đồng chí nghĩ sao?",
    )
    shown = full_text(lesson, work).text
    assert "[...]" not in shown
    assert "quyền giao cho dân chúng" not in shown  # the abridged sentence
    assert t.WITHHELD in shown or "chủ nghĩa Lênin" not in shown


def test_the_operator_minimum_hides_what_is_less_verified() -> None:
    banks = load_banks(catalog=CATALOG)
    collated = CATALOG.at_least("collated")
    kept = {x.id for ls in collated.lessons.values() for x in ls}
    assert 0 < len(kept) < len(LESSONS)
    for x in LESSONS:
        work = CATALOG.works[x.work]
        assert (x.id in kept) == (work.status_of(x.passage) == "collated"), x.id
    di_chuc = collated.works["di-chuc-1969"]
    assert set(CATALOG.works["di-chuc-1969"].verification.single_copy) <= set(di_chuc.withheld)  # type: ignore[union-attr]
    shown = banks.shown_with(collated)
    assert 0 < shown.question_count < banks.question_count
    checked = CATALOG.at_least("checked")
    assert checked.lesson_count == 0 and not any(w.quotable for w in checked.works.values())
    only_facts = banks.shown_with(checked)
    assert set(only_facts.banks) == {"thuc-hanh"}
    assert CATALOG.at_least("copy-only") is CATALOG
