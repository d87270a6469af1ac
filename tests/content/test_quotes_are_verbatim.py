"""Content is sacred: every shipped quotation is Hồ Chí Minh's text word for word."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.catalog import CONTENT, Lesson, comparable, load_catalog
from bot.textnorm import nfc

# The collated corpus (v2): every shipped quotation must be in it, word for word.
CORPUS = CONTENT.parent.parent / "shared" / "corpus" / "v2" / "works"
CATALOG = load_catalog()
LESSONS = [x for ordered in CATALOG.lessons.values() for x in ordered]
# Where copies of a sentence disagree with no majority, or a source abridged it (corpus v2), the
# sentence is left out; the work files list them under verification.uncertain.
DISPUTED = [
    "thấm nhuần đạo đức cách mạng",
    "hằng hái",
    "của Đảng và của dân ta",
    "cần giữ gìn sự đoàn kết",
    "rồi thì quyền giao cho dân chúng",
    "khôi phục lại khối đoàn kết",
    "Cách mệnh trước hết phải có cái gì?",
]


def test_there_are_at_least_25_lessons() -> None:
    assert len(LESSONS) >= 25


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_the_passage_is_word_for_word_in_its_work(lesson: Lesson) -> None:
    work = CATALOG.works[lesson.work]
    assert comparable(lesson.passage) in comparable(work.text)
    # Stricter than the checker: exact, so "Đọc toàn văn" can highlight it in the work.
    assert nfc(lesson.passage) in nfc(work.text)
    assert "[...]" not in lesson.passage
    assert len(lesson.passage) <= 900


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_the_citation_names_an_existing_work_with_text(lesson: Lesson) -> None:
    work = CATALOG.works[lesson.work]
    assert work.has_text and work.attribution == "confirmed"
    assert lesson.citation.startswith("Hồ Chí Minh, ")
    assert work.title in lesson.citation and str(work.year) in lesson.citation
    assert work.citation is None or work.citation in lesson.citation


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_no_sentence_whose_copies_disagree_is_quoted(lesson: Lesson) -> None:
    assert [x for x in DISPUTED if x in nfc(lesson.passage)] == []


def test_no_passage_is_used_twice_even_in_part() -> None:
    spans: dict[str, list[tuple[int, int, str]]] = {}
    for lesson in LESSONS:
        text = comparable(CATALOG.works[lesson.work].text)
        start = text.index(comparable(lesson.passage))
        end = start + len(comparable(lesson.passage))
        clashes = [i for s, e, i in spans.get(lesson.work, []) if s < end and start < e]
        assert clashes == [], lesson.id
        spans.setdefault(lesson.work, []).append((start, end, lesson.id))


def test_works_without_verified_text_are_never_cited() -> None:
    cited = {x.work for x in LESSONS}
    unquotable = {w.id for w in CATALOG.works.values() if not w.quotable}
    # Only the folk saying the 1969 article quotes was found: not Bác's own sentence.
    assert unquotable == {"nang-cao-dao-duc-cach-mang-quet-sach-chu-nghia-ca-nhan-1969"}
    assert cited & unquotable == set()


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda x: x.id)
def test_no_lesson_rests_on_a_withheld_sentence(lesson: Lesson) -> None:
    work = CATALOG.works[lesson.work]
    assert work.status_of(lesson.passage) in {"copy-only", "collated", "checked"}
    assert [x for x in work.withheld if comparable(x) in comparable(lesson.passage)] == []


def test_every_work_text_is_the_corpus_text_byte_for_byte() -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing beside the repository: {CORPUS}")
        pytest.skip("the shared corpus is not beside this checkout")
    assert sorted(p.stem for p in CORPUS.glob("*.md")) == sorted(CATALOG.works)
    for work in CATALOG.works.values():
        source = (CORPUS / f"{work.id}.md").read_text(encoding="utf-8")
        fenced = re.search(r"```text\n(.*?)\n```", source, re.DOTALL)
        assert fenced is not None, work.id
        expected = fenced.group(1) if work.has_text else ""
        assert work.text == expected, work.id


def test_theme_names_are_sourced_and_gaps_are_marked_not_filled() -> None:
    for theme in CATALOG.themes.values():
        assert bool(theme.name) == theme.found, theme.id
        assert theme.sources or theme.status == "not-found", theme.id
    by_year = {(t.year, t.owner): t.status for t in CATALOG.themes.values()}
    assert by_year[(2016, "national")] == "not-found"
    assert by_year[(2017, "national")] == "not-found"
    assert by_year[(2020, "national")] == "untitled"
    assert by_year[(2026, "national")] == "not-found"
    assert CATALOG.themes["toan-khoa-xiii"].variant is not None  # "phát triển" or "xây dựng"


def test_lessons_belong_to_themes_with_an_official_name() -> None:
    for theme_id in CATALOG.lessons:
        assert CATALOG.themes[theme_id].found


def test_every_lesson_file_is_human_editable_yaml() -> None:
    for path in (CONTENT / "lessons").glob("*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "passage: |" in text, path  # the passage stays a readable block, not an escape soup
        assert Path(path).stem.split("-", 1)[1] in text
