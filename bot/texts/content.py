"""Messages of the content import (command line now, a secretary's upload later)."""

from __future__ import annotations

ROW = "dòng"
TABLE_ROW = "dòng trong bảng"
WORK_TABLE = "bảng thông tin"
THEMES = "Chuyên đề:"
WORKS = "Tác phẩm:"
LESSONS = "Bài học:"
EMPTY_FILE = "tệp trống (0 byte)"
PDF_FILE = "đây là một tệp PDF được đổi tên"
OLD_OFFICE_FILE = {
    "Word": "đây là tệp Word 97–2003 (.doc)",
    "Excel": "đây là tệp Excel 97–2003 (.xls)",
}
_SUFFIX = {"Word": ".docx", "Excel": ".xlsx"}


def no_file(path: str) -> str:
    return f"Không tìm thấy tệp {path}."


def unsupported_format(suffix: str) -> str:
    return f"Định dạng {suffix or '(không có)'} không được hỗ trợ: dùng .xlsx, .docx hoặc .md."


def no_data() -> str:
    return "Tệp không có dữ liệu."


def missing_columns(
    missing: list[str], required: tuple[str, ...], sheet: str | None = None
) -> str:
    where = f"Trang «{sheet}»: " if sheet else ""
    return f"{where}Thiếu cột: {', '.join(missing)} (các cột cần có: {', '.join(required)})."


def nothing_to_add() -> str:
    return "Tệp không có dòng nào để thêm (chỉ có dòng tên cột)."


def unreadable(kind: str, error: str) -> str:
    return f"Không đọc được tệp {kind}: {error}"


def not_office_file(kind: str, name: str, what: str) -> str:
    suffix = _SUFFIX[kind]
    why = f": {what}" if what else ""
    return (
        f"Không đọc được tệp {kind}: «{name}» không phải tệp {kind} ({suffix}){why}. "
        f"Hãy mở nó bằng {kind} rồi «Lưu thành» (Save As) tệp {suffix}."
    )


def word_empty(name: str) -> str:
    return (
        f"Tệp Word «{name}» trống: không có bảng, không có chữ. Dùng mẫu "
        "docs/templates/tac-pham.docx (một tác phẩm) hoặc một bảng bài học."
    )


def word_needs_table() -> str:
    return (
        "Tệp Word cần một bảng: bảng thông tin tác phẩm (hai cột: mục | nội dung) rồi văn bản "
        "tác phẩm, hoặc bảng bài học có dòng đầu là tên các cột."
    )


def no_sheet(titles: list[str]) -> str:
    names = ", ".join(f"«{x}»" for x in titles) or "(không có)"
    return (
        f"Không nhận ra trang tính nào trong tệp Excel (các trang: {names}). Đặt tên trang "
        "«Chuyên đề» cho chuyên đề và «Bài học» cho bài học, dòng đầu là tên các cột, như "
        "mẫu docs/templates/chuyen-de.xlsx."
    )


def sheet_row(sheet: str) -> str:
    return f"trang «{sheet}», dòng"


def markdown_needs_front_matter() -> str:
    return (
        "Tệp Markdown cần phần đầu --- … --- với id, theme, order, title, work, citation, "
        "rồi các mục ## Đoạn trích, ## Ghi chú, ## Câu hỏi liên hệ (bài học); hoặc phần đầu "
        "của một tác phẩm (id, title, year, …) và văn bản bên dưới; hoặc phần đầu của một "
        "chuyên đề (id, kind, years, …)."
    )


def markdown_bad_yaml(name: str, line: int) -> str:
    return f"{name}, dòng {line}: phần đầu --- … --- không đúng cú pháp YAML."


def not_utf8(name: str, byte: int) -> str:
    return f"«{name}» không phải văn bản UTF-8 (byte {byte}); hãy lưu lại dưới dạng UTF-8."


def theme_markdown_body(name: str) -> str:
    return f"{name}: một chuyên đề chỉ gồm phần đầu --- … ---; ghi chú viết vào khóa notes."


def file_line(label: str, line: int) -> str:
    return f"{label}, dòng {line}"


def row_missing(row: str, fields: list[str]) -> str:
    return f"{row}: thiếu {', '.join(fields)}"


def bad_id(row: str, value: str) -> str:
    return (
        f"{row}: mã «{value}» không dùng được; mã chỉ gồm chữ thường không dấu, chữ số và dấu "
        "gạch ngang (ví dụ thanh-hoa-2026)"
    )


def bad_order(row: str, value: str) -> str:
    return f"{row}: thứ tự (order) phải là một số từ 1 trở lên, không phải «{value}»"


def file_exists(row: str, relative: str) -> str:
    return f"{row}: tệp {relative} đã có"


def example_left(row: str) -> str:
    return (
        f"{row}: vẫn là dòng ví dụ của mẫu («[Ví dụ]»); xóa dòng này hoặc thay bằng nội dung thật"
    )


