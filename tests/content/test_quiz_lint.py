"""The quiz linter: each tell it finds, on a made-up bank, an imported file and what ships."""

from __future__ import annotations

from bot.quiz_lint import Item, lint
from bot.quizbank import load_banks
from bot.services.quiz_import import parse_bank
from bot.texts import quiz as t


def kinds(items: list[Item]) -> list[tuple[str, tuple[str, ...]]]:
    return [(f.kind, f.ids) for f in lint("thu", items)]


def test_the_shipped_banks_have_no_finding() -> None:
    assert load_banks().lint() == []


def test_a_stem_that_gives_another_answer_away_is_a_leak() -> None:
    items = [
        Item("a", "Chỉ thị 05-CT/TW ra ngày nào?", ("15/5/2016", "18/5/2021", "3/2/2016"), 1),
        Item("b", "Chỉ thị ngày 15/5/2016 là của khóa nào?", ("Khóa X", "Khóa XI", "Khóa XII"), 3),
    ]
    assert kinds(items) == [("leak", ("a", "b"))]
    assert "15/5/2016" in lint("thu", items)[0].words


def test_a_stem_holding_its_own_answer_and_an_odd_answer() -> None:
    items = [
        Item("a", "Bác dặn giữ gìn đoàn kết như gì?", ("Giữ gìn đoàn kết", "Ăn ở", "Đi lại"), 1),
        Item(
            "b",
            "Những ai phải đứng lên kháng chiến?",
            ("Riêng thanh niên", "Mọi người Việt Nam", "Riêng bộ đội", "Riêng cán bộ"),
            2,
        ),
    ]
    assert ("stem-has-key", ("a",)) in kinds(items)
    assert ("odd-key", ("b",)) in kinds(items)


def test_longest_answers_near_duplicates_and_unequal_options() -> None:
    long_answer = ("Ngắn", "Ngắn nữa", "Một phương án đúng dài hơn hẳn mọi phương án khác")
    items = [
        Item("a", "Câu hỏi thứ nhất về tác phẩm Di chúc của Bác?", long_answer, 3),
        Item("b", "Câu hỏi thứ nhất về tác phẩm Di chúc của Bác nhé?", ("Có", "Không"), 2),
        *(Item(f"{n}", f"Năm {n} là năm nào?", ("Một", "Hai", "Ba"), 1) for n in range(3)),
    ]
    found = kinds(items)
    assert ("longest-bias", ("a", "b")) in found
    assert ("duplicate", ("a", "b")) in found
    assert ("unequal-length", ("a",)) in found


def test_an_imported_bank_reports_the_findings_by_row() -> None:
    rows = [
        "Câu hỏi,Phương án A,Phương án B,Phương án C,Đáp án",
        "Chỉ thị 05-CT/TW ra ngày nào?,15/5/2016,18/5/2021,3/2/2016,A",
        "Chỉ thị ngày 15/5/2016 là của khóa nào?,Khóa X,Khóa XI,Khóa XII,C",
    ]
    parsed = parse_bank("\n".join(rows).encode(), "bo-cau-hoi.csv")
    assert len(parsed.questions) == 2
    [finding] = parsed.findings
    assert (finding.kind, finding.ids) == ("leak", ("2", "3"))
    said = t.lint(finding.kind, finding.ids, finding.words, finding.share)
    assert said == "Dòng 3: câu hỏi để lộ đáp án của dòng 2 («15/5/2016»)."
