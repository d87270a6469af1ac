"""The daily lesson, progress and the list of lessons read."""

from __future__ import annotations

MENU_LESSON = "📖 Học bài"
READ = "✅ Đã đọc"
NEXT = "➡️ Đọc tiếp"
FULL_TEXT = "📜 Đọc toàn văn"
HISTORY = "📚 Bài đã học"
BACK_TO_LESSON = "↩️ Về bài học"
# In the full text, in place of a sentence whose copies disagree (or that a source abridged).
WITHHELD = "(câu này chưa được đối chiếu, không hiển thị)"


def lesson(
    title: str,
    passage: str,
    citation: str,
    note: str,
    question: str,
    position: int,
    total: int,
    theme: str = "",
) -> str:
    studied = f"\n\n<i>{theme}</i>" if theme else ""
    return (
        f"<b>📖 Bài {position}/{total}: {title}</b>\n\n"
        f"<i>«{passage}»</i>\n— {citation}\n\n"
        f"<b>Ghi chú.</b> {note}\n\n"
        f"<b>Liên hệ bản thân.</b> {question}{studied}"
    )


def theme_line(name: str, years: tuple[int, ...]) -> str:
    """Which theme the member is studying and its years, so a past term is not taken for now."""
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else (f"{years[0]}" if years else "")
    return f"Chuyên đề chi bộ đang học: {name}" + (f" ({span})." if span else ".")


def citation(lesson_citation: str, toan_tap: str) -> str:
    """The lesson's citation and, when the copies state one, the Toàn tập volume and page
    (marked as not yet checked against Toàn tập where that is so)."""
    return f"{lesson_citation}. {toan_tap}" if toan_tap else lesson_citation


def read_done(read: int, total: int, streak: int) -> str:
    days = (
        f"Chuỗi ngày học liên tục: {streak} ngày."
        if streak > 1
        else ("Hôm nay đồng chí đã học bài. Ngày mai tiếp tục nhé!")
    )
    return f"Đã ghi nhận. Đồng chí đã học {read}/{total} bài của chuyên đề.\n{days}"


def full_text(title: str, excerpt: str, cut_before: bool, cut_after: bool) -> str:
    before = "… " if cut_before else ""
    after = " …" if cut_after else ""
    return f"<b>📜 {title}</b> (đoạn trích trong toàn văn)\n\n{before}{excerpt}{after}"


def history(lines: list[str], read: int, total: int, streak: int) -> str:
    if not lines:
        return "Đồng chí chưa đánh dấu bài nào là đã đọc. Bấm «Học bài» để bắt đầu."
    head = f"<b>Bài đã học</b> ({read}/{total} bài; chuỗi {streak} ngày)"
    return head + "\n" + "\n".join(lines) + "\n\nBấm số thứ tự để đọc lại."


def history_line(no: int, title: str) -> str:
    return f"{no}. {title}"


def all_read(total: int) -> str:
    return f"Đồng chí đã học hết {total} bài của chuyên đề. Bot sẽ gửi lại từ đầu để ôn tập."


MENU_THEME = "📚 Chọn chuyên đề"


def choose_theme(unit_name: str, current: str) -> str:
    return (
        f"Chuyên đề {unit_name} đang học: <b>{current}</b>.\n"
        "Chọn chuyên đề cho năm nay (các chi bộ trực thuộc sẽ học theo):"
    )


def theme_chosen(unit_name: str, theme_name: str) -> str:
    return f"Đã chọn chuyên đề cho {unit_name}: <b>{theme_name}</b>."
