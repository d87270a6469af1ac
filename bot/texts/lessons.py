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


def _span(years: tuple[int, ...]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else (f"{years[0]}" if years else "")


def theme_line(name: str, years: tuple[int, ...], chosen: bool, borrowed: bool) -> str:
    """Which theme the member studies and its years, so a past term is not taken for now."""
    span = f" ({_span(years)})" if years else ""
    if not chosen:
        return (
            f"Chi bộ chưa chọn chuyên đề; bài học tạm theo chuyên đề toàn khóa: {name}{span}. "
            "Cấp ủy chọn chuyên đề ở mục «Chọn chuyên đề»."
        )
    if borrowed:
        return (
            f"Chuyên đề chi bộ đang học: {name}{span}. Chuyên đề này chưa có bài học trong bot, "
            "nên bài trên lấy từ chuyên đề toàn khóa."
        )
    return f"Chuyên đề chi bộ đang học: {name}{span}."


def theme_button(current: bool, name: str, years: tuple[int, ...], has_lessons: bool) -> str:
    mark = "✅ " if current else ""
    lessons = "" if has_lessons else ", chưa có bài"
    return f"{mark}{_span(years)}{lessons}: {name}"[:64]


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


def choose_theme(unit_name: str, current: str, chosen: bool) -> str:
    now = (
        f"Chuyên đề {unit_name} đang học: <b>{current}</b>."
        if chosen
        else f"{unit_name} chưa chọn chuyên đề; bài học đang tạm theo chuyên đề toàn khóa "
        f"<b>{current}</b>. Bấm vào chuyên đề ấy để xác nhận, hoặc chọn chuyên đề khác."
    )
    return (
        f"{now}\nChọn chuyên đề cho năm nay (các chi bộ trực thuộc sẽ học theo). Chuyên đề "
        "«chưa có bài»: chi bộ vẫn đọc bài của chuyên đề toàn khóa cho đến khi có bài."
    )


def theme_chosen(unit_name: str, theme_name: str) -> str:
    return f"Đã chọn chuyên đề cho {unit_name}: <b>{theme_name}</b>."
