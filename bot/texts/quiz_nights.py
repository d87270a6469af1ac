"""Quiz nights in the cell's group: lobby, questions, results, podium, refusals."""

from __future__ import annotations

from bot.texts import quiz

JOIN = "🙋 Tham gia"
START = "▶️ Bắt đầu"
CANCEL = "✖️ Hủy"
CHOOSE_BANK = "📚 Đổi bộ câu hỏi"
BACK = "⬅️ Quay lại"
RESUME = "▶️ Tiếp tục"  # typed "tiếp tục" (or "1") presses it too
STOP = "⏹ Dừng"
FACTS_CITATION = "Tư liệu về việc học tập và làm theo Bác"
LETTERS = "ABCDEFGHIJKL"
MEDALS = ("🥇", "🥈", "🥉")
HOST_COMMAND_HELP = "Chọn người dẫn hội thi"


def count_label(count: int) -> str:
    return f"🔢 Số câu: {count}"


def seconds_label(seconds: int) -> str:
    return f"⏱ {seconds} giây mỗi câu"


def guests_label(allowed: bool) -> str:
    return "👥 Khách: được dự thi" if allowed else "👥 Khách: không"


def names_label(shown: bool) -> str:
    return "🏷 Bảng điểm: hiện tên" if shown else "🏷 Bảng điểm: ẩn tên"


def votes_label(public: bool) -> str:
    return "🗳 Bình chọn: công khai" if public else "🗳 Bình chọn: kín"


def lobby(
    bank: str, count: int, seconds: int, guests: bool, names: bool, players: int, public: bool
) -> str:
    rules = [f"{count} câu, mỗi câu {seconds} giây. Trả lời đúng và nhanh được nhiều điểm hơn."]
    if guests:
        rules.append("Khách (không phải đảng viên chi bộ) được dự thi.")
    rules.append("Bảng điểm hiện tên." if names else "Bảng điểm ẩn tên.")
    rules.append(
        "Bình chọn công khai: cả nhóm thấy ai chọn đáp án nào."
        if public
        else "Bình chọn kín: chỉ hiện số người chọn mỗi đáp án, không ai biết ai chọn gì."
    )
    return "\n".join(
        [
            "<b>🏆 Hội thi tìm hiểu tư tưởng, đạo đức, phong cách Hồ Chí Minh</b>",
            f"Bộ câu hỏi: <b>{bank}</b>",
            *rules,
            "",
            f"Đã tham gia: <b>{players}</b> người. Bấm «{JOIN}» để dự thi.",
        ]
    )


def lobby_started(bank: str, count: int, players: int) -> str:
    return (
        f"<b>🏆 Hội thi đã bắt đầu</b> — {bank}, {count} câu.\n"
        f"{players} người tham gia. Ai vào muộn vẫn bấm «{JOIN}» và dự thi từ câu sau."
    )


def lobby_closed() -> str:
    return "Hội thi này đã kết thúc."


def choose_bank() -> str:
    return "Chọn bộ câu hỏi cho hội thi:"


def bank_label(title: str, count: int) -> str:
    return f"{title} · {count} câu"


def question(number: int, count: int, text: str) -> str:
    return f"Câu {number}/{count}. {text}"


def button_question(
    number: int, count: int, seconds: int, text: str, options: list[str], answered: int
) -> str:
    lines = [f"<b>Câu {number}/{count}</b> · ⏱ {seconds} giây\n", f"{text}\n"]
    lines.extend(f"<b>{LETTERS[i]}.</b> {option}" for i, option in enumerate(options))
    lines.append("\nBấm chữ cái của đáp án. Chỉ lần bấm đầu tiên được tính.")
    lines.append(f"Đã trả lời: {answered} người.")
    return "\n".join(lines)


def time_up(number: int, count: int, text: str, options: list[str]) -> str:
    lines = [f"<b>Câu {number}/{count}</b> · ⌛ Hết giờ\n", f"{text}\n"]
    lines.extend(f"<b>{LETTERS[i]}.</b> {option}" for i, option in enumerate(options))
    return "\n".join(lines)


def results(
    number: int,
    count: int,
    letter: str,
    answer: str,
    chosen: list[tuple[str, int]],
    answered: int,
    players: int,
) -> str:
    counts = " · ".join(f"{x}: {n}" for x, n in chosen)
    return (
        f"<b>✅ Câu {number}/{count}: đáp án {letter}. {answer}</b>\n"
        f"Số người chọn: {counts}\n"
        f"Đã trả lời: {answered}/{players} người."
    )


def explanation(text: str) -> str:
    return f"💡 {text}"


def passage(citation: str, text: str) -> str:
    # Shared with solo practice: reference material as «Tư liệu», Bác's words as «Đoạn trích».
    return quiz.support(citation, text, gap="\n")


def source(text: str) -> str:
    return f"📚 Nguồn (theo bộ câu hỏi của đơn vị): {text}"


def board_title() -> str:
    return "<b>Bảng điểm</b>"


def board_line(rank: int, name: str, score: int, guest: bool) -> str:
    return f"{rank}. {name}{' (khách)' if guest else ''} — {score} điểm"


