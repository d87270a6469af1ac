"""Paragraphs of the works, with a folded copy for search with or without diacritics."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class Passage(Base):
    """One paragraph of a work. Rebuilt from content/ at start-up; never edited by hand."""

    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_id: Mapped[str] = mapped_column(String(80), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # position in the work
    text: Mapped[str] = mapped_column(Text)
    # fold(text): lower case, no diacritics, đ → d, no punctuation. SQLite indexes it with FTS5
    # (passages_fts) and PostgreSQL with a GIN full-text index (see migration 0003).
    folded: Mapped[str] = mapped_column(Text)
