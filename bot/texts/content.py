"""Messages of the content import (command line now, a secretary's upload later)."""

from __future__ import annotations

ROW = "dòng"
TABLE_ROW = "dòng trong bảng"


def unsupported_format(suffix: str) -> str:
    return f"Định dạng {suffix or '(không có)'} không được hỗ trợ: dùng .xlsx, .docx hoặc .md."


def no_data() -> str:
    return "Tệp không có dữ liệu."


def missing_columns(missing: list[str], required: tuple[str, ...]) -> str:
    return f"Thiếu cột: {', '.join(missing)} (các cột cần có: {', '.join(required)})."


def unreadable(kind: str, error: str) -> str:
    return f"Không đọc được tệp {kind}: {error}"


def word_needs_table() -> str:
    return "Tệp Word cần một bảng, dòng đầu là tên các cột."


def markdown_needs_front_matter() -> str:
    return (
        "Tệp Markdown cần phần đầu --- … --- với id, theme, order, title, work, citation, "
        "rồi các mục ## Đoạn trích, ## Ghi chú, ## Câu hỏi liên hệ."
    )


def row_missing(row: str, fields: list[str]) -> str:
    return f"{row}: thiếu {', '.join(fields)}"


def file_exists(row: str, relative: str) -> str:
    return f"{row}: tệp {relative} đã có"


def preview(count: int) -> str:
    return f"Sẽ thêm {count} bài học:"


def preview_line(lesson_id: str, title: str, work: str) -> str:
    return f"  • {lesson_id} — {title} ({work})"


def problems(count: int) -> str:
    return f"{count} lỗi; chưa có gì được thêm."


def confirm() -> str:
    return "Thêm các bài này vào content/?"


def done(count: int) -> str:
    return f"Đã thêm {count} bài học. Khởi động lại bot để phục vụ nội dung mới."


def cancelled() -> str:
    return "Đã hủy; không có gì thay đổi."