def theme_without_name(row: str) -> str:
    return (
        f"{row}: thiếu Tên chuyên đề (name). Chép đúng tên trong văn bản chính thức của cấp ủy; "
        "tên chuyên đề không bao giờ được tự đặt"
    )


def bad_kind(row: str, value: str) -> str:
    return f"{row}: Loại (kind) «{value}» không rõ; ghi «năm» (annual) hoặc «nhiệm kỳ» (term)"


def bad_years(row: str, value: str) -> str:
    return f"{row}: Năm (years) «{value}» không đọc được; ghi «2025» hoặc «2021-2025»"


def theme_exists(row: str, theme_id: str, relative: str) -> str:
    return f"{row}: đã có chuyên đề mã «{theme_id}» ({relative}); không ghi đè. Đặt mã khác."


def work_row(number: int) -> str:
    return f"{WORK_TABLE}, dòng {number}"


def unknown_work_field(row: str, label: str, labels: dict[str, str]) -> str:
    return f"{row}: không rõ mục «{label}» (các mục: {', '.join(labels.values())})"


def work_field_twice(row: str, label: str, first: str) -> str:
    return f"{row}: mục «{label}» ghi hai lần (đã có ở {first})"


def work_missing(row: str, label: str) -> str:
    return f"{row}: thiếu {label}"


def work_without_source(row: str) -> str:
    return (
        f"{row}: thiếu Nguồn (source): ghi văn bản được chép từ đâu, ví dụ «Hồ Chí Minh Toàn "
        "tập, NXB Chính trị quốc gia Sự thật, 2011, tập 15, tr. 611–627»"
    )


def bad_year(row: str, value: str) -> str:
    return f"{row}: Năm (year) phải là một số, ví dụ 1949, không phải «{value}»"


def year_out_of_range(row: str, year: int, first: int, last: int) -> str:
    return f"{row}: Năm (year) phải trong khoảng {first}–{last}, không phải {year}"


def work_without_text() -> str:
    return (
        "Không có văn bản tác phẩm sau bảng thông tin: dán toàn văn vào sau bảng, mỗi đoạn "
        "của tác phẩm là một đoạn văn."
    )


def work_second_table() -> str:
    return (
        "Sau bảng thông tin còn một bảng khác: văn bản tác phẩm chỉ gồm các đoạn văn. Xóa bảng "
        "ấy, hoặc chép nội dung của nó thành đoạn văn."
    )


def example_paragraph(number: int) -> str:
    return (
        f"văn bản sau bảng, đoạn {number}: vẫn là đoạn ví dụ của mẫu («[Ví dụ]»); xóa các đoạn "
        "ví dụ rồi dán văn bản tác phẩm"
    )


def work_exists(row: str, work_id: str, relative: str) -> str:
    return (
        f"{row}: đã có tác phẩm mã «{work_id}» ({relative}); không ghi đè. Đặt mã khác, hoặc "
        "sửa trực tiếp tệp ấy."
    )


def work_note(file: str) -> str:
    return f"Nhập bằng lệnh hocbac content import từ tệp «{file}»."


def _counted(themes: int, works: int, lessons: int) -> str:
    parts = [
        f"{count} {name}"
        for count, name in ((themes, "chuyên đề"), (works, "tác phẩm"), (lessons, "bài học"))
        if count
    ]
    return ", ".join(parts) or "không có gì"


def preview(themes: int, works: int, lessons: int) -> str:
    return f"Sẽ thêm {_counted(themes, works, lessons)}:"


def theme_line(theme_id: str, name: str, owner_years: str) -> str:
    return f"  • {theme_id} — «{name}» ({owner_years})"


def work_line(work_id: str, title: str, year: str, paragraphs: int) -> str:
    return f"  • {work_id} — {title} ({year}), {paragraphs} đoạn"


def work_source(source: str, citation: str) -> str:
    cited = f"; trích dẫn: {citation}" if citation else ""
    return f"    nguồn: {source or '(không ghi)'}{cited}"


def template_gap_left(row: str, label: str, optional: bool) -> str:
    empty = " (hoặc để trống ô này)" if optional else ""
    return f"{row}: {label} còn dấu «…» của mẫu; ghi tập, trang cụ thể{empty}"


def preview_line(lesson_id: str, title: str, work: str) -> str:
    return f"  • {lesson_id} — {title} ({work})"


def problems(count: int) -> str:
    return f"{count} lỗi; chưa có gì được thêm."


def confirm() -> str:
    return "Thêm những mục này vào content/?"


def done(themes: int, works: int, lessons: int) -> str:
    return (
        f"Đã thêm {_counted(themes, works, lessons)}. Khởi động lại bot để phục vụ nội dung mới."
    )


def cancelled() -> str:
    return "Đã hủy; không có gì thay đổi."
