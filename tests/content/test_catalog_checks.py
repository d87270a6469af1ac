"""`content check` names every problem with its file and line, and loads nothing half-way."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.catalog import ContentError, check_catalog, load_catalog

WORK = """---
id: bai-thu-nghiem
title: Bài thử nghiệm
year: 1949
has_text: {has_text}
attribution: {attribution}
completeness: Một đoạn.
---
{text}
"""
TEXT = (
    "Trời có bốn mùa: Xuân, Hạ, Thu, Đông. Đất có bốn phương: Đông, Tây, Nam, Bắc.\n\n"
    "Nǎm nay, tôi vừa 79 tuổi, đã là lớp người xưa nay hiếm.\n\n"
    "[...]"
)
LESSON = """id: {id}
order: {order}
title: Bài thử
work: {work}
citation: Hồ Chí Minh, Bài thử nghiệm (1949)
passage: |-
  {passage}
note: Một ghi chú đủ dài để qua được bước kiểm tra độ dài tối thiểu của phần ghi chú.
question: Đồng chí sẽ làm gì?
"""
PASSAGE = "Trời có bốn mùa: Xuân, Hạ, Thu, Đông."
THEME = """id: {id}
kind: annual
years: [2024]
owner: Tỉnh ủy Thử
status: {status}
name: "{name}"
sources: [vi-du.gov.vn/chuyen-de]
"""
NAME = "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về một điều thử"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A small content pack: one work with text, one theme with a name, no lessons yet."""
    made = tmp_path / "content"
    for folder in ("works", "themes", "lessons/chu-de"):
        (made / folder).mkdir(parents=True)
    work(made, "bai-thu-nghiem")
    (made / "themes" / "chu-de.yaml").write_text(
        THEME.format(id="chu-de", status="found", name=NAME), "utf-8"
    )
    return made


def work(root: Path, name: str, *, has_text: bool = True, attribution: str = "confirmed") -> None:
    text = WORK.format(
        has_text=str(has_text).lower(), attribution=attribution, text=TEXT if has_text else ""
    )
    if name != "bai-thu-nghiem":
        text = text.replace("id: bai-thu-nghiem", f"id: {name}")
    (root / "works" / f"{name}.md").write_text(text, "utf-8")


def lesson(root: Path, name: str, theme: str = "chu-de", **fields: object) -> None:
    values = {"id": "bai-mot", "order": 1, "work": "bai-thu-nghiem", "passage": PASSAGE, **fields}
    (root / "lessons" / theme).mkdir(exist_ok=True)
    (root / "lessons" / theme / name).write_text(LESSON.format(**values), "utf-8")


def messages(root: Path) -> list[str]:
    return [str(p) for p in check_catalog(root)]


def test_a_sound_pack_loads_with_its_lookups(root: Path) -> None:
    lesson(root, "02-bai-hai.yaml", id="bai-hai", order=2, passage="Nǎm nay, tôi vừa 79 tuổi")
    lesson(root, "01-bai-mot.yaml")
    assert messages(root) == []
    catalog = load_catalog(root)
    assert [x.id for x in catalog.lessons_for("chu-de")] == ["bai-mot", "bai-hai"]
    assert catalog.lesson("bai-hai") is not None and catalog.lesson("khong-co") is None
    assert [t.id for t in catalog.themes_for(2024)] == ["chu-de"]
    assert catalog.works["bai-thu-nghiem"].paragraphs[-1].startswith("Nǎm nay")


def test_whitespace_nfd_and_the_legacy_a_do_not_count_as_differences(root: Path) -> None:
    lesson(root, "01.yaml", passage="Năm   nay, tôi vừa 79 tuổi, đã là lớp người")
    decomposed = "Trời có bốn mùa: Xuân, Hạ, Thu, Đông. Đất có bốn phương"
    lesson(root, "02.yaml", id="bai-hai", passage=unicodedata.normalize("NFD", decomposed))
    assert messages(root) == []


def test_a_passage_not_in_the_work_is_reported_with_its_line(root: Path) -> None:
    lesson(root, "01.yaml", passage="Trời có bốn mùa, Bác đã nói như vậy.")
    assert messages(root) == [
        "content/lessons/chu-de/01.yaml:6: passage is not found word for word in 'bai-thu-nghiem'"
    ]


