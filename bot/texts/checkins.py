"""The monthly check-in (tự soi, tự sửa), its history, the secretary's view, erasure.

Just over 400 lines of short typed text functions; splitting them would scatter one feature's
wording over several modules.
"""

from __future__ import annotations

from datetime import date

MENU_CHECKIN = "🔍 Tự soi, tự sửa"
MENU_CELL_CHECKINS = "🗓 Tự soi, tự sửa của chi bộ"
START = "▶️ Bắt đầu"
CONTINUE = "▶️ Làm tiếp"
EDIT = "✏️ Sửa bản đã gửi"
HISTORY = "📚 Các tháng trước"
SKIP = "⏭ Bỏ qua"
KEEP = "↩️ Giữ nguyên"
EDIT_ITEM = "✏️ Sửa mục…"
SEND = "📨 Gửi"
CANCEL = "🗑 Hủy"
CANCEL_YES = "🗑 Đúng, hủy bản đang làm"
CANCEL_NO = "⬅️ Không, làm tiếp"
BACK_REVIEW = "⬅️ Quay lại xem lại"
NOTE_LABEL = "Ghi chú chung"
YEAR_DOCX = "📄 Bản nháp kiểm điểm cuối năm (DOCX)"
WRITE_PLEDGE = "📝 Lập bản cam kết"
ERASE_YES = "🗑 Xóa dữ liệu của tôi"
ERASE_NO = "⬅️ Không xóa"
RATINGS = {"tot": "Tốt", "dat": "Đạt", "chua_dat": "Chưa đạt"}
RATING_MARKS = {"tot": "🟢", "dat": "🟡", "chua_dat": "🔴"}
ERASED = "đã xóa"
# the secretary's
MONTH_OVERVIEW = "📋 Xem tháng"
PREVIOUS = "⬅️ Tháng trước"
NEXT = "Tháng sau ➡️"
COMMENT = "💬 Nhận xét"
MEETING_DAY = "🗓 Đổi ngày họp chi bộ"
OPEN_DAY = "📅 Đổi ngày mở tự soi"
EXEMPTIONS = "🚫 Miễn sinh hoạt"
EXEMPT_ADD = "➕ Thêm đồng chí được miễn"
BACK_CELL = "⬅️ Quay lại tự soi của chi bộ"
STATUS_MARKS = {
    "on_time": "✅",
    "late": "⏰",
    "waiting": "⏳",
    "missing": "❌",
    "exempt": "➖",
    "skipped": "⏭",
}
STATUS_WORDS = {
    "on_time": "đã gửi",
    "late": "gửi muộn",
    "waiting": "chưa gửi",
    "missing": "quá hạn, chưa gửi",
    "exempt": "miễn sinh hoạt",
    "skipped": "tháng nghỉ",
}


def month_label(month: str) -> str:
    year, number = month.split("-")
    return f"{int(number)}/{year}"


def window_line(month: str, opens: date, deadline: date) -> str:
    return f"Kỳ tháng {month_label(month)}: mở từ {opens:%d/%m}, hạn cuối {deadline:%d/%m/%Y}."


def ready(month: str, window: str, items: list[str], late: bool) -> str:
    lines = [f"<b>Tự soi, tự sửa tháng {month_label(month)}</b>", window]
    if late:
        lines.append("⏰ Đã qua hạn: bot vẫn nhận, bản tự soi sẽ được ghi là gửi muộn.")
    lines.append(f"Đồng chí tự đánh giá {len(items)} việc làm trong bản cam kết:")
    lines += [f"{no}. {item}" for no, item in enumerate(items, start=1)]
    return "\n".join(lines)


def no_pledge(year: int) -> str:
    return (
        f"Đồng chí chưa có bản cam kết năm {year}. Tự soi, tự sửa hằng tháng dựa trên bản cam "
        "kết, nên đồng chí lập bản cam kết trước."
    )


def not_asked(month: str, reason: str, detail: str | None) -> str:
    if reason == "skipped":
        return (
            f"Tháng {month_label(month)} chi bộ không tự soi, tự sửa. Đồng chí không cần làm gì."
        )
    why = f" (lý do: {detail})" if detail else ""
    return (
        f"Đồng chí đang được miễn sinh hoạt{why}, nên tháng {month_label(month)} không cần "
        "tự soi, tự sửa."
    )


