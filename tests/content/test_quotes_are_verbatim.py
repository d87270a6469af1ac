"""Content is sacred: every shipped quotation is Hồ Chí Minh's text word for word."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bot.catalog import CONTENT, comparable, load_catalog

CORPUS = CONTENT.parent.parent / "shared" / "corpus" / "works"


def test_the_shipped_content_is_sound() -> None:
    catalog = load_catalog()
    assert catalog.lesson_count >= 25
    for lessons in catalog.lessons.values():
        for lesson in lessons:
            work = catalog.works[lesson.work]
            assert work.has_text
            assert comparable(lesson.passage) in comparable(work.text), lesson.id
            assert work.title in lesson.citation, lesson.id


def test_no_passage_is_used_twice() -> None:
    catalog = load_catalog()
    passages = [comparable(x.passage) for ls in catalog.lessons.values() for x in ls]
    assert len(passages) == len(set(passages))


def test_every_work_text_is_the_corpus_text_byte_for_byte() -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing beside the repository: {CORPUS}")
        pytest.skip("the shared corpus is not beside this checkout")
    catalog = load_catalog()
    for work in catalog.works.values():
        source = (CORPUS / f"{work.id}.md").read_text(encoding="utf-8")
        fenced = re.search(r"```text\n(.*?)\n```", source, re.DOTALL)
        if work.has_text:
            assert fenced is not None and fenced.group(1) == work.text, work.id


def test_every_lesson_file_is_human_editable_yaml() -> None:
    for path in (CONTENT / "lessons").glob("*/*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "passage: |" in text, path  # the passage stays a readable block, not an escape soup
        assert Path(path).stem.split("-", 1)[1] in text
