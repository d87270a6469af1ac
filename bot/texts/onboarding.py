"""Joining a cell: invite code, name, lesson time, privacy notice."""

from __future__ import annotations

from datetime import datetime, time

NAME_OK = "✅ Đúng"
NAME_EDIT = "✏️ Sửa họ tên"
TIME_OTHER = "🕘 Giờ khác"
CONSENT_YES = "✅ Đồng ý"
CONSENT_NO = "Không đồng ý"


def welcome_stranger() -> str:
    return (
        "Chào đồng chí! Đây là trợ lý học tập và làm theo tư tưởng, đạo đức, phong cách "
        "Hồ Chí Minh của chi bộ.\n\nĐể tham gia, đồng chí vui lòng gõ <b>mã mời</b> do bí thư chi "
        "bộ gửi (ví dụ: <code>AB12-CD34</code>) hoặc mở đường link mời."
    )


def invite_unknown() -> str:
    return (
        "Mã mời không đúng. Đồng chí kiểm tra lại (có thể gõ chữ thường, có hoặc không có dấu "
        "gạch), hoặc xin bí thư chi bộ một mã mới."
    )


def invite_expired(expired_on: datetime) -> str:
    return (
        f"Mã mời này đã hết hạn từ {expired_on:%H:%M ngày %d/%m/%Y}. Đồng chí vui lòng xin bí thư "
        "chi bộ một mã mới."
    )


def invite_used_up() -> str:
    return "Mã mời này đã được dùng hết lượt. Đồng chí vui lòng xin bí thư chi bộ một mã mới."


def invite_revoked() -> str:
    return "Mã mời này đã bị thu hồi. Đồng chí vui lòng xin bí thư chi bộ một mã mới."


def already_member(cell_name: str) -> str:
    return f"Đồng chí đã là thành viên của {cell_name} trên hệ thống."


def confirm_name(cell_name: str, full_name: str) -> str:
    return (
        f"Chào mừng đồng chí đến với <b>{cell_name}</b>.\n\n"
        f"Bước 1/3. Họ và tên của đồng chí là: <b>{full_name}</b>. Đúng không?"
    )


def ask_name() -> str:
    return "Đồng chí vui lòng gõ họ và tên đầy đủ (ví dụ: Nguyễn Văn An)."


def name_invalid() -> str:
    return (
        "Họ tên chưa hợp lệ: chỉ gồm chữ cái và khoảng trắng, từ 2 đến 80 ký tự. Đồng chí vui "
        "lòng gõ lại (ví dụ: Nguyễn Văn An)."
    )


def ask_lesson_time() -> str:
    return (
        "Bước 2/3. Mỗi ngày bot gửi đồng chí một bài học ngắn. Đồng chí muốn nhận vào lúc mấy giờ?"
    )


def ask_custom_time() -> str:
    return "Đồng chí gõ giờ muốn nhận bài, ví dụ <code>19:30</code> hoặc <code>7h15</code>."


def time_invalid() -> str:
    return "Giờ chưa đúng. Đồng chí gõ theo dạng <code>19:30</code> hoặc <code>7h15</code>."


def time_label(value: time) -> str:
    return f"{value:%H:%M}"


def privacy_notice() -> str:
    return (
        "Bước 3/3. <b>Thông báo về dữ liệu cá nhân</b>\n"
        "Bot lưu họ tên, giờ nhận bài, kết quả học tập, bản cam kết và nội dung tự soi, tự sửa "
        "của đồng chí để phục vụ sinh hoạt chi bộ.\n"
        "• Nội dung cam kết và tự soi: chỉ đồng chí, bí thư và phó bí thư chi bộ được xem.\n"
        "• Cấp ủy cấp trên chỉ xem số liệu và ai chưa nộp; không xem nội dung.\n"
        "• Tin nhắn gửi bot chỉ giữ nội dung đến khi xử lý xong; phần còn lại tự xóa sau "
        "30 ngày.\n"
        "• Gõ /xoadulieu để xóa nội dung của mình bất cứ lúc nào.\n"
        "Căn cứ: Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.\n\n"
        "Đồng chí có đồng ý không?"
    )


def consent_declined() -> str:
    return (
        "Bot chưa thể phục vụ khi đồng chí chưa đồng ý, vì cần lưu kết quả học tập của đồng chí. "
        "Khi nào sẵn sàng, đồng chí bấm «Đồng ý»."
    )


def joined(full_name: str, lesson_time: time) -> str:
    return (
        f"Cảm ơn đồng chí {full_name}! Đồng chí đã tham gia thành công. Bài học sẽ được gửi "
        f"lúc {lesson_time:%H:%M} mỗi ngày."
    )
