"""Solo practice: the practice page, questions, answers, the cited passage, the round's end."""

from __future__ import annotations

from datetime import datetime

MENU_QUIZ = "🧠 Ôn tập"
CONTINUE = "⏯ Tiếp tục vòng đang dở"
NEW_ROUND = "▶️ Vòng mới"
CHOOSE_WORK = "📚 Chọn tác phẩm"
REVIEW = "🔁 Ôn lại câu sai"
PASSAGE = "📜 Xem đoạn trích"
REFERENCE = "📚 Xem tư liệu"
NEXT = "➡️ Câu tiếp"
RESULT = "🏁 Xem kết quả"
BACK = "⬅️ Về trang ôn tập"
LESSON_QUIZ = "❓ Câu hỏi ôn tập"
LETTERS = "ABCDEF"
FACTS_TITLE = "Tư liệu về việc học tập và làm theo Bác"
# How a citation of reference material (content/facts.md) begins, in solo practice and in quiz
# nights alike; `support` tells it from a work's citation by this, so it is never quoted.
REFERENCE_MARK = "Tư liệu"


def home(theme_name: str, due: int, open_round: tuple[int, int] | None) -> str:
    lines = [
        "<b>🧠 Ôn tập</b>",
        f"Mỗi vòng 10 câu hỏi theo chuyên đề <b>{theme_name}</b>, hoặc theo tác phẩm "
        "đồng chí chọn. Câu trả lời sai sẽ được hỏi lại sớm hơn.",
        f"Đến hạn ôn lại: <b>{due}</b> câu.",
    ]
    if open_round is not None:
        lines.append(f"Đồng chí đang dở một vòng, ở câu {open_round[0]}/{open_round[1]}.")
    return "\n".join(lines)


def review_label(due: int) -> str:
    return f"{REVIEW} ({due})"


def choose_work() -> str:
    return "Đồng chí chọn tác phẩm để ôn tập:"


def bank_label(title: str, count: int) -> str:
    return f"{title} · {count} câu"


def question(number: int, size: int, text: str, options: list[str], short: bool) -> str:
    lines = []
    if short and number == 1:
        lines.append(f"<i>Phần này hiện có {size} câu, nên vòng này ngắn hơn 10 câu.</i>\n")
    lines.append(f"<b>Câu {number}/{size}.</b> {text}\n")
    lines.extend(f"<b>{LETTERS[i]}.</b> {option}" for i, option in enumerate(options))
    return "\n".join(lines)


def checked(right: bool, letter: str, answer: str, explanation: str) -> str:
    verdict = "✅ <b>Đúng rồi!</b>" if right else "❌ <b>Chưa đúng.</b>"
    return f"{verdict}\nĐáp án: <b>{letter}. {answer}</b>\n\n{explanation}"


def reference_citation(source: str) -> str:
    """The citation of a fact from the reference material: the article, never a work of Bác."""
    return f"{REFERENCE_MARK} (không phải lời Bác), theo {source}"


def support(citation: str, text: str, gap: str = "\n\n") -> str:
    """What follows an answer (solo practice and quiz nights): reference material as «Tư liệu»,
    Bác's words as «Đoạn trích» in guillemets."""
    if citation.startswith(REFERENCE_MARK):
        return f"<b>📚 {citation}</b>{gap}{text}"
    return f"<b>📜 Đoạn trích</b> — {citation}{gap}<i>«{text}»</i>"


def result(score: int, total: int, seconds: int, again: list[str], due_now: int) -> str:
    minutes, rest = divmod(seconds, 60)
    took = f"{minutes} phút {rest} giây" if minutes else f"{rest} giây"
    lines = [
        "<b>🏁 Kết thúc vòng ôn tập</b>",
        f"Điểm: <b>{score}/{total}</b> · Thời gian: {took}",
    ]
    if again:
        lines.append("\nCác câu sẽ được hỏi lại sau ít phút:")
        lines.extend(f"• {x}" for x in again)
    elif total:
        lines.append("\nĐồng chí trả lời đúng tất cả. Rất tốt!")
    if due_now:
        lines.append(f"\nĐang có {due_now} câu đến hạn ôn lại.")
    return "\n".join(lines)


def nothing_due(next_due: datetime | None) -> str:
    if next_due is None:
        return "Đồng chí chưa có câu nào cần ôn lại. Mời đồng chí làm một vòng mới."
    return (
        "Chưa có câu nào đến hạn ôn lại. Câu gần nhất đến hạn lúc "
        f"<b>{next_due:%H:%M ngày %d/%m}</b>."
    )


def no_questions() -> str:
    return "Phần này chưa có câu hỏi ôn tập. Đồng chí vui lòng chọn tác phẩm khác."


def refused(reason: str) -> str:
    if reason == "answered":
        return "Câu này đồng chí đã trả lời rồi; kết quả được giữ nguyên."
    if reason == "finished":
        return "Vòng ôn tập này đã kết thúc; kết quả được giữ nguyên."
    return "Vòng ôn tập này đã dừng hoặc quá hạn. Đồng chí vui lòng bắt đầu vòng mới."


def lint(kind: str, ids: tuple[str, ...], words: str, share: int) -> str:
    """One finding of the quiz linter on an imported bank; ids are the rows Excel shows."""
    if kind == "leak":
        return f"Dòng {ids[1]}: câu hỏi để lộ đáp án của dòng {ids[0]} («{words}»)."
    if kind == "stem-has-key":
        return f"Dòng {ids[0]}: câu hỏi chứa luôn đáp án."
    if kind == "longest-bias":
        return (
            f"Đáp án đúng là phương án dài nhất ở {share}% số câu (nên dưới 35%); người dự "
            "thi dễ đoán. Hãy viết các phương án dài gần bằng nhau."
        )
    if kind == "odd-key":
        return f"Dòng {ids[0]}: chỉ đáp án đúng thiếu chữ «{words}» mà các phương án khác đều có."
    if kind == "duplicate":
        return f"Dòng {ids[0]} và dòng {ids[1]}: hai câu hỏi gần như trùng nhau."
    return f"Dòng {ids[0]}: các phương án dài ngắn quá chênh lệch."
