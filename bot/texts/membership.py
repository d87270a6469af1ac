"""Removing a member from the cell and taking a role back."""

from __future__ import annotations

MENU_REMOVE = "➖ Đưa đảng viên ra khỏi danh sách"
MENU_REVOKE = "↩️ Thu hồi vai trò bí thư, phó bí thư"
CANCEL = "Hủy"
BACK = "⬅️ Quay lại"
CONFIRM_REMOVE = "✅ Đồng ý đưa ra khỏi danh sách"
CONFIRM_REVOKE = "✅ Đồng ý thu hồi"
REASONS = {
    "transfer": "Chuyển sinh hoạt đảng",
    "mistake": "Thêm nhầm người",
    "stopped": "Không còn sinh hoạt tại chi bộ",
}


def reason_label(code: str) -> str:
    return REASONS[code]


def pick_removal(cell_name: str, count: int) -> str:
    if not count:
        return f"<b>{cell_name}</b>\nChưa có đảng viên nào để đưa ra khỏi danh sách."
    return (
        f"<b>{cell_name}</b>\nĐồng chí muốn đưa ai ra khỏi danh sách chi bộ? "
        "Bấm tên, hoặc gõ số thứ tự. Gõ «hủy» để thôi."
    )


def ask_reason(name: str) -> str:
    return (
        f"Lý do đưa đồng chí <b>{name}</b> ra khỏi danh sách?\n"
        "Bấm một lý do, hoặc gõ lý do khác (tối đa 200 ký tự). Gõ «hủy» để thôi."
    )


def reason_problem(reason: str) -> str:
    if reason == "too long":
        return "Lý do dài quá 200 ký tự. Xin đồng chí gõ ngắn hơn, hoặc gõ «hủy» để thôi."
    return "Xin đồng chí gõ lý do bằng chữ, hoặc bấm một lý do có sẵn. Gõ «hủy» để thôi."


def confirm_removal(name: str, reason: str) -> str:
    return (
        f"Đưa đồng chí <b>{name}</b> ra khỏi danh sách chi bộ?\nLý do: {reason}\n"
        "Đồng chí ấy sẽ không nhận bài học, nhắc nhở nữa và được báo tin này. "
        "Các bản cam kết, tự soi đã gửi vẫn được giữ trong hồ sơ chi bộ."
    )


def removed(name: str) -> str:
    return f"Đã đưa đồng chí <b>{name}</b> ra khỏi danh sách chi bộ."


def removed_notice(cell_name: str, reason: str) -> str:
    return (
        f"Kính gửi đồng chí: bí thư chi bộ đã đưa đồng chí ra khỏi danh sách «{cell_name}» "
        f"trên hocbac (lý do: {reason}). Từ nay đồng chí không nhận bài học và nhắc nhở nữa.\n"
        "Cảm ơn đồng chí đã cùng học tập. Nếu có nhầm lẫn, xin đồng chí liên hệ bí thư chi bộ. "
        "Đồng chí có thể gõ /xoadulieu để xóa dữ liệu của mình."
    )


def pick_revoke(cell_name: str, count: int) -> str:
    if not count:
        return f"<b>{cell_name}</b>\nChi bộ chưa có bí thư hay phó bí thư nào trên hocbac."
    return (
        f"<b>{cell_name}</b>\nThu hồi vai trò của ai? Người đó trở thành đảng viên của chi bộ. "
        "Bấm tên, hoặc gõ số thứ tự. Gõ «hủy» để thôi."
    )


def confirm_revoke(name: str, role: str) -> str:
    return f"Thu hồi vai trò <b>{role}</b> của đồng chí <b>{name}</b>?"


def revoked(name: str, role: str) -> str:
    return f"Đã thu hồi vai trò {role} của đồng chí <b>{name}</b>. Đồng chí ấy nay là đảng viên."


def person_button(no: int, name: str, role: str) -> str:
    return f"{no}. {name} ({role})"


def pick_cell(count: int) -> str:
    if not count:
        return "Chưa có chi bộ nào trực thuộc."
    return "Thu hồi vai trò ở chi bộ nào? Bấm tên, hoặc gõ số thứ tự. Gõ «hủy» để thôi."


def removed_line(cell_name: str) -> str:
    """The notice's line in a morning message that gathers what quiet hours held back."""
    return f"Bí thư chi bộ đã đưa đồng chí ra khỏi danh sách «{cell_name}» trên hocbac."
