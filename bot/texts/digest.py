"""The digests: the secretary's month, the weekly numbers, the committee's roll-up.

Functions take names already escaped for HTML; each line closes its own tags, so a long
digest can be split between lines (bot/screens/chunks.py).
"""

from __future__ import annotations

from datetime import date

MENU_CELL = "📊 Báo cáo chi bộ"
MENU_COMMITTEE = "📊 Báo cáo đảng bộ"
EXCEL = "📥 Tải Excel"
NUDGE = "🔔 Nhắc người chưa nộp"
CHART = "📈 Biểu đồ 6 tháng"
FULL = "📊 Xem báo cáo đầy đủ"
WEEKLY = "🗓 Bản tin tuần"
WEEKLY_ON = "✅ Bật bản tin tuần"
WEEKLY_OFF = "⏸ Tắt bản tin tuần"
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MEDALS = ("🥇", "🥈", "🥉")
CUT = "…"

# Excel: sheet names (at most 31 characters) and column headers
SHEET_CHECKINS, SHEET_STUDY, SHEET_QUIZ, SHEET_NIGHT, SHEET_DELIVERY = (
    "Tự soi",
    "Học tập",
    "Ôn tập",
    "Hội thi",
    "Liên lạc",
)
COL_NO, COL_NAME, COL_CELL = "STT", "Họ và tên", "Chi bộ"
COL_STATUS, COL_NOT_DONE, COL_FIX = "Tình trạng", "Mục chưa đạt", "Sẽ khắc phục"
COL_LESSONS, COL_STREAK = "Số bài đã đọc", "Chuỗi ngày đọc"
COL_ROUNDS, COL_ANSWERS, COL_CORRECT, COL_RATE = "Số lượt ôn", "Số câu", "Câu đúng", "Tỉ lệ đúng"
COL_RANK, COL_SCORE, COL_PLAYED = "Hạng", "Điểm", "Dự hội thi"
COL_DELIVERY = "Liên lạc"
COL_MEMBERS, COL_ASKED, COL_SUBMITTED, COL_LATE, COL_MISSING = (
    "Số đảng viên",
    "Phải nộp",
    "Đã nộp",
    "Nộp muộn",
    "Chưa nộp",
)
COL_SUBMIT_RATE, COL_READERS, COL_READ_RATE = "Tỉ lệ nộp", "Số người đọc", "Tỉ lệ đọc"
COL_PRACTISERS, COL_BLOCKED, COL_JOINING, COL_MONTH = (
    "Số người ôn",
    "Đã chặn bot",
    "Chưa tham gia",
    "Tháng",
)
YES, NO = "Có", "Không"

STATUS = {
    "on_time": "Đúng hạn",
    "late": "Nộp muộn",
    "waiting": "Chưa nộp (còn hạn)",
    "missing": "Chưa nộp (quá hạn)",
    "exempt": "Được miễn",
    "skipped": "Tháng nghỉ",
    "new": "Mới vào",
}
BLOCKED, JOINING, REACHABLE = "Đã chặn bot", "Chưa tham gia xong", "Nhận tin bình thường"


def _month(month: str) -> str:
    return f"{month[5:7]}/{month[:4]}"


