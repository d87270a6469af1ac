from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog import load_catalog
from bot.content_models import GAP
from bot.errors import InvalidInput
from bot.services import search
from db.models import Passage

CATALOG = load_catalog()


@pytest.fixture
async def loaded(session: AsyncSession) -> AsyncSession:
    assert await search.load_passages(session, CATALOG) > 50
    return session


@pytest.mark.parametrize(
    "query",
    [
        "can kiem liem chinh",
        "Cần, Kiệm, Liêm, Chính",
        "  CAN   kiem 🙏 liem chinh!! ",
        "cần kiệm liêm chí",
    ],
)
async def test_the_four_virtues_are_found_with_or_without_diacritics(
    loaded: AsyncSession, query: str
) -> None:
    found = await search.search(loaded, query)
    # The Di chúc's "thật sự cần kiệm liêm chính" sentence is withheld (its copies tie), so
    # only the work itself is found.
    assert {h.work_id for h in found.hits} == {"can-kiem-liem-chinh-1949"}


async def test_d_with_stroke_folds_to_d(loaded: AsyncSession) -> None:
    found = await search.search(loaded, "de quoc my nhat dinh phai cut")
    assert [h.work_id for h in found.hits] == ["di-chuc-1969"]
    assert "Đế quốc Mỹ nhất định phải cút" in found.hits[0].text


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR", "'", 'doan" OR "ket', "a*", "NOT dang", "x" * 4000, "đ"]
)
async def test_search_syntax_and_odd_input_are_never_an_error(
    loaded: AsyncSession, query: str
) -> None:
    try:
        found = await search.search(loaded, query)
    except InvalidInput:
        return  # a sensible "too short" answer
    assert isinstance(found.hits, tuple)


@pytest.mark.parametrize("query", ["a", "!!!", "   ", "🙏🙏"])
async def test_nothing_searchable_is_too_short(loaded: AsyncSession, query: str) -> None:
    with pytest.raises(InvalidInput):
        await search.search(loaded, query)


async def test_loading_twice_replaces_rather_than_duplicates(loaded: AsyncSession) -> None:
    first = await search.search(loaded, "de quoc my")
    await search.load_passages(loaded, CATALOG)
    again = await search.search(loaded, "de quoc my")
    assert len(again.hits) == len(first.hits) > 0


async def test_only_quotable_works_are_indexed_and_never_the_corpus_gap_notes(
    loaded: AsyncSession,
) -> None:
    rows = (await loaded.execute(select(Passage.work_id, Passage.text))).all()
    assert {work for work, _ in rows} == {w.id for w in CATALOG.works.values() if w.quotable}
    assert not [text for _, text in rows if text.lstrip().startswith(GAP)]
    # Withheld sentences (copies disagree, or a source abridged them) are never searchable.
    withheld = [x for w in CATALOG.works.values() for x in w.withheld]
    assert withheld and not [t for _, t in rows for x in withheld if " ".join(x.split()) in t]
    assert not [t for _, t in rows if GAP in t]
