"""A secretary's announcement to the cell, and the report of its delivery."""

from __future__ import annotations

from datetime import datetime

MENU_ANNOUNCE = "📣 Gửi thông báo"
MENU_REPORT = "📊 Báo cáo gửi thông báo"
SEND = "✅ Gửi"
EDIT = "✏️ Soạn lại"
CANCEL = "Hủy"
BACK_TO_CELL = "⬅️ Quản lý chi bộ"
REFRESH = "🔄 Cập nhật báo cáo"


def ask_text(limit: int) -> str:
    return (
        "Đồng chí gõ nội dung thông báo gửi đến các đảng viên của chi bộ (tối đa "
        f"{limit:,} ký tự). Bot sẽ cho xem trước rồi mới gửi.".replace(",", ".")
    )


def too_long(length: int, limit: int) -> str:
    return (
        f"Thông báo dài {length:,} ký tự, quá giới hạn {limit:,} ký tự. Đồng chí rút gọn rồi gửi "
        "lại.".replace(",", ".")
    )


def empty() -> str:
    return (
        "Thông báo chưa có chữ nào (chỉ có dấu cách hoặc ký tự không hiện). Đồng chí gõ nội "
        "dung cần gửi."
    )


def bad_characters() -> str:
    return "Thông báo có ký tự điều khiển không hiển thị được. Đồng chí gõ lại nội dung."


def not_text() -> str:
    return "Thông báo chỉ gửi được chữ. Đồng chí gõ nội dung thông báo."


def preview(recipients: int, text: str) -> str:
    if recipients == 0:
        return (
            "Chi bộ chưa có đảng viên nào nhận được tin (chưa tham gia bot hoặc đã chặn bot), "
            "nên chưa thể gửi thông báo."
        )
    return f"<b>Xem trước</b> — gửi đến {recipients} đồng chí:\n\n{text}"


def message(cell_name: str, text: str, author: str) -> str:
    return f"📣 <b>Thông báo của {cell_name}</b>\n\n{text}\n\n— {author}"


def queued(recipients: int) -> str:
    return (
        f"Đã đưa thông báo vào hàng gửi cho {recipients} đồng chí. Ai đang trong giờ yên lặng "
        "sẽ nhận khi hết giờ yên lặng. Kết quả xem ở «Báo cáo gửi thông báo»."
    )


def draft_gone() -> str:
    return "Bản nháp thông báo không còn (có thể đã gửi rồi). Đồng chí soạn thông báo mới nếu cần."


def report_title(cell_name: str) -> str:
    return f"<b>Báo cáo gửi thông báo — {cell_name}</b>"


def report_empty() -> str:
    return "Chi bộ chưa gửi thông báo nào qua bot."


def report_line(
    sent_at: datetime,
    excerpt: str,
    delivered: int,
    recipients: int,
    waiting: int,
    blocked: int,
    failed: int,
) -> str:
    parts = [f"đã đến {delivered}/{recipients}"]
    if waiting:
        parts.append(f"{waiting} đang chờ gửi")
    if blocked:
        parts.append(f"{blocked} đã chặn bot")
    if failed:
        parts.append(f"{failed} không gửi được")
    return f"• {sent_at:%H:%M %d/%m}: «{excerpt}» — " + ", ".join(parts)