def test_a_changed_comma_is_a_different_passage(root: Path) -> None:
    lesson(root, "01.yaml", passage="Trời có bốn mùa: Xuân, Hạ, Thu, Đông. Đất có bốn phương Đông")
    assert "passage is not found word for word" in messages(root)[0]


def test_duplicated_ids_and_reused_passages_are_all_reported(root: Path) -> None:
    lesson(root, "01.yaml")
    lesson(root, "02.yaml", order=2)  # same id
    lesson(root, "03.yaml", id="bai-ba", order=3)  # same passage
    lesson(root, "04.yaml", id="bai-bon", order=4, passage="Thu, Đông. Đất có bốn phương")
    assert messages(root) == [
        "content/lessons/chu-de/02.yaml:1: duplicate lesson id 'bai-mot' "
        "(content/lessons/chu-de/01.yaml)",
        "content/lessons/chu-de/03.yaml:6: passage already used by lesson 'bai-mot'",
        "content/lessons/chu-de/04.yaml:6: passage overlaps the passage of lesson 'bai-mot'",
    ]
    with pytest.raises(ContentError) as caught:
        load_catalog(root)
    assert [str(p) for p in caught.value.problems] == messages(root)


def test_a_missing_or_unquotable_work_cannot_be_cited(root: Path) -> None:
    work(root, "chi-co-thong-tin", has_text=False)
    work(root, "chua-ro-tac-pham", attribution="provisional")
    lesson(root, "01.yaml", work="khong-co")
    lesson(root, "02.yaml", id="bai-hai", work="chi-co-thong-tin")
    lesson(root, "03.yaml", id="bai-ba", work="chua-ro-tac-pham")
    assert messages(root) == [
        "content/lessons/chu-de/01.yaml:4: no such work: 'khong-co'",
        "content/lessons/chu-de/02.yaml:4: that work has no verified text: 'chi-co-thong-tin'",
        "content/lessons/chu-de/03.yaml:4: that work's attribution is provisional: "
        "'chua-ro-tac-pham'",
    ]


def test_long_passages_gap_marks_and_wrong_citations_are_reported(root: Path) -> None:
    long_text = "Một câu dài để thử. " * 50
    path = root / "works" / "bai-thu-nghiem.md"
    path.write_text(path.read_text("utf-8").replace("[...]", f"{long_text}\n\n[...]"), "utf-8")
    lesson(root, "01.yaml", passage=long_text.strip())
    lesson(root, "02.yaml", id="bai-hai", passage="xưa nay hiếm.\n\n  [...]")
    (root / "lessons" / "chu-de" / "03.yaml").write_text(
        LESSON.format(
            id="bai-ba", order=3, work="bai-thu-nghiem", passage="Đất có bốn phương: Đông, Tây"
        ).replace("Bài thử nghiệm (1949)", "Di chúc (1969)"),
        "utf-8",
    )
    assert messages(root) == [
        "content/lessons/chu-de/01.yaml:6: passage is 999 characters; at most 900",
        "content/lessons/chu-de/02.yaml:6: passage includes the mark [...] of missing material",
        "content/lessons/chu-de/03.yaml:5: citation does not name the work 'Bài thử nghiệm'",
    ]


def test_malformed_yaml_missing_fields_and_repeated_keys_name_the_line(root: Path) -> None:
    folder = root / "lessons" / "chu-de"
    (folder / "01.yaml").write_text("id: bai-loi\norder: 1\ntitle: [không đóng\n", "utf-8")
    (folder / "02.yaml").write_text("id: bai-thieu\norder: 2\ntitle: Thiếu trường\n", "utf-8")
    (folder / "03.yaml").write_text(
        LESSON.format(id="bai-ba", order=3, work="bai-thu-nghiem", passage=PASSAGE)
        + "order: 4\nnote: Ghi chu khong dau, viet vội cho xong nhưng vẫn đủ bốn mươi ký tự.\n",
        "utf-8",
    )
    found = messages(root)
    assert found[0].startswith("content/lessons/chu-de/01.yaml:4: not valid YAML")
    assert "content/lessons/chu-de/02.yaml: work: Field required" in found
    assert "content/lessons/chu-de/03.yaml:10: 'order' is given twice" in found
    assert "content/lessons/chu-de/03.yaml:11: 'note' is given twice" in found


