"""`hocbac quiz import | banks | publish` on a real database."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from bot.cli import app

runner = CliRunner()
HEADER = ["Câu hỏi", "A", "B", "C", "D", "Đáp án", "Giải thích", "Nguồn"]


@pytest.fixture
def env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("BOT_TOKEN", "")
    assert runner.invoke(app, ["unit", "add", "Chi bộ 1"]).exit_code == 0


def said(output: str) -> list[str]:
    """The command's own lines, without the JSON log lines of the migrations."""
    return [line for line in output.splitlines() if not line.startswith('{"time"')]


def bank(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    for row in [HEADER, *rows]:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_an_import_prints_every_bad_row_and_stores_the_good_ones_as_a_draft(
    env: None, tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        ["Câu một?", "a", "b", "c", "d", "B", "Vì B.", "Sổ tay, tr. 5"],
        ["Câu hai?", "a", "b", "c", "d", "G", "", ""],
        [None] * 8,
        ["Câu ba?", "a", "b", "", "", "2", "", ""],
    ]
    result = runner.invoke(
        app, ["quiz", "import", str(bank(tmp_path / "bo.xlsx", rows)), "--unit", "chi bo 1"]
    )
    assert result.exit_code == 0, result.output
    assert said(result.output) == [
        "Tệp «bo.xlsx»: 2 câu hỏi hợp lệ, 1 dòng có lỗi:",
        "Dòng 3: đáp án «G» không có: câu này có 4 phương án (A–D).",
        "Đã lưu bản nháp số 1 «bo» (2 câu).",
    ]
    listed = runner.invoke(app, ["quiz", "banks", "--unit", "Chi bộ 1"])
    assert said(listed.output) == ["1  [bản nháp]  bo — 2 câu — Chi bộ 1"]
    published = runner.invoke(app, ["quiz", "publish", "1"])
    assert published.exit_code == 0, published.output
    assert said(published.output) == ["Đã công bố «bo» (2 câu) cho Chi bộ 1."]
    again = runner.invoke(app, ["quiz", "publish", "1"])
    assert again.exit_code == 1
    assert "không còn là bản nháp (đã công bố)" in again.output


def test_import_with_a_title_and_publish_at_once(env: None, tmp_path: Path) -> None:
    path = bank(tmp_path / "b.xlsx", [["Câu một?", "a", "b", "", "", "A", "", ""]])
    args = ["quiz", "import", str(path), "--unit", "Chi bộ 1", "--title", "Tháng 5", "--publish"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Đã công bố «Tháng 5» (1 câu) cho Chi bộ 1." in result.output
    assert "[đã công bố]  Tháng 5" in runner.invoke(app, ["quiz", "banks"]).output


def test_a_rejected_file_or_no_good_row_exits_1_and_stores_nothing(
    env: None, tmp_path: Path
) -> None:
    pdf = tmp_path / "bo.xlsx"
    pdf.write_bytes(b"%PDF-1.5\n")
    result = runner.invoke(app, ["quiz", "import", str(pdf), "--unit", "Chi bộ 1"])
    assert result.exit_code == 1
    assert "Không nhập được «bo.xlsx»: «bo.xlsx» là tệp PDF được đổi tên" in result.output
    bad = bank(tmp_path / "x.xlsx", [["Câu?", "a", "b", "", "", "E", "", ""]])
    result = runner.invoke(app, ["quiz", "import", str(bad), "--unit", "Chi bộ 1"])
    assert result.exit_code == 1
    assert "Dòng 2: đáp án «E» không có" in result.output
    assert said(runner.invoke(app, ["quiz", "banks"]).output) == [
        "Chưa có bộ câu hỏi nào được nhập."
    ]


def test_an_unknown_unit_is_named(env: None, tmp_path: Path) -> None:
    path = bank(tmp_path / "b.xlsx", [["Câu một?", "a", "b", "", "", "A", "", ""]])
    result = runner.invoke(app, ["quiz", "import", str(path), "--unit", "Chi bộ 9"])
    assert result.exit_code == 1
    assert "Không tìm thấy đúng một đơn vị «Chi bộ 9»" in result.output
