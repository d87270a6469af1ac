"""The secretary's cell tools: invites and the member list."""

from __future__ import annotations

from datetime import datetime

INVITE_CREATE = "➕ Tạo mã mời"
MEMBER_LIST = "👥 Danh sách đảng viên"
ROLE_MEMBER = "Đảng viên"
ROLE_DEPUTY = "Phó bí thư"
ROLE_SECRETARY = "Bí thư"
ROLE_COMMITTEE_ADMIN = "Cán bộ đảng ủy"
ROLE_OPERATOR = "Quản trị hệ thống"


def role_name(role: str) -> str:
    return {
        "member": ROLE_MEMBER,
        "deputy": ROLE_DEPUTY,
        "secretary": ROLE_SECRETARY,
        "committee_admin": ROLE_COMMITTEE_ADMIN,
        "operator": ROLE_OPERATOR,
    }[role]


def cell_menu(cell_name: str, active: int, onboarding: int) -> str:
    return f"<b>{cell_name}</b>\nĐã tham gia: {active} đồng chí. Đang đăng ký: {onboarding}."


def choose_invite_role() -> str:
    return "Mã mời dành cho ai?"


def invite_created(code: str, link: str | None, role: str, expires_at: datetime, uses: int) -> str:
    lines = [
        f"Mã mời <b>{role_name(role)}</b>: <code>{code}</code>",
        f"Hết hạn: {expires_at:%H:%M ngày %d/%m/%Y}. Số lượt dùng: {uses}.",
    ]
    if link:
        lines.append(f"Đường link: {link}")
    lines.append("Đồng chí gửi mã hoặc link này cho người được mời.")
    return "\n".join(lines)


def member_line(no: int, full_name: str, role: str, joined: bool) -> str:
    status = "" if joined else " — đang đăng ký"
    return f"{no}. {full_name} ({role_name(role)}){status}"


def member_list(cell_name: str, lines: list[str]) -> str:
    if not lines:
        return f"<b>{cell_name}</b> chưa có đảng viên nào tham gia."
    return f"<b>Danh sách {cell_name}</b>\n" + "\n".join(lines)
