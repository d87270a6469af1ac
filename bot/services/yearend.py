"""The year-end draft: the member's pledge and check-ins of a year, assembled into a DOCX.

It states only what the member wrote (pledged items, each month's rating and words, what they
said they would fix) plus counts; headings aside, it invents nothing. The same document is the
member's export of their own year.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from docx import Document
from docx.document import Document as DocxDocument
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import access
from bot.services.checkin_months import Answer, my_months
from bot.services.pledges import Item, pledge_of
from bot.texts import checkins as t
from db.models import Member, Rating, Unit

MONTHS = 12


@dataclass(frozen=True)
class MonthRow:
    month: str
    late: bool
    answers: tuple[Answer, ...]
    note: str | None
    erased: bool


@dataclass(frozen=True)
class YearSummary:
    member_name: str
    unit_name: str
    year: int
    pledge: tuple[Item, ...]
    months: tuple[MonthRow, ...]  # oldest first

    @property
    def empty(self) -> bool:
        return not self.pledge and not self.months


async def year_summary(session: AsyncSession, member: Member, year: int) -> YearSummary:
    """Collect the member's own pledge and check-ins of `year`."""
    access.require_active(member)
    pledge = await pledge_of(session, member.id, year)
    items: tuple[Item, ...] = ()
    if pledge is not None and pledge.erased_at is None:
        items = tuple(Item(i.action, i.measure) for i in pledge.items)
    views = await my_months(session, member, year)
    months = tuple(MonthRow(v.month, v.late, v.answers, v.note, v.erased) for v in reversed(views))
    unit = await session.scalar(select(Unit.name).where(Unit.id == member.unit_id))
    return YearSummary(member.full_name or "", unit or "", year, items, months)


def build_docx(summary: YearSummary) -> bytes:
    """Return the DOCX of the year's draft."""
    doc = Document()
    doc.add_heading(
        f"Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh — năm {summary.year}", 1
    )
    doc.add_paragraph(f"Họ và tên: {summary.member_name}")
    doc.add_paragraph(f"Chi bộ: {summary.unit_name}")
    doc.add_paragraph().add_run(
        "Bản nháp tổng hợp từ bản cam kết và các bản tự soi, tự sửa hằng tháng của đồng chí. "
        "Đồng chí đọc lại, sửa và bổ sung trước khi đưa vào bản kiểm điểm cuối năm."
    ).italic = True

    doc.add_heading("1. Những việc làm đã cam kết", 2)
    if not summary.pledge:
        doc.add_paragraph("Chưa có bản cam kết trong năm.")
    for no, item in enumerate(summary.pledge, start=1):
        doc.add_paragraph(f"{no}. {item.action} — Cách đo: {item.measure}")

    doc.add_heading("2. Kết quả thực hiện từng tháng", 2)
    _months_table(doc, summary)

    doc.add_heading("3. Tổng hợp tự đánh giá", 2)
    late = sum(1 for m in summary.months if m.late)
    doc.add_paragraph(
        f"Số tháng đã tự soi: {len(summary.months)}/{MONTHS}; trong đó gửi muộn: {late}."
    )
    for line in _tallies(summary):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("4. Những điều còn phải sửa, làm tiếp", 2)
    remaining = _remaining(summary)
    if not remaining:
        doc.add_paragraph("Các bản tự soi không ghi điều gì cần sửa, làm tiếp.")
    for line in remaining:
        doc.add_paragraph(line, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def filename(summary: YearSummary) -> str:
    return f"tu-soi-tu-sua-{summary.year}.docx"


def _months_table(doc: DocxDocument, summary: YearSummary) -> None:
    rows = [(m, no, a) for m in summary.months for no, a in enumerate(m.answers, start=1)]
    if not rows:
        doc.add_paragraph("Chưa có bản tự soi nào trong năm.")
        return
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells,
        ("Tháng", "Việc làm", "Tự đánh giá", "Đã làm", "Sẽ sửa / làm tiếp"),
        strict=True,
    ):
        cell.text = title
    for month, no, answer in rows:
        rating = t.RATINGS[answer.rating.value] if answer.rating else t.ERASED
        when = t.month_label(month.month) + (" (muộn)" if month.late else "")
        values = (when, f"{no}. {answer.item}", rating, answer.done or "", answer.fix or "")
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    for month in summary.months:
        if month.note:
            doc.add_paragraph(f"Ghi chú tháng {t.month_label(month.month)}: {month.note}")


def _tallies(summary: YearSummary) -> list[str]:
    by_item: dict[str, Counter[Rating]] = {}
    for month in summary.months:
        for answer in month.answers:
            if answer.rating is not None:
                by_item.setdefault(answer.item, Counter())[answer.rating] += 1
    return [
        f"{item}: Tốt {c[Rating.GOOD]}, Đạt {c[Rating.DONE]}, Chưa đạt {c[Rating.NOT_DONE]}"
        for item, c in by_item.items()
    ]


def _remaining(summary: YearSummary) -> list[str]:
    """The member's own "sẽ sửa" of each item's latest month that had one."""
    latest: dict[str, tuple[str, Answer]] = {}
    for month in summary.months:
        for answer in month.answers:
            if answer.fix:
                latest[answer.item] = (month.month, answer)
    return [
        f"{item} (tháng {t.month_label(month)}, tự đánh giá "
        f"{t.RATINGS[a.rating.value] if a.rating else t.ERASED}): {a.fix}"
        for item, (month, a) in latest.items()
    ]