def _day(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def title(cell: str, month: str, deadline: date, today: date) -> str:
    return (
        f"📊 <b>Báo cáo chi bộ: {cell}</b>\n"
        f"Tự soi tháng {_month(month)} · hạn nộp {_day(deadline)} · ngày {_day(today)}"
    )


def empty_cell() -> str:
    return "Chi bộ chưa có đảng viên nào tham gia. Hãy tạo mã mời trong «Quản lý chi bộ»."


def section_checkins() -> str:
    return "\n<b>📝 Tự soi, tự sửa</b>"


def skipped_month(month: str) -> str:
    return f"Tháng {_month(month)} chi bộ nghỉ tự soi."


def nobody_asked() -> str:
    return "Tháng này không có đồng chí nào phải nộp."


def submitted(done: int, asked: int, on_time: int, late: int) -> str:
    return f"Đã nộp: <b>{done}/{asked}</b> (đúng hạn {on_time}, nộp muộn {late})"


def no_checkins_yet() -> str:
    return "Chưa có đồng chí nào nộp bản tự soi tháng này."


def not_submitted(names: list[str], overdue: bool) -> str:
    label = "Quá hạn chưa nộp" if overdue else "Chưa nộp"
    return f"{label} ({len(names)}): {', '.join(names)}"


def two_months(names: list[str]) -> str:
    return f"⚠️ Hai tháng liền chưa nộp: {', '.join(names)}"


def exempt(names: list[str]) -> str:
    return f"Được miễn: {', '.join(names)}"


def not_done_title(count: int) -> str:
    return f"Mục tự đánh giá «chưa đạt» ({count}):"


def not_done_none() -> str:
    return "Không có mục nào tự đánh giá «chưa đạt»."


def not_done_item(name: str, position: int, item: str) -> str:
    return f"• {name}, việc {position}: {item}"


def will_fix(text: str) -> str:
    return f"   ↳ Sẽ khắc phục: <i>{text}</i>"


def will_fix_none() -> str:
    return "   ↳ Chưa ghi cách khắc phục."


def section_study(days: int) -> str:
    return f"\n<b>📖 Học tập</b> ({days} ngày qua)"


def readers(count: int, members: int, lessons: int) -> str:
    return f"Đã đọc bài: <b>{count}/{members}</b> đồng chí, tổng {lessons} bài"


def reader_line(name: str, lessons: int) -> str:
    return f"• {name}: {lessons} bài"


def streaks(parts: list[tuple[str, int]]) -> str:
    return "🔥 Đọc liền nhiều ngày: " + ", ".join(f"{n} ({d} ngày)" for n, d in parts)


def read_nothing(names: list[str]) -> str:
    return f"Chưa đọc bài nào: {', '.join(names)}"


def section_quiz(days: int) -> str:
    return f"\n<b>🧠 Ôn tập</b> ({days} ngày qua)"


def practice(people: int, members: int, answers: int, correct: int) -> str:
    if not people:
        return "Chưa có đồng chí nào tự ôn tập."
    return f"Tự ôn: {people}/{members} đồng chí, {answers} câu, đúng {_pct(correct, answers)}"


def night(title: str, day: date, players: int, members: int, members_total: int) -> str:
    name = f"«{title}» " if title else ""
    return (
        f"Hội thi gần nhất {name}({_day(day)}): {players} người dự thi, "
        f"{members}/{members_total} đảng viên tham gia"
    )


def podium(places: list[tuple[str, int]]) -> str:
    return " · ".join(f"{MEDALS[i]} {name} {score}" for i, (name, score) in enumerate(places))


def no_night() -> str:
    return "Chưa có hội thi nào."


def section_delivery() -> str:
    return "\n<b>📬 Liên lạc</b>"


def blocked(names: list[str], since: date, new: int) -> str:
    fresh = f" (mới {new} từ {_day(since)})" if new else ""
    return f"Đã chặn bot, không nhận được tin{fresh}: {', '.join(names)}"


def joining(names: list[str]) -> str:
    return f"Chưa tham gia xong: {', '.join(names)}"


def invites(names: list[str], unnamed: int) -> str:
    parts = list(names) + ([f"{unnamed} mã mời chưa ghi tên"] if unnamed else [])
    return f"Mã mời còn hạn, chưa dùng: {', '.join(parts)}"


def everyone_reachable() -> str:
    return "Mọi đồng chí đều nhận được tin của bot."


def chart_caption(cell: str) -> str:
    return f"📈 {cell}: tỉ lệ nộp tự soi và tỉ lệ đọc bài, 6 tháng gần đây"


CHART_CHECKINS = "Nộp tự soi, tự sửa"
CHART_READING = "Đã đọc bài"
CHART_AXIS = "Tỉ lệ (%)"


def chart_title(cell: str) -> str:
    return f"{cell} — 6 tháng gần đây"


def month_label(month: str) -> str:
    return f"T{int(month[5:7])}/{month[2:4]}"


def excel_title(unit: str, month: str, today: date) -> str:
    return f"{unit} — tháng {_month(month)} (lập ngày {_day(today)})"


def excel_name(month: str) -> str:
    return f"bao-cao-{month}.xlsx"


def excel_sent(unit: str) -> str:
    return f"📥 Báo cáo {unit} (Excel), sẵn sàng để in cho buổi sinh hoạt."


def overdue_nudge(deadline: date) -> str:
    return (
        f"🔔 Bản tự soi, tự sửa tháng này đã quá hạn ({deadline:%d/%m}). "
        "Đồng chí vẫn có thể nộp (ghi là nộp muộn) trước buổi sinh hoạt chi bộ."
    )


def nudges_sent(count: int) -> str:
    return f"Đã gửi lời nhắc tới {count} đồng chí."


def nudges_none() -> str:
    return "Không còn ai cần nhắc (đã nộp, đã được nhắc, hoặc không nhận được tin)."


def weekly(cell: str, month: str, done: int, asked: int) -> str:
    state = f"đã nộp {done}/{asked}" if asked else "chưa có đồng chí nào phải nộp"
    return f"📊 <b>Bản tin tuần: {cell}</b>\n📝 Tự soi tháng {_month(month)}: {state}"


def weekly_study(readers: int, members: int, lessons: int) -> str:
    return f"📖 7 ngày qua: {readers}/{members} đồng chí đọc bài, {lessons} bài"


def weekly_quiz(people: int, members: int, answers: int) -> str:
    return f"🧠 7 ngày qua: {people}/{members} đồng chí ôn tập, {answers} câu"


def weekly_settings(on: bool, weekday: int) -> str:
    state = f"đang bật, gửi sáng {WEEKDAYS[weekday]}" if on else "đang tắt"
    return (
        f"🗓 <b>Bản tin tuần</b>: {state}.\n"
        "Ba dòng số liệu về tự soi, học tập và ôn tập của chi bộ. "
        "Báo cáo tháng vẫn gửi hai ngày trước buổi sinh hoạt."
    )


def weekday_label(weekday: int, chosen: bool) -> str:
    return ("● " if chosen else "") + WEEKDAYS[weekday]


def committee_title(unit: str, cells: int, members: int, today: date) -> str:
    return (
        f"📊 <b>Báo cáo đảng bộ: {unit}</b>\n"
        f"{cells} chi bộ · {members} đảng viên · ngày {_day(today)}"
    )


def committee_no_cells() -> str:
    return "Đảng bộ chưa có chi bộ nào trực thuộc."


def committee_totals(submitted: int, asked: int, late: int, missing: int, not_done: int) -> str:
    return (
        f"📝 Tự soi: đã nộp <b>{submitted}/{asked}</b> ({_pct(submitted, asked)}), "
        f"nộp muộn {late}, chưa nộp {missing}; mục chưa đạt: {not_done}"
    )


def committee_study(readers: int, members: int, lessons: int) -> str:
    share = _pct(readers, members)
    return f"📖 Học tập (30 ngày): {readers}/{members} đồng chí đọc ({share}), {lessons} bài"


def committee_quiz(people: int, answers: int, correct: int) -> str:
    return f"🧠 Ôn tập (30 ngày): {people} đồng chí, {answers} câu, đúng {_pct(correct, answers)}"


def committee_delivery(blocked: int, joining: int) -> str:
    return f"📬 Đã chặn bot: {blocked}; chưa tham gia: {joining}"


def attention_title() -> str:
    return "\n<b>Cần quan tâm trước</b> (tỉ lệ nộp tự soi thấp nhất):"


def attention_line(
    no: int, cell: str, submitted: int, asked: int, readers: int, members: int
) -> str:
    if not members:
        return f"{no}. {cell}: chưa có đảng viên"
    return (
        f"{no}. {cell}: nộp {submitted}/{asked} ({_pct(submitted, asked)}), "
        f"đọc bài {_pct(readers, members)}"
    )


def attention_more(count: int) -> str:
    return f"… và {count} chi bộ khác: xem đủ trong tệp Excel."