def test_a_note_typed_without_diacritics_is_reported(root: Path) -> None:
    (root / "lessons" / "chu-de" / "01.yaml").write_text(
        LESSON.format(id="bai-mot", order=1, work="bai-thu-nghiem", passage=PASSAGE).replace(
            "Đồng chí sẽ làm gì?", "Dong chi se lam gi?"
        ),
        "utf-8",
    )
    assert messages(root) == [
        "content/lessons/chu-de/01.yaml:9: question: write it in Vietnamese with diacritics"
    ]


def test_a_work_front_matter_error_names_the_line_in_the_file(root: Path) -> None:
    path = root / "works" / "bai-thu-nghiem.md"
    path.write_text(path.read_text("utf-8").replace("year: 1949", "year: 1949: 1950"), "utf-8")
    (root / "works" / "khong-dau-gach.md").write_text("id: khong-dau-gach\n", "utf-8")
    (root / "works" / "ten-khac.md").write_text(
        WORK.format(has_text="false", attribution="confirmed", text=""), "utf-8"
    )
    (root / "works" / "van-ban-thieu.md").write_text(
        WORK.format(has_text="true", attribution="confirmed", text="[...]").replace(
            "id: bai-thu-nghiem", "id: van-ban-thieu"
        ),
        "utf-8",
    )
    found = messages(root)
    assert found[0].startswith("content/works/bai-thu-nghiem.md:4: not valid YAML")
    assert found[1:] == [
        "content/works/khong-dau-gach.md:1: expected a front matter between two '---' lines",
        "content/works/ten-khac.md:2: the file must be named bai-thu-nghiem.md",
        "content/works/van-ban-thieu.md:5: has_text is true but there is no text below it",
    ]


def test_a_theme_name_is_never_invented(root: Path) -> None:
    (root / "themes" / "nam-2017.yaml").write_text(
        THEME.format(id="nam-2017", status="not-found", name="Một tên tự nghĩ ra cho đủ"), "utf-8"
    )
    (root / "themes" / "thieu-ten.yaml").write_text(
        THEME.format(id="thieu-ten", status="found", name=""), "utf-8"
    )
    assert messages(root) == [
        "content/themes/nam-2017.yaml: a theme with status 'not-found' has no name; "
        "leave it empty",
        "content/themes/thieu-ten.yaml: a found theme needs its official name (at least 10 "
        "characters)",
    ]


def test_lessons_need_a_theme_with_an_official_name(root: Path) -> None:
    (root / "themes" / "nam-2017.yaml").write_text(
        "id: nam-2017\nkind: annual\nyears: [2017]\nowner: national\nstatus: not-found\n", "utf-8"
    )
    lesson(root, "01.yaml", theme="nam-2017")
    lesson(
        root, "02.yaml", theme="khong-co-chu-de", id="bai-hai", passage="Nǎm nay, tôi vừa 79 tuổi"
    )
    assert messages(root) == [
        "content/lessons/khong-co-chu-de/02.yaml: folder names no theme: 'khong-co-chu-de'",
        "content/lessons/nam-2017/01.yaml: theme 'nam-2017' has no official name yet",
    ]


def test_windows_files_load_and_other_encodings_are_named(root: Path) -> None:
    text = LESSON.format(id="bai-mot", order=1, work="bai-thu-nghiem", passage=PASSAGE)
    (root / "lessons" / "chu-de" / "01.yaml").write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    )
    assert messages(root) == []
    (root / "lessons" / "chu-de" / "02.yaml").write_bytes(text.encode("cp1258", "replace"))
    assert messages(root)[0].startswith("content/lessons/chu-de/02.yaml: not UTF-8 text")


def test_a_missing_folder_is_reported_and_nothing_loads(tmp_path: Path) -> None:
    assert messages(tmp_path / "content") == [
        "content/works: folder not found",
        "content/themes: folder not found",
        "content/lessons: folder not found",
    ]
    with pytest.raises(ContentError):
        load_catalog(tmp_path / "content")
