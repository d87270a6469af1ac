"""A member's own settings: lesson time, quiet hours, pause, time zone."""

from __future__ import annotations

from datetime import datetime, time

MENU_SETTINGS = "⚙️ Cài đặt nhắc nhở"
LESSON_TIME = "🕘 Đổi giờ nhận bài"
QUIET = "🌙 Giờ yên lặng"
PAUSE = "⏸ Tạm dừng 7 ngày"
RESUME = "▶️ Nhận lại nhắc nhở"
ZONE = "🌏 Múi giờ"
ZONE_HOME = "Giờ Việt Nam (UTC+7)"
BACK = "⬅️ Quay lại cài đặt"


def overview(
    lesson_time: time | None,
    quiet: tuple[time, time],
    paused_until: datetime | None,
    zone_label: str,
) -> str:
    lesson = f"{lesson_time:%H:%M}" if lesson_time else "chưa chọn"
    lines = [
        "<b>Cài đặt nhắc nhở</b>",
        f"• Giờ nhận bài hằng ngày: <b>{lesson}</b>",
        f"• Giờ yên lặng: <b>{quiet[0]:%H:%M}–{quiet[1]:%H:%M}</b> (không gửi nhắc nhở)",
        f"• Múi giờ: <b>{zone_label}</b>",
    ]
    if paused_until is not None:
        lines.append(f"• Đang tạm dừng nhắc nhở đến <b>{paused_until:%H:%M ngày %d/%m/%Y}</b>")
    return "\n".join(lines)


def ask_lesson_time() -> str:
    return (
        "Đồng chí chọn giờ nhận bài mới, hoặc gõ giờ "
        "(ví dụ <code>19:30</code>, <code>7h15</code>)."
    )


def lesson_time_set(value: time) -> str:
    return f"Đã đổi: từ nay bài học được gửi lúc <b>{value:%H:%M}</b> mỗi ngày."


def time_in_quiet(start: time, end: time) -> str:
    return (
        f"Giờ này nằm trong giờ yên lặng ({start:%H:%M}–{end:%H:%M}), bot sẽ không gửi bài. "
        "Đồng chí chọn giờ khác, hoặc đổi giờ yên lặng trong «Cài đặt nhắc nhở»."
    )


def ask_quiet() -> str:
    return (
        "Trong giờ yên lặng bot không gửi bài học hay nhắc nhở (trừ khi đồng chí hỏi). "
        "Đồng chí chọn, hoặc gõ khoảng giờ, ví dụ <code>22:00-06:00</code>."
    )


def quiet_set(start: time, end: time) -> str:
    return f"Đã đặt giờ yên lặng: <b>{start:%H:%M}–{end:%H:%M}</b>."


def quiet_invalid() -> str:
    return (
        "Khoảng giờ chưa đúng. Đồng chí gõ giờ bắt đầu và giờ kết thúc khác nhau, ví dụ "
        "<code>22:00-06:00</code> hoặc <code>21h30 den 6h</code>."
    )


def quiet_hides_lesson(lesson_time: time) -> str:
    return (
        f"Khoảng này che mất giờ nhận bài ({lesson_time:%H:%M}). Đồng chí chọn khoảng khác, "
        "hoặc đổi giờ nhận bài trước."
    )


def quiet_label(start: time, end: time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def paused(until: datetime) -> str:
    return (
        f"Đã tạm dừng nhắc nhở đến <b>{until:%H:%M ngày %d/%m/%Y}</b>. Đồng chí vẫn có thể bấm "
        "«Học bài» bất cứ lúc nào."
    )


def resumed() -> str:
    return "Đã bật lại nhắc nhở. Bài học sẽ đến đúng giờ đồng chí đã chọn."


def ask_zone() -> str:
    return (
        "Bot dùng giờ Việt Nam. Nếu đồng chí đang ở nước khác, hãy gõ múi giờ, ví dụ "
        "<code>UTC+9</code> hoặc <code>Europe/Berlin</code>."
    )


def zone_set(label: str) -> str:
    return f"Đã đặt múi giờ: <b>{label}</b>. Giờ nhận bài và giờ yên lặng tính theo múi giờ này."


def zone_invalid() -> str:
    return (
        "Bot chưa nhận ra múi giờ này. Đồng chí gõ theo dạng <code>UTC+9</code>, "
        "<code>GMT-5</code> hoặc tên như <code>Asia/Tokyo</code>."
    )
