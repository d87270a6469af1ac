"""Reminder rules of a cell or committee, as a secretary or committee admin sets them."""

from __future__ import annotations

from datetime import date, time

MENU = "🔔 Nhắc nhở của chi bộ"
MENU_COMMITTEE = "🔔 Nhắc nhở của đảng bộ"
BACK = "⬅️ Quay lại nhắc nhở"
WHO = "👀 Ai đã được nhắc tháng này"

NAMES = {
    "checkin_open": "Mở đợt tự soi, tự sửa",
    "checkin_nudge": "Nhắc người chưa nộp",
    "checkin_deadline": "Nhắc ngày hạn chót",
    "meeting_day": "Nhắc ngày sinh hoạt chi bộ",
    "quiz_night": "Báo hội thi trong nhóm",
}
WHEN = {
    "checkin_open": "ngày mở đợt",
    "checkin_nudge": "trước hạn {days} ngày",
    "checkin_deadline": "ngày hạn chót",
    "meeting_day": "sáng ngày sinh hoạt",
    "quiz_night": "khi hội thi mở trong nhóm chi bộ",
}


def overview(unit_name: str, lines: list[str]) -> str:
    return (
        f"<b>Nhắc nhở — {unit_name}</b>\n"
        + "\n".join(lines)
        + "\n\nNhắc nộp chỉ gửi cho người chưa nộp, không gửi vào ngày lễ, Tết. Không lời nhắc "
        "nào đến trong giờ yên lặng của từng người hay đến đồng chí được miễn sinh hoạt."
    )


def rule_line(kind: str, enabled: bool, at: time, days: int, inherited_from: str | None) -> str:
    state = "✅" if enabled else "⏸ (đã tắt)"
    when = WHEN[kind].format(days=days)
    origin = f" — theo cài đặt của {inherited_from}" if inherited_from else ""
    if kind == "quiz_night":  # sent as it happens: no time of day
        return f"{state} {NAMES[kind]}: {when}{origin}"
    return f"{state} {NAMES[kind]}: {at:%H:%M}, {when}{origin}"


def toggle_label(kind: str, enabled: bool) -> str:
    return f"{'Tắt' if enabled else 'Bật'}: {NAMES[kind]}"


def time_label(kind: str) -> str:
    return f"🕘 Giờ: {NAMES[kind]}"


def days_label(days: int) -> str:
    return f"Nhắc trước {days} ngày"


def ask_time(kind: str) -> str:
    return (
        f"Giờ gửi «{NAMES[kind]}»: chọn bên dưới, hoặc gõ giờ (ví dụ <code>7h30</code>, "
        "<code>19:00</code>)."
    )


def time_invalid() -> str:
    return (
        "Giờ chưa đúng (từ 00:00 đến 23:59). Đồng chí gõ theo dạng <code>19:30</code> hoặc "
        "<code>7h15</code>."
    )


def changed(kind: str) -> str:
    return f"Đã lưu: {NAMES[kind]}."


def nudged_title(month: str) -> str:
    return f"<b>Đã nhắc trong đợt tự soi, tự sửa tháng {month[5:]}/{month[:4]}</b>"


def nudged_line(name: str, kinds: list[str]) -> str:
    return f"• {name}: " + ", ".join(NAMES[k].lower() for k in kinds)


def nudged_none() -> str:
    return "Chưa có lời nhắc nào được gửi trong đợt này."


def nudge(deadline: date, days_left: int) -> str:
    return (
        f"🔔 Còn {days_left} ngày nữa là hạn nộp bản tự soi, tự sửa tháng này "
        f"({deadline:%d/%m}). Đồng chí dành ít phút hoàn thành nhé."
    )


def deadline_today(deadline: date) -> str:
    return (
        f"🔔 Hôm nay ({deadline:%d/%m}) là hạn chót nộp bản tự soi, tự sửa. Đồng chí chưa nộp; "
        "bấm nút bên dưới để làm ngay (nộp muộn vẫn được nhận, nhưng được ghi là muộn)."
    )


def meeting_today(cell_name: str, theme: str | None) -> str:
    # Not «Chuyên đề năm»: the cell may follow the whole-term theme, or one of past years.
    line = f"\nChuyên đề chi bộ đang học: <b>{theme}</b>." if theme else ""
    return f"🗓 Hôm nay {cell_name} sinh hoạt định kỳ. Đồng chí nhớ tham dự.{line}"


# What piled up during quiet hours, sent as one message: a title and a line an item.
def pile_title(count: int) -> str:
    return f"🔔 Đồng chí có {count} việc cần lưu ý:"


def pile(title: str, lines: list[str]) -> str:
    return title + "\n" + "\n".join(f"• {line}" for line in lines)


def lesson_line(title: str) -> str:
    return f"Bài học hôm nay: <b>{title}</b>."


def open_line(deadline: date) -> str:
    return f"Đã mở đợt tự soi, tự sửa tháng này; hạn nộp {deadline:%d/%m}."


def nudge_line(deadline: date, days_left: int) -> str:
    return f"Còn {days_left} ngày nữa là hạn nộp bản tự soi, tự sửa ({deadline:%d/%m})."


def deadline_line(deadline: date) -> str:
    return f"Hôm nay ({deadline:%d/%m}) là hạn cuối nộp bản tự soi, tự sửa."


def overdue_line(deadline: date) -> str:
    return f"Đã quá hạn nộp bản tự soi, tự sửa ({deadline:%d/%m}); đồng chí vẫn nộp được."


def meeting_line(cell_name: str) -> str:
    return f"Hôm nay {cell_name} sinh hoạt định kỳ."


def pledge_submitted_line(name: str, year: int) -> str:
    return f"Đồng chí {name} đã gửi bản cam kết năm {year}, chờ duyệt."


def pledge_decided_line(year: int, approved: bool) -> str:
    if approved:
        return f"Bản cam kết năm {year} của đồng chí đã được duyệt."
    return f"Bản cam kết năm {year} của đồng chí được trả lại để sửa."


def comment_line(month: str) -> str:
    return f"Bí thư đã góp ý bản tự soi, tự sửa tháng {month[5:]}/{month[:4]}."