def not_open(month: str, opens: date) -> str:
    return (
        f"Kỳ tự soi, tự sửa tiếp theo (tháng {month_label(month)}) mở từ ngày "
        f"{opens:%d/%m/%Y}. Bot sẽ nhắc đồng chí."
    )


def header(month: str, position: int, total: int, item: str) -> str:
    return f"<b>Tự soi tháng {month_label(month)} · mục {position}/{total}</b>\n«{item}»"


def ask_rating() -> str:
    return "Tháng này đồng chí tự đánh giá việc này thế nào?"


def ask_done(rating: str, current: str | None, optional: bool) -> str:
    lines = [
        f"Đánh giá: <b>{RATINGS[rating]}</b>",
        "<b>Tháng này tôi đã làm gì?</b> Đồng chí gõ ngắn gọn việc đã làm.",
    ]
    if optional:
        lines.append("(Không bắt buộc khi tự đánh giá Tốt.)")
    if current:
        lines.append(f"Hiện ghi: «{current}»")
    return "\n".join(lines)


def ask_fix(rating: str, current: str | None, optional: bool) -> str:
    lines = [
        f"Đánh giá: <b>{RATINGS[rating]}</b>",
        "<b>Tôi sẽ sửa / làm tiếp:</b> tháng tới đồng chí sẽ sửa hay làm tiếp điều gì?",
    ]
    lines.append("(Không bắt buộc.)" if optional else "(Cần ghi khi tự đánh giá Chưa đạt.)")
    if current:
        lines.append(f"Hiện ghi: «{current}»")
    return "\n".join(lines)


def ask_note(month: str, current: str | None) -> str:
    lines = [
        f"<b>Tự soi tháng {month_label(month)} · ghi chú chung</b>",
        "Đồng chí muốn ghi thêm điều gì về tháng này không? (Không bắt buộc.)",
    ]
    if current:
        lines.append(f"Hiện ghi: «{current}»")
    return "\n".join(lines)


def answer_lines(
    position: int, item: str, rating: str | None, done: str | None, fix: str | None
) -> list[str]:
    mark = f"{RATING_MARKS[rating]} {RATINGS[rating]}" if rating else ERASED
    lines = [f"<b>{position}. {item}</b> — {mark}"]
    if done:
        lines.append(f"    Đã làm: {done}")
    if fix:
        lines.append(f"    Sẽ sửa / làm tiếp: {fix}")
    return lines


def note_line(note: str) -> str:
    return f"📝 Ghi chú chung: {note}"


def review(month: str, body: list[str], late: bool, resubmit: bool) -> str:
    head = f"<b>Xem lại tự soi tháng {month_label(month)}</b>"
    tail = "Đồng chí bấm «Gửi» để gửi bí thư chi bộ, hoặc «Sửa mục…» để sửa."
    if resubmit:
        tail = "Đây là bản sửa của bản đã gửi. Bấm «Gửi» để cập nhật."
    if late:
        tail += "\n⏰ Đã qua hạn: bản này sẽ được ghi là gửi muộn."
    return "\n".join([head, *body, "", tail])


def choose_item() -> str:
    return "Đồng chí muốn sửa mục nào?"


def item_label(position: int) -> str:
    return f"Mục {position}"


def confirm_cancel(resubmit: bool) -> str:
    if resubmit:
        return "Hủy phần sửa? Bản đã gửi trước đó vẫn giữ nguyên."
    return "Hủy bản tự soi đang làm? Những gì đồng chí đã gõ tháng này sẽ mất."


def cancelled() -> str:
    return "Đã hủy bản đang làm."


def month(month: str, body: list[str], late: bool, comment: str | None, erased: bool) -> str:
    state = "⏰ gửi muộn" if late else "✅ đã gửi"
    lines = [f"<b>Tự soi tháng {month_label(month)}</b> — {state}"]
    lines += ["(Nội dung đã xóa theo yêu cầu của đảng viên.)"] if erased else body
    if comment:
        lines += ["", f"💬 Nhận xét của bí thư: «{comment}»"]
    return "\n".join(lines)


def submitted(month: str, late: bool) -> str:
    if late:
        return f"Đã gửi tự soi tháng {month_label(month)} (gửi muộn). Cảm ơn đồng chí."
    return f"Đã gửi tự soi tháng {month_label(month)}. Cảm ơn đồng chí."


def month_button(month: str) -> str:
    return f"📅 Tháng {month_label(month)}"


def year_button(year: int) -> str:
    return f"📚 Năm {year}"


