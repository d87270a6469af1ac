"""Search over every work, with or without diacritics ("can kiem liem chinh" finds "Cần, Kiệm…").

Paragraphs are stored with a folded copy (bot.textnorm.fold); the query is folded the same way
and matched word by word: FTS5 on SQLite, a GIN full-text index on PostgreSQL. Query words are
quoted, so FTS syntax typed by a member ("NEAR", "*", quotes) is just text.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import Catalog
from bot.errors import InvalidInput, NotFound
from bot.textnorm import fold
from db.models import Passage

MAX_WORDS = 8
MAX_QUERY = 200


@dataclass(frozen=True)
class Hit:
    passage_id: int
    work_id: str
    text: str


@dataclass(frozen=True)
class Results:
    query: str
    words: tuple[str, ...]
    hits: tuple[Hit, ...]


async def load_passages(session: AsyncSession, catalog: Catalog) -> int:
    """Replace the searchable paragraphs with those of the catalog, in one transaction."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # Several workers may start together; one rebuilds at a time.
        await session.execute(text("LOCK TABLE passages IN EXCLUSIVE MODE"))
    await session.execute(delete(Passage))
    count = 0
    # Only works whose text and attribution are confirmed: a result presents its paragraph as
    # Hồ Chí Minh's, from that work. The corpus's "[...]" notes are not his words either.
    for work in (w for w in catalog.works.values() if w.quotable):
        for seq, paragraph in enumerate(work.paragraphs):
            session.add(Passage(work_id=work.id, seq=seq, text=paragraph, folded=fold(paragraph)))
            count += 1
    await session.flush()
    if dialect == "sqlite":
        await session.execute(text("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')"))
    await session.commit()
    return count


def query_words(query: str) -> tuple[str, ...]:
    """Return the folded words of a query, or raise InvalidInput if nothing can be searched."""
    # No word in the works is longer than 40 letters; a longer one simply finds nothing.
    # fold() also drops blank-looking letters: a query of Hangul fillers searches nothing.
    words = tuple(w[:40] for w in fold(query[:MAX_QUERY]).split())[:MAX_WORDS]
    if not words or sum(len(w) for w in words) < 2:
        raise InvalidInput("query too short")
    return words


async def search(session: AsyncSession, query: str, *, limit: int = 5) -> Results:
    """Return the best paragraphs containing every word of the query."""
    words = query_words(query)
    if session.get_bind().dialect.name == "sqlite":
        # The last word may be unfinished ("liem chi" while typing): match it as a prefix.
        match = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
        rows = await session.execute(
            text(
                "SELECT p.id, p.work_id, p.text FROM passages_fts f "
                "JOIN passages p ON p.id = f.rowid WHERE passages_fts MATCH :q "
                "ORDER BY bm25(passages_fts) LIMIT :n"
            ),
            {"q": match.strip(), "n": limit},
        )
    else:
        # ts_rank normalisation 1 divides by the log of the length: short paragraphs first, as
        # bm25 ranks them on SQLite.
        rows = await session.execute(
            text(
                "SELECT id, work_id, text FROM passages "
                "WHERE to_tsvector('simple', folded) @@ to_tsquery('simple', :q) "
                "ORDER BY ts_rank(to_tsvector('simple', folded), to_tsquery('simple', :q), 1) "
                "DESC, id LIMIT :n"
            ),
            {"q": " & ".join((*words[:-1], f"{words[-1]}:*")), "n": limit},
        )
    hits = tuple(Hit(int(r[0]), str(r[1]), str(r[2])) for r in rows.all())
    return Results(query, words, hits)


async def passage(session: AsyncSession, passage_id: int) -> Hit:
    """Return one paragraph by id, or raise NotFound (content reloaded since the button)."""
    found = await session.get(Passage, passage_id)
    if found is None:
        raise NotFound("passage")
    return Hit(found.id, found.work_id, found.text)
