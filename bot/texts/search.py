"""Search in the works."""

from __future__ import annotations

MENU_SEARCH = "🔎 Tìm trong tác phẩm"
SEARCH_AGAIN = "🔎 Tìm từ khác"


def ask_query() -> str:
    return (
        "Đồng chí gõ từ khóa cần tìm, có dấu hay không dấu đều được "
        "(ví dụ: <code>can kiem liem chinh</code>)."
    )


def too_short() -> str:
    return "Từ khóa quá ngắn. Đồng chí gõ ít nhất một từ có 2 chữ cái trở lên."


def no_results(query: str) -> str:
    return f"Không tìm thấy đoạn nào có «{query}». Đồng chí thử từ khóa khác ngắn hơn."


def results(query: str, lines: list[str]) -> str:
    return f"<b>Kết quả cho «{query}»</b>\n\n" + "\n\n".join(lines) + "\n\nBấm số để đọc cả đoạn."


def result_line(no: int, title: str, snippet: str) -> str:
    return f"{no}. <b>{title}</b>: {snippet}"


def passage(title: str, year: int, body: str) -> str:
    return f"<b>{title}</b> ({year})\n\n{body}\n\n— Hồ Chí Minh, {title}"