def history(year: int, lines: list[str]) -> str:
    if not lines:
        return f"<b>Các tháng năm {year}</b>\nĐồng chí chưa gửi bản tự soi nào trong năm nay."
    return "\n".join([f"<b>Các tháng năm {year}</b>", *lines])


def history_line(month: str, marks: str, late: bool) -> str:
    return f"• Tháng {month_label(month)}: {marks}{' (muộn)' if late else ''}"


def problem(reason: str, length: int = 0) -> str:
    """The answer to a text that cannot be taken; the draft keeps everything typed before."""
    return {
        "empty": "Tin nhắn chưa có chữ nào (chỉ có dấu cách hoặc ký tự không hiện). Đồng chí "
        "vui lòng gõ lại.",
        "long": f"Nội dung dài {length} ký tự, quá giới hạn 2.000 ký tự. Đồng chí rút gọn rồi "
        "gửi lại; những gì đã ghi trước đó vẫn được giữ.",
        "control": "Nội dung có ký tự không hợp lệ. Đồng chí gõ lại bằng chữ thường.",
    }.get(reason, "Nội dung chưa dùng được. Đồng chí vui lòng gõ lại.")


def stale() -> str:
    return (
        "Nút này thuộc bản tự soi khác hoặc đã cũ. Đồng chí bấm «Tự soi, tự sửa» để mở bản "
        "mới nhất."
    )


def after_deadline(month: str) -> str:
    return (
        f"Đã qua hạn sửa tự soi tháng {month_label(month)}; bản đã gửi được giữ nguyên. "
        "Phần sửa chưa gửi không được ghi nhận."
    )


def invitation(month: str, deadline: date) -> str:
    return (
        f"🔍 Đã mở kỳ <b>tự soi, tự sửa tháng {month_label(month)}</b>. Đồng chí tự đánh giá "
        f"các việc làm trong bản cam kết trước ngày {deadline:%d/%m/%Y}."
    )


def comment_notice(month: str) -> str:
    return f"💬 Bí thư chi bộ đã nhận xét bản tự soi tháng {month_label(month)} của đồng chí."


# -- the year-end draft ---------------------------------------------------------------------------


def docx_sent(year: int) -> str:
    return (
        f"Bản nháp phần «học tập và làm theo Bác» năm {year}, tổng hợp từ bản cam kết và các bản "
        "tự soi của đồng chí. Đồng chí tải về, sửa rồi dùng khi viết bản kiểm điểm cuối năm."
    )


def docx_nothing(year: int) -> str:
    return f"Năm {year} đồng chí chưa có bản cam kết hay bản tự soi nào để tổng hợp."


# -- erasure --------------------------------------------------------------------------------------


def confirm_erase() -> str:
    return (
        "<b>Xóa dữ liệu của đồng chí</b>\nBot sẽ xóa nội dung bản cam kết, các bản tự soi "
        "(đánh giá, việc đã làm, việc sẽ sửa, ghi chú), nhận xét kèm theo, bản nháp, tên đồng chí "
        "tự gõ và các tin nhắn đồng chí đã gửi cho bot còn lưu lại. Chi bộ chỉ còn biết đồng chí "
        "đã gửi tháng nào, ghi «đã xóa». Bản sao lưu của máy chủ làm trước hôm nay còn giữ đến "
        "khi hết hạn. Không thể khôi phục. Đồng chí chắc chắn chứ?"
    )


def erased() -> str:
    return "Đã xóa dữ liệu của đồng chí."


def erase_kept() -> str:
    return "Đã giữ nguyên dữ liệu của đồng chí."


# -- the secretary's ------------------------------------------------------------------------------


def cell_rules(
    cell: str, window: str, open_day: int, meeting_day: int, skipped: bool, exempt: list[str]
) -> str:
    lines = [
        f"<b>Tự soi, tự sửa — {cell}</b>",
        window,
        f"• Mở tự soi: ngày {open_day} hằng tháng",
        f"• Họp chi bộ: ngày {meeting_day} hằng tháng (hạn tự soi là hôm trước)",
    ]
    if skipped:
        lines.append("• ⏭ Tháng này chi bộ nghỉ tự soi.")
    if exempt:
        lines.append("• Miễn sinh hoạt: " + "; ".join(exempt))
    return "\n".join(lines)


