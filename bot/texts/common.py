"""Greetings, menus, help and the generic answers every feature shares."""

from __future__ import annotations

MENU_HELP = "❓ Trợ giúp"
MENU_CELL = "🏛 Quản lý chi bộ"
MENU_MAIN = "🏠 Menu chính"


def main_menu(full_name: str, cell_name: str) -> str:
    return f"Chào đồng chí <b>{full_name}</b> ({cell_name}).\nĐồng chí muốn làm gì hôm nay?"


def help_text(is_manager: bool) -> str:
    lines = [
        "<b>Hướng dẫn sử dụng</b>",
        "• Bấm các nút bên dưới tin nhắn, hoặc gõ tên nút hay số thứ tự của nút (có dấu hay "
        "không dấu đều được).",
        "• Gõ <code>menu</code> bất cứ lúc nào để về menu chính.",
        "• «Học bài» (<code>/hoc</code>): bài học hôm nay theo chuyên đề của chi bộ; "
        "<code>/tim</code> và một từ khóa để tìm trong các tác phẩm của Bác.",
        "• «Cài đặt nhắc nhở» (hoặc <code>/caidat</code>): đổi giờ nhận bài, giờ yên lặng, "
        "tạm dừng 7 ngày, múi giờ.",
        "• «Bản cam kết» (<code>/camket</code>), «Tự soi, tự sửa» (<code>/tusoi</code>); "
        "<code>/xoadulieu</code> để xóa dữ liệu tự đánh giá của mình.",
        "• «Ôn tập» (<code>/quiz</code>): mỗi vòng 10 câu hỏi; câu trả lời sai được hỏi lại "
        "sớm hơn.",
        "• Nội dung tự soi và cam kết của đồng chí chỉ đồng chí, bí thư và phó bí thư chi bộ "
        "được xem.",
    ]
    if is_manager:
        lines.append("• Mục «Quản lý chi bộ» để tạo mã mời và xem danh sách đảng viên của chi bộ.")
    return "\n".join(lines)


def not_allowed() -> str:
    return "Đồng chí không có quyền thực hiện thao tác này."


def button_expired() -> str:
    return "Nút này đã cũ hoặc không hợp lệ. Đồng chí vui lòng dùng menu mới nhất."


def not_found() -> str:
    return "Không tìm thấy nội dung này, có thể đã bị xóa. Đồng chí vui lòng chọn lại từ menu."


def apology() -> str:
    return (
        "Xin lỗi đồng chí, bot gặp sự cố khi xử lý yêu cầu. Đồng chí vui lòng thử lại sau ít phút."
    )


def too_fast() -> str:
    return "Đồng chí gửi tin hơi nhanh. Xin đợi một chút rồi gửi tiếp."


def not_understood() -> str:
    return "Bot chưa hiểu ý đồng chí. Đồng chí vui lòng bấm một nút bên dưới, hoặc gõ «menu»."


def text_expected() -> str:
    return "Ở bước này bot cần đồng chí gõ chữ hoặc bấm nút. Đồng chí vui lòng thử lại."


def private_only() -> str:
    return "Đồng chí vui lòng nhắn riêng cho bot để sử dụng các chức năng cá nhân."


def inactive() -> str:
    return (
        "Tài khoản của đồng chí đang tạm ngừng. Đồng chí vui lòng liên hệ bí thư chi bộ để được "
        "kích hoạt lại."
    )
