"""The yearly pledge (bản cam kết tu dưỡng, rèn luyện, phấn đấu)."""

from __future__ import annotations

from datetime import datetime

from bot.textnorm import fold

MENU_PLEDGE = "📝 Bản cam kết"
START = "✍️ Bắt đầu viết"
AMEND = "✏️ Sửa, bổ sung bản cam kết"
CONTINUE = "▶️ Viết tiếp"
KEEP = "↩️ Giữ nguyên"
ADD = "➕ Thêm việc làm"
DROP_LAST = "➖ Bỏ việc cuối"
SUBMIT = "📨 Gửi bí thư chi bộ"
CANCEL = "🗑 Hủy bản nháp"
CANCEL_YES = "🗑 Đúng, hủy bản nháp"
CANCEL_NO = "⬅️ Không, viết tiếp"
HISTORY = "🕘 Lịch sử thay đổi"
BACK = "⬅️ Quay lại bản cam kết"
PENDING = "📝 Bản cam kết chờ duyệt"
APPROVE = "✅ Duyệt"
RETURN = "↩️ Trả lại kèm nhận xét"

# Examples drawn from the term theme (ý chí tự lực, tự cường, khát vọng phát triển) and the
# models cells report ("Thêm 30 phút mỗi ngày vì nhân dân", "Nói thật, làm thật"). They show
# the shape of a concrete action; a member who sends one back unchanged is asked for their own.
EXAMPLE_ACTIONS = (
    "Mỗi tháng đọc một bài của Bác và ghi lại một việc sẽ làm theo",
    "Thêm 30 phút mỗi ngày giải quyết việc của người dân",
    "Nói thật, làm thật: nhận việc nào làm xong việc đó đúng hạn",
)
EXAMPLE_MEASURES = (
    "Mỗi tháng 1 bài, ghi vào sổ tay, báo cáo ở buổi sinh hoạt chi bộ",
    "Không để hồ sơ nào quá hạn; mỗi tuần ít nhất 5 buổi",
    "Không trễ hạn việc nào được giao trong năm",
)
EXAMPLES_FOLDED = frozenset(fold(e) for e in EXAMPLE_ACTIONS + EXAMPLE_MEASURES)
STATUS = {
    "submitted": "⏳ đang chờ bí thư duyệt",
    "returned": "↩️ bí thư trả lại để sửa",
    "approved": "✅ đã được duyệt",
}
EVENTS = {"submitted": "Gửi", "approved": "Duyệt", "returned": "Trả lại"}


def intro(year: int) -> str:
    return (
        f"<b>Bản cam kết tu dưỡng, rèn luyện, phấn đấu năm {year}</b>\n"
        "Đồng chí ghi từ 1 đến 3 việc làm cụ thể, mỗi việc kèm cách đo "
        "(«Mỗi tháng…», «Không…», một con số hay một thói quen).\n"
        "Hằng tháng bot sẽ mời đồng chí tự soi, tự sửa theo từng việc."
    )


def ask_action(position: int, current: str | None) -> str:
    example = EXAMPLE_ACTIONS[(position - 1) % len(EXAMPLE_ACTIONS)]
    lines = [
        f"<b>Việc làm {position}</b>: đồng chí sẽ làm gì, cụ thể?",
        f"Ví dụ: <i>{example}</i>",
    ]
    if current:
        lines.append(f"Hiện ghi: «{current}»")
    lines.append("Đồng chí gõ bằng lời của mình (10–500 ký tự).")
    return "\n".join(lines)


def ask_measure(position: int, action: str, current: str | None) -> str:
    example = EXAMPLE_MEASURES[(position - 1) % len(EXAMPLE_MEASURES)]
    lines = [
        f"<b>Việc làm {position}</b>: «{action}»",
        "Đo bằng gì? (mỗi tháng bao nhiêu, không làm điều gì, một con số…)",
        f"Ví dụ: <i>{example}</i>",
    ]
    if current:
        lines.append(f"Hiện ghi: «{current}»")
    return "\n".join(lines)


def item_line(position: int, action: str, measure: str) -> str:
    return f"{position}. {action}\n    <i>Cách đo:</i> {measure}"


def review(year: int, lines: list[str], amending: bool) -> str:
    head = f"<b>Bản cam kết năm {year}</b>" + (" (bản sửa)" if amending else "")
    return "\n".join(
        [head, *lines, "", "Đồng chí xem lại, sửa nếu cần, rồi bấm «Gửi bí thư chi bộ»."]
    )