def skip_label(month: str, skipped: bool) -> str:
    if skipped:
        return f"↩️ Bỏ nghỉ tháng {month_label(month)}"
    return f"⏭ Cho nghỉ tháng {month_label(month)}"


def pending_label(count: int) -> str:
    return f"📝 Bản cam kết chờ duyệt ({count})"


def month_overview_label(month: str) -> str:
    return f"📋 Tháng {month_label(month)}"


def cell_month(cell: str, month: str, window: str, skipped: bool, rows: list[str]) -> str:
    lines = [f"<b>Tự soi tháng {month_label(month)} — {cell}</b>", window]
    if skipped:
        lines.append("⏭ Chi bộ nghỉ tự soi tháng này.")
    return "\n".join([*lines, *rows])


def cell_counts(on_time: int, late: int, waiting: int, missing: int) -> str:
    return f"Đã gửi: {on_time} · muộn: {late} · chưa gửi: {waiting} · quá hạn: {missing}"


def cell_row(name: str, status: str, marks: str, erased: bool) -> str:
    detail = ERASED if erased else marks
    extra = f" · {detail}" if detail else ""
    return f"{STATUS_MARKS[status]} {name} — {STATUS_WORDS[status]}{extra}"


def ask_comment(member: str) -> str:
    return (
        f"Đồng chí gõ nhận xét cho đồng chí {member}. Đảng viên sẽ đọc được nhận xét này; "
        "nội dung tự soi của đảng viên giữ nguyên."
    )


def commented() -> str:
    return "Đã lưu nhận xét và báo cho đảng viên."


def ask_day(kind: str) -> str:
    if kind == "meeting":
        return (
            "Đồng chí gõ ngày họp chi bộ hằng tháng, từ 1 đến 28 (ví dụ <code>5</code>). "
            "Hạn tự soi là hôm trước ngày họp."
        )
    return "Đồng chí gõ ngày mở tự soi hằng tháng, từ 15 đến 28 (ví dụ <code>25</code>)."


def day_problem(reason: str, kind: str) -> str:
    if reason == "overlap":
        return (
            "Ngày họp không được sau ngày mở tự soi, vì hạn của tháng này sẽ trùng kỳ tháng "
            "sau. Đồng chí chọn ngày họp sớm hơn, hoặc đổi ngày mở tự soi trước."
        )
    if kind == "meeting":
        return (
            "Ngày họp phải từ 1 đến 28, để tháng nào cũng có (tháng 2 không có ngày 29–31). "
            "Đồng chí gõ lại, ví dụ <code>5</code>."
        )
    return "Ngày mở tự soi phải từ 15 đến 28. Đồng chí gõ lại, ví dụ <code>25</code>."


def days_set(open_day: int, meeting_day: int) -> str:
    return f"Đã lưu: mở tự soi ngày {open_day}, họp chi bộ ngày {meeting_day} hằng tháng."


def skip_set(month: str, skipped: bool) -> str:
    if skipped:
        return (
            f"Tháng {month_label(month)} chi bộ nghỉ tự soi: không mời, không nhắc, "
            "không tính muộn."
        )
    return f"Đã bỏ nghỉ: tháng {month_label(month)} chi bộ tự soi như thường lệ."


def exemptions(lines: list[str]) -> str:
    body = lines or ["Chưa có đồng chí nào được miễn."]
    return "\n".join(["<b>Miễn sinh hoạt</b> (không mời, không nhắc, không tính muộn)", *body])


def exemption_line(name: str, reason: str, start: str, end: str) -> str:
    return f"• {name}: {reason} (tháng {month_label(start)} – {month_label(end)})"


def end_exemption_label(name: str) -> str:
    return f"↩️ Thôi miễn: {name}"


def choose_exempt_member() -> str:
    return "Đồng chí chọn đảng viên được miễn sinh hoạt:"


def choose_exempt_months(member: str) -> str:
    return f"Miễn cho đồng chí {member} trong bao lâu (tính từ kỳ tự soi hiện tại)?"


def months_label(count: int) -> str:
    return f"{count} tháng"


def ask_exempt_reason(member: str) -> str:
    return f"Đồng chí gõ lý do miễn sinh hoạt của đồng chí {member} (ví dụ: ốm dài ngày)."


def exempted(member: str, start: str, end: str) -> str:
    return (
        f"Đã miễn sinh hoạt cho đồng chí {member} từ tháng {month_label(start)} đến tháng "
        f"{month_label(end)}."
    )
