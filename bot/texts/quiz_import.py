"""Question banks from Excel/CSV: file and row problems, the import report, publishing.

Problem texts are plain (the command line prints them); screens escape them for HTML.
"""

from __future__ import annotations

MENU_IMPORT = "📥 Nhập bộ câu hỏi"
PUBLISH = "✅ Công bố bộ câu hỏi"
DISCARD = "🗑 Hủy bản nháp"
TEMPLATE_XLSX = "📄 Tệp mẫu Excel"
TEMPLATE_CSV = "📄 Tệp mẫu CSV"
COL_QUESTION = "Câu hỏi"
COL_CORRECT = "Đáp án"
COL_OPTIONS = "Phương án A, Phương án B (ít nhất hai phương án)"
STATUS = {"draft": "bản nháp", "published": "đã công bố", "archived": "đã lưu trữ"}
SHOWN_PROBLEMS = 20  # a longer list is cut, with "và N lỗi khác"


def _n(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # 1.000, as Vietnamese writes it


# The whole file.


def empty_file() -> str:
    return "Tệp trống (0 byte)."


def too_large(size: int, limit: int) -> str:
    mb = limit // (1024 * 1024)
    return (
        f"Tệp quá lớn ({_n(size // 1024)} KB); tối đa {mb} MB. Hãy chia thành nhiều tệp nhỏ hơn."
    )


def encrypted() -> str:
    return (
        "Tệp Excel đang được đặt mật khẩu nên bot không đọc được. Hãy mở tệp, bỏ mật khẩu "
        "(Tệp → Thông tin → Bảo vệ sổ làm việc) rồi gửi lại."
    )


def old_excel() -> str:
    return "Đây là tệp Excel 97–2003 (.xls). Hãy mở bằng Excel rồi «Lưu thành» tệp .xlsx."


def pdf(name: str) -> str:
    return f"«{name}» là tệp PDF được đổi tên, không phải bảng tính. Hãy gửi tệp .xlsx hoặc .csv."


def not_a_table(name: str) -> str:
    return f"«{name}» không phải tệp Excel (.xlsx) hay CSV. Hãy dùng tệp mẫu của bot."


def not_excel() -> str:
    return "Tệp là một gói nén nhưng không phải bảng tính Excel (.xlsx)."


def unreadable_excel() -> str:
    return "Không đọc được tệp Excel: tệp có thể bị hỏng. Hãy mở bằng Excel, lưu lại rồi gửi lại."


def unreadable_csv(line: int) -> str:
    return f"Không đọc được tệp CSV ở dòng {line}. Hãy kiểm tra dấu ngoặc kép trong dòng đó."


def not_utf8(line: int) -> str:
    return (
        f"Tệp CSV không ở bảng mã UTF-8 (lỗi từ dòng {line}), nên tiếng Việt sẽ bị sai. Trong "
        "Excel, chọn «Lưu thành» → «CSV UTF-8 (Comma delimited)», hoặc gửi tệp .xlsx."
    )


def no_header() -> str:
    return (
        "Không tìm thấy dòng tên cột. Dòng đầu của bảng cần có các cột: Câu hỏi, Phương án A, "
        "Phương án B, …, Đáp án, Giải thích, Nguồn (như tệp mẫu)."
    )


def too_many_rows(limit: int) -> str:
    return (
        f"Tệp có hơn {_n(limit)} câu hỏi; mỗi bộ tối đa {_n(limit)} câu. Hãy chia thành "
        "nhiều tệp nhỏ hơn."
    )


def missing_columns(missing: list[str]) -> str:
    return f"Thiếu cột: {'; '.join(missing)}. Hãy đặt tên cột như tệp mẫu."


def option_column_gap(missing: str, after: str) -> str:
    return f"Có cột Phương án {after} nhưng thiếu cột Phương án {missing}."


# One row.


def merged(ref: str, first: int, last: int) -> str:
    rows = f"dòng {first}–{last}" if last > first else f"dòng {first}"
    return (
        f"có ô gộp {ref} ({rows}); hãy bỏ gộp ô (Merge & Center → Unmerge Cells) và điền đủ "
        "từng dòng"
    )


def duplicate(row: int) -> str:
    return f"câu hỏi trùng với dòng {row}"


def no_question() -> str:
    return "thiếu nội dung câu hỏi"


def question_too_long(length: int, limit: int) -> str:
    return f"câu hỏi dài {_n(length)} ký tự; tối đa {_n(limit)}"


def explanation_too_long(length: int, limit: int) -> str:
    return f"phần giải thích dài {_n(length)} ký tự; tối đa {_n(limit)}"


def source_too_long(length: int, limit: int) -> str:
    return f"phần nguồn dài {_n(length)} ký tự; tối đa {_n(limit)}"


def option_gap(letter: str, last: str) -> str:
    return f"phương án {letter} để trống nhưng có phương án {last}; các phương án phải liền nhau"


def too_few_options(count: int) -> str:
    return f"cần ít nhất 2 phương án, mới có {count}"


def too_many_options(count: int) -> str:
    return f"có {count} phương án; tối đa 6 (A–F)"


def option_too_long(letter: str, length: int, limit: int) -> str:
    return f"phương án {letter} dài {_n(length)} ký tự; tối đa {_n(limit)}"


def option_repeated(letter: str, earlier: str) -> str:
    return f"phương án {letter} trùng phương án {earlier}"


def no_correct() -> str:
    return "thiếu đáp án (ghi một chữ A–F)"


def correct_not_an_option(label: str, count: int, last: str) -> str:
    return f"đáp án «{label}» không có: câu này có {count} phương án (A–{last})"


def correct_unreadable(raw: str) -> str:
    return f"không hiểu đáp án «{raw}»; ghi một chữ A–F (một đáp án đúng)"


# The report.


def row_problem(row: int, reason: str) -> str:
    return f"Dòng {row}: {reason}."


def more_problems(count: int) -> str:
    return f"… và {_n(count)} lỗi khác."


def rejected(name: str, reason: str) -> str:
    return f"Không nhập được «{name}»: {reason}"


def summary(name: str, good: int, bad: int) -> str:
    line = f"Tệp «{name}»: {_n(good)} câu hỏi hợp lệ"
    return line + (f", {_n(bad)} dòng có lỗi:" if bad else ".")


def nothing_imported() -> str:
    return "Không có câu hỏi hợp lệ nào, nên chưa tạo bộ câu hỏi. Đồng chí sửa tệp rồi gửi lại."


def nothing_imported_cli() -> str:
    return "Không có câu hỏi hợp lệ nào; chưa tạo bộ câu hỏi."


def too_long_for_polls(count: int) -> str:
    return (
        f"{_n(count)} câu có nội dung dài hơn giới hạn của bình chọn Telegram; khi thi, các "
        "câu này hiện dạng tin nhắn có nút bấm."
    )


def draft_saved(title: str, count: int) -> str:
    return (
        f"Đã lưu bản nháp «{title}» ({_n(count)} câu). Các dòng có lỗi không được nhập; "
        "đồng chí có thể sửa và gửi lại tệp sau. Bấm «Công bố» để chi bộ dùng bộ câu hỏi."
    )


def draft_saved_cli(bank_id: int, title: str, count: int) -> str:
    return f"Đã lưu bản nháp số {bank_id} «{title}» ({_n(count)} câu)."


def unverified() -> str:
    return "Câu hỏi do đơn vị tự soạn; nguồn được ghi như trong tệp, chưa được đối chiếu."


def published(title: str, count: int, unit: str) -> str:
    return f"Đã công bố «{title}» ({_n(count)} câu) cho {unit}."


def discarded(title: str) -> str:
    return f"Đã hủy bản nháp «{title}». Không có câu hỏi nào được nhập."


def not_a_draft(status: str) -> str:
    return f"Bộ câu hỏi này không còn là bản nháp ({STATUS.get(status, status)})."


def not_importer() -> str:
    return (
        "Cảm ơn đồng chí. Chỉ bí thư chi bộ hoặc cán bộ đảng ủy mới nhập được bộ câu hỏi; "
        "đồng chí có thể gửi tệp cho bí thư chi bộ."
    )


def downloading_failed() -> str:
    return "Bot chưa tải được tệp. Đồng chí vui lòng gửi lại sau ít phút."


def import_help(unit: str, lines: list[str]) -> str:
    text = [
        f"<b>📥 Nhập bộ câu hỏi cho {unit}</b>",
        "Đồng chí gửi cho bot một tệp Excel (.xlsx) hoặc CSV (UTF-8), mỗi dòng một câu, với các "
        "cột: <b>Câu hỏi</b>, <b>Phương án A</b> … <b>F</b> (2–6 phương án), <b>Đáp án</b> "
        "(một chữ A–F), <b>Giải thích</b>, <b>Nguồn</b>.",
        "Bot báo từng dòng có lỗi; các dòng hợp lệ được lưu thành bản nháp, đồng chí bấm "
        "«Công bố» thì chi bộ mới dùng được. Tối đa 1.000 câu, 5 MB một tệp.",
    ]
    if lines:
        text += ["", "<b>Các bộ đã nhập:</b>", *lines]
    return "\n".join(text)


def bank_line(title: str, status: str, count: int) -> str:
    return f"• {title} — {_n(count)} câu, {STATUS.get(status, status)}"


def template_caption() -> str:
    return "Tệp mẫu bộ câu hỏi: điền mỗi dòng một câu (giữ nguyên dòng tên cột) rồi gửi lại."


def cli_bank_line(bank_id: int, title: str, status: str, count: int, unit: str) -> str:
    return f"{bank_id}  [{STATUS.get(status, status)}]  {title} — {_n(count)} câu — {unit}"


def cli_no_banks() -> str:
    return "Chưa có bộ câu hỏi nào được nhập."


def template_guide() -> list[str]:
    return [
        "Hướng dẫn điền bộ câu hỏi",
        "Mỗi dòng ở trang «Câu hỏi» là một câu; giữ nguyên dòng tên cột.",
        "Câu hỏi: bắt buộc, tối đa 600 ký tự.",
        "Phương án A … F: 2 đến 6 phương án, điền liền nhau từ A; mỗi phương án tối đa 200 ký tự.",
        "Đáp án: một chữ A–F (hoặc số thứ tự 1–6) chỉ phương án đúng; chỉ một đáp án đúng.",
        "Giải thích: không bắt buộc; hiện sau khi trả lời.",
        "Nguồn: không bắt buộc; ghi tài liệu, trang — bot hiện đúng như đồng chí ghi.",
        "Không gộp ô (Merge). Tối đa 1.000 câu và 5 MB một tệp. Dòng trống được bỏ qua.",
        "Lưu dạng .xlsx, hoặc CSV UTF-8 (dấu phẩy hay dấu chấm phẩy đều được).",
    ]


def cli_no_unit(name: str) -> str:
    return f"Không tìm thấy đúng một đơn vị «{name}» (xem `hocbac unit add`)."


def cli_no_bank(bank_id: int) -> str:
    return f"Không có bộ câu hỏi số {bank_id} (xem `hocbac quiz banks`)."
