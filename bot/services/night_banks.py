"""The banks a quiz night may use, whatever they come from, in one shape.

The one adapter between quiz nights and question banks: the shipped content banks (checked
against the works, with a verbatim passage) and the banks the cell or a committee above it
imported from a spreadsheet and published (unverified: their source is shown as written,
never as a quotation).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.quiz_models import Question
from bot.quizbank import QuizBanks
from bot.services.quiz_banks import BankQuestion, PublishedBank, published_banks
from bot.texts import quiz as quiz_texts
from bot.texts import quiz_nights as t

CONTENT_PREFIX = "c:"  # bank_key of a shipped content bank: "c:<bank id>"
IMPORTED_PREFIX = "b:"  # bank_key of an imported bank: "b:<quiz_banks.id>"


@dataclass(frozen=True)
class NightQuestion:
    id: str
    text: str
    options: tuple[str, ...]
    correct: int  # 1-based
    explanation: str
    citation: str  # where the passage is from (an imported bank's source as written)
    passage: str  # verbatim from the work; "" for an imported question, which has none


@dataclass(frozen=True)
class NightBank:
    key: str  # stored as quiz_nights.bank_key
    title: str
    questions: tuple[NightQuestion, ...]


async def selectable_banks(
    session: AsyncSession, banks: QuizBanks, catalog: Catalog, unit_id: int
) -> list[NightBank]:
    """Return every bank the cell's host may choose for a night: content banks first, then the
    published imported banks of the cell and of the committees above it."""
    found = [
        NightBank(
            CONTENT_PREFIX + bank.id,
            bank.title,
            tuple(_content_question(q, catalog) for q in bank.questions),
        )
        for bank in banks.banks.values()
    ]
    found += [_imported_bank(bank) for bank in await published_banks(session, unit_id)]
    return found


def tag(key: str) -> int:
    """A short check of a bank's key, for a button that names the bank by its place in the
    list: a bank published or archived meanwhile must not turn a press into another bank."""
    return zlib.crc32(key.encode()) & 0xFFFF


async def find_bank(
    session: AsyncSession, banks: QuizBanks, catalog: Catalog, unit_id: int, key: str
) -> NightBank | None:
    """Return the bank stored as `key`, if the cell may still use it."""
    return next(
        (b for b in await selectable_banks(session, banks, catalog, unit_id) if b.key == key),
        None,
    )


def _content_question(question: Question, catalog: Catalog) -> NightQuestion:
    work = catalog.works.get(question.work)
    if question.is_reference or work is None:
        citation = quiz_texts.reference_citation(question.source or t.FACTS_CITATION)
    else:
        citation = f"{work.title}{f', {work.citation}' if work.citation else ''}"
    return NightQuestion(
        question.id,
        question.question,
        question.options,
        question.correct,
        question.explanation,
        citation,
        question.shown_passage,
    )


def _imported_bank(bank: PublishedBank) -> NightBank:
    return NightBank(
        f"{IMPORTED_PREFIX}{bank.id}",
        bank.title,
        tuple(_imported_question(bank.id, n, q) for n, q in enumerate(bank.questions, start=1)),
    )


def _imported_question(bank_id: int, number: int, question: BankQuestion) -> NightQuestion:
    return NightQuestion(
        f"bank-{bank_id}-{number}",
        question.text,
        question.options,
        question.correct,
        question.explanation,
        question.source,
        "",
    )
