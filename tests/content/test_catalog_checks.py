"""`content check` names every problem with its file and line, and loads nothing half-way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.catalog import CONTENT, ContentError, check_catalog, load_catalog

LESSON = """id: {id}
order: {order}
title: Bài thử
work: {work}
citation: Hồ Chí Minh, Cần, Kiệm, Liêm, Chính (1949)
passage: |-
  {passage}
note: Một ghi chú đủ dài để qua được bước kiểm tra độ dài tối thiểu của phần ghi chú.
question: Đồng chí sẽ làm gì?
"""
PASSAGE = "Thiếu một mùa, thì không thành trời. Thiếu một phương, thì không thành đất."


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the works and themes, with an empty lesson folder for the term theme."""
    made = tmp_path / "content"
    shutil.copytree(CONTENT / "works", made / "works")
    shutil.copytree(CONTENT / "themes", made / "themes")
    (made / "lessons" / "toan-khoa-xiii").mkdir(parents=True)
    return made


def write(root: Path, name: str, **fields: object) -> None:
    values = {
        "id": "bai-thu",
        "order": 1,
        "work": "can-kiem-liem-chinh-1949",
        "passage": PASSAGE,
        **fields,
    }
    (root / "lessons" / "toan-khoa-xiii" / name).write_text(LESSON.format(**values), "utf-8")


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_catalog(root)]


def test_a_sound_lesson_passes(root: Path) -> None:
    write(root, "01.yaml")
    assert messages(root) == []
    assert load_catalog(root).lesson_count == 1


def test_a_passage_not_in_the_work_is_reported_with_its_line(root: Path) -> None:
    write(root, "01.yaml", passage="Thiếu một mùa thì vẫn thành trời, Bác nói vậy.")
    assert messages(root) == [
        "content/lessons/toan-khoa-xiii/01.yaml:6: passage is not found word for word in "
        "'can-kiem-liem-chinh-1949'"
    ]


def test_whitespace_and_the_legacy_a_do_not_count_as_differences(root: Path) -> None:
    write(
        root, "01.yaml", work="di-chuc-1969", passage="Nǎm nay, tôi vừa 79   tuổi, đã là lớp người"
    )
    write(
        root,
        "02.yaml",
        id="bai-hai",
        order=2,
        work="di-chuc-1969",
        passage="thăm hỏi các cụ phụ lão, các cháu thanh niên",
    )
    assert messages(root) == []


def test_duplicates_and_missing_works_are_all_reported(root: Path) -> None:
    write(root, "01.yaml")
    write(root, "02.yaml", order=2)  # same id
    write(root, "03.yaml", id="bai-ba", order=3)  # same passage
    write(root, "04.yaml", id="bai-bon", order=4, work="khong-co")
    write(root, "05.yaml", id="bai-nam", order=5, work="dan-van-1949")
    found = messages(root)
    assert "content/lessons/toan-khoa-xiii/02.yaml:1: duplicate lesson id 'bai-thu'" in found
    assert any("03.yaml:6: passage already used by lesson 'bai-thu'" in m for m in found)
    assert any("04.yaml:4: no such work: 'khong-co'" in m for m in found)
    assert any("05.yaml:4: that work has no verified text" in m for m in found)
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    assert len(caught.value.problems) == len(found)


def test_malformed_yaml_and_missing_fields_name_the_line(root: Path) -> None:
    (root / "lessons" / "toan-khoa-xiii" / "01.yaml").write_text(
        "id: bai-loi\norder: 1\ntitle: [không đóng\n", "utf-8"
    )
    (root / "lessons" / "toan-khoa-xiii" / "02.yaml").write_text(
        "id: bai-thieu\norder: 2\ntitle: Thiếu trường\n", "utf-8"
    )
    found = messages(root)
    assert found[0].startswith("content/lessons/toan-khoa-xiii/01.yaml:4: not valid YAML")
    assert "content/lessons/toan-khoa-xiii/02.yaml: work: Field required" in found


def test_a_lesson_outside_any_theme_is_reported(root: Path) -> None:
    (root / "lessons" / "khong-co-chu-de").mkdir()
    (root / "lessons" / "khong-co-chu-de" / "01.yaml").write_text(
        LESSON.format(id="bai-lac", order=1, work="can-kiem-liem-chinh-1949", passage=PASSAGE),
        "utf-8",
    )
    assert messages(root) == [
        "content/lessons/khong-co-chu-de/01.yaml: folder names no theme: 'khong-co-chu-de'"
    ]