def edit_label(position: int) -> str:
    return f"✏️ Sửa việc {position}"


def confirm_cancel() -> str:
    return "Hủy bản nháp? Những gì đồng chí đã gõ trong bản nháp này sẽ mất."


def cancelled() -> str:
    return "Đã hủy bản nháp. Bản cam kết đã gửi trước đó (nếu có) vẫn giữ nguyên."


def pledge(year: int, status: str, lines: list[str], comment: str | None, erased: bool) -> str:
    parts = [f"<b>Bản cam kết năm {year}</b> — {STATUS[status]}"]
    parts += ["(Nội dung đã xóa theo yêu cầu của đồng chí.)"] if erased else lines
    if comment:
        parts += ["", f"💬 Nhận xét của bí thư: «{comment}»"]
    return "\n".join(parts)


def submitted() -> str:
    return "Đã gửi bản cam kết tới bí thư chi bộ. Bot sẽ báo khi bí thư duyệt."


def submitted_notice(member: str, year: int, amended: bool) -> str:
    what = "bản sửa của bản cam kết" if amended else "bản cam kết"
    return f"Đồng chí <b>{member}</b> đã gửi {what} năm {year}, đang chờ đồng chí duyệt."


def decided_notice(year: int, approved: bool, comment: str | None) -> str:
    if approved:
        return f"✅ Bí thư chi bộ đã duyệt bản cam kết năm {year} của đồng chí."
    return (
        f"↩️ Bí thư chi bộ trả lại bản cam kết năm {year} để đồng chí sửa.\n"
        f"💬 Nhận xét: «{comment or ''}»"
    )


def history(year: int, entries: list[str]) -> str:
    body = entries or ["Chưa có thay đổi nào."]
    return "\n\n".join([f"<b>Lịch sử bản cam kết năm {year}</b>", *body])


def history_entry(
    version: int, event: str, at: datetime, actor: str | None, lines: list[str]
) -> str:
    who = f" — {actor}" if actor else ""
    return "\n".join([f"<b>Bản {version}</b> · {EVENTS[event]} {at:%d/%m/%Y %H:%M}{who}", *lines])


def history_comment(comment: str) -> str:
    return f"    💬 «{comment}»"


def pending_list(cell: str, names: list[str]) -> str:
    if not names:
        return f"<b>{cell}</b>: không có bản cam kết nào chờ duyệt."
    return "\n".join([f"<b>{cell}</b>: {len(names)} bản cam kết chờ duyệt", *names])


def review_for_secretary(
    member: str, year: int, version: int, lines: list[str], before: list[str] | None
) -> str:
    parts = [f"<b>Bản cam kết năm {year} của đồng chí {member}</b> (bản {version})", *lines]
    if before is not None:
        parts += ["", "<i>Bản đã duyệt trước đây:</i>", *before]
    return "\n".join(parts)


def ask_return_comment(member: str) -> str:
    return f"Đồng chí gõ nhận xét gửi đồng chí {member}: cần sửa gì để việc làm cụ thể, đo được."


def decided(approved: bool, member: str) -> str:
    if approved:
        return f"Đã duyệt bản cam kết của đồng chí {member}."
    return f"Đã trả lại bản cam kết cho đồng chí {member} kèm nhận xét."


def decision_stale() -> str:
    return "Bản cam kết này vừa được sửa hoặc đã được xử lý. Đồng chí mở lại danh sách chờ duyệt."


def problem(reason: str, length: int = 0) -> str:
    """The answer to a pledge text that cannot be taken; the draft keeps everything else."""
    return {
        "empty": "Đồng chí chưa gõ nội dung. Đồng chí vui lòng gõ lại.",
        "short": "Nội dung hơi ngắn (cần ít nhất 10 ký tự). Đồng chí ghi cụ thể hơn một chút.",
        "long": f"Nội dung dài {length} ký tự, quá giới hạn 500 ký tự của một việc làm. "
        "Đồng chí rút gọn rồi gửi lại; những gì đã ghi trước đó vẫn được giữ.",
        "control": "Nội dung có ký tự không hợp lệ. Đồng chí gõ lại bằng chữ thường.",
        "example": "Đây là câu ví dụ của bot. Đồng chí ghi việc làm cụ thể của riêng mình.",
    }.get(reason, "Nội dung chưa dùng được. Đồng chí vui lòng gõ lại.")
