from __future__ import annotations

from bot.texts import common
from bot.texts import search as t
from tests.conftest import Cast
from tests.pilot import PilotFactory, plain


async def test_a_member_searches_without_diacritics_and_opens_a_passage(
    cast: Cast, pilot_for: PilotFactory
) -> None:
    binh = pilot_for(103)
    await binh.send("/start")
    await binh.press(t.MENU_SEARCH)
    assert binh.text() == plain(t.ask_query())
    await binh.send("can kiem liem chinh")
    assert "Kết quả cho «can kiem liem chinh»" in binh.text()
    assert binh.buttons()[0] == "1. Cần, Kiệm, Liêm, Chính"
    await binh.send("1")
    assert "Trời có bốn mùa" in binh.text()


async def test_the_command_and_typed_tim_search_at_once(
    cast: Cast, pilot_for: PilotFactory
) -> None:
    binh = pilot_for(103)
    await binh.send("/tim doan ket")
    assert "Di chúc" in binh.text()
    await binh.send("tìm đoàn kết")
    assert "Di chúc" in binh.text()


async def test_odd_queries_get_a_sensible_answer(cast: Cast, pilot_for: PilotFactory) -> None:
    binh = pilot_for(103)
    await binh.send("/tim a")
    assert binh.text() == plain(t.too_short())
    await binh.send('/tim "NEAR" * \'')
    assert binh.text() in (plain(t.too_short()), plain(t.no_results('"NEAR" * \'')))
    await binh.send("/tim " + "x" * 3000)
    assert "Không tìm thấy" in binh.text()
    await binh.send("menu")
    assert common.MENU_HELP in binh.buttons()