def anonymous(seq: int) -> str:
    return f"Người dự thi {seq}"


def nobody_yet() -> str:
    return "Chưa có ai ghi điểm."


def podium(title: str, played: int, count: int, interrupted: bool, players: int) -> str:
    head = "<b>🏁 Hội thi kết thúc</b>"
    if interrupted:
        head = f"<b>🏁 Hội thi dừng sớm</b> — kết quả sau {played}/{count} câu"
    return f"{head}\n{title} · {players} người tham gia."


def podium_line(rank: int, name: str, score: int, guest: bool) -> str:
    medal = MEDALS[rank - 1] if rank <= len(MEDALS) else f"{rank}."
    return f"{medal} {name}{' (khách)' if guest else ''} — {score} điểm"


def podium_footer() -> str:
    return "Cảm ơn các đồng chí đã tham gia! Kết quả đầy đủ đã gửi riêng cho bí thư chi bộ."


def full_results_title(title: str, played: int, count: int, interrupted: bool) -> str:
    end = " (dừng sớm)" if interrupted else ""
    return f"<b>📋 Kết quả hội thi{end}</b>\n{title} · {played}/{count} câu"


def full_results_line(
    rank: int, name: str, score: int, correct: int, answered: int, guest: bool
) -> str:
    who = f"{name} (khách)" if guest else name
    return f"{rank}. {who} — {score} điểm, đúng {correct}/{answered} câu đã trả lời"


def group_lost(title: str) -> str:
    return (
        f"⚠️ Bot không gửi được tin vào nhóm của hội thi «{title}»: có thể bot đã bị xóa khỏi"
        " nhóm hoặc không còn quyền gửi tin. Hội thi đã dừng; kết quả đến lúc dừng ở tin sau."
    )


def resumed(number: int) -> str:
    return f"🔄 Bot vừa khởi động lại. Hội thi tiếp tục từ câu {number}."


def closed_after_restart() -> str:
    return (
        "🔄 Bot vừa khởi động lại sau một lúc gián đoạn, nên hội thi dừng tại đây "
        "với kết quả hiện có."
    )


def paused(title: str, number: int) -> str:
    return (
        f"⚠️ Hội thi «{title}» đang tạm dừng ở câu {number}: bot gửi tin vào nhóm mấy lần "
        "không rõ đã tới chưa, nên dừng lại để không gửi trùng.\n"
        f"Đồng chí xem nhóm giúp, rồi bấm «{RESUME}» (hoặc gõ «tiếp tục») để thi tiếp, "
        f"hoặc «{STOP}» (gõ «dừng») để kết thúc với kết quả hiện có."
    )


def resumed_by_host() -> str:
    return "Hội thi tiếp tục trong nhóm."


def stopped_by_host() -> str:
    return "Hội thi đã dừng; kết quả sẽ đăng trong nhóm."


def cancelled() -> str:
    return "Hội thi đã được hủy."


def joined(players: int) -> str:
    return f"Đồng chí đã tham gia. Hiện có {players} người."


def answered_ok(letter: str) -> str:
    return f"Đã ghi nhận đồng chí chọn {letter}. Chỉ đồng chí thấy thông báo này."


def refused(reason: str) -> str:
    return {
        "not_host": "Chỉ người dẫn hội thi hoặc bí thư chi bộ mới làm được việc này.",
        "other_cell": "Hội thi này dành cho đảng viên chi bộ khác. Cảm ơn đồng chí.",
        "guests_off": "Hội thi này chỉ dành cho đảng viên của chi bộ.",
        "already_open": (
            "Nhóm này đang có một hội thi. Gõ /dungdoivui để dừng trước khi mở hội thi mới."
        ),
        "not_open": "Nút này không thuộc câu hỏi đang diễn ra.",
        "answered": "Đồng chí đã trả lời câu này; chỉ lần đầu được tính.",
        "late": "Câu này đã hết giờ.",
        "joined_late": "Đồng chí đã vào hội thi; câu sau sẽ được tính điểm.",
        "no_bank": "Chưa có bộ câu hỏi nào để chọn.",
        "bank_changed": "Danh sách bộ câu hỏi vừa thay đổi. Đồng chí chọn lại giúp.",
        "not_paused": "Hội thi này không còn tạm dừng.",
    }.get(reason, "Thao tác này không thực hiện được.")


def group_only() -> str:
    return (
        "Hội thi diễn ra trong nhóm chat của chi bộ: thêm bot vào nhóm, rồi người dẫn "
        "hoặc bí thư gõ /doivui trong nhóm."
    )


def name_host_usage() -> str:
    return (
        f"{HOST_COMMAND_HELP}: bí thư trả lời (reply) một tin nhắn của đồng chí đó "
        "trong nhóm bằng lệnh /nguoidan."
    )


def host_named(name: str) -> str:
    return f"Đồng chí {name} đã được chọn làm người dẫn hội thi của chi bộ."


def announcement(cell: str, title: str, group: str) -> str:
    return (
        f"🎯 <b>{cell}</b> đang mở hội thi «{title}» trong nhóm «{group}».\n"
        "Mời đồng chí vào nhóm, bấm «Tham gia» để cùng dự thi."
    )
