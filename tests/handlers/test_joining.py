from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.channels.webchat import BotApiServer
from bot.services import invites
from bot.texts import common, onboarding, settings
from db.models import Member, MemberStatus
from tests import factories
from tests.conftest import Cast
from tests.fakes.clock import FakeClock
from tests.pilot import PilotFactory, plain


async def invite(session: AsyncSession, clock: FakeClock, cast: Cast) -> str:
    return (await factories.invite(session, clock, cast.chi_bo_1, actor=cast.chi_thu)).code


async def joined_member(app: App, user_id: int) -> Member:
    async with app.sessionmaker() as s:
        member = await s.scalar(
            select(Member).where(Member.full_name.is_not(None)).order_by(Member.id.desc())
        )
        assert member is not None
        return member


async def test_a_newcomer_joins_with_a_deep_link(
    app: App, session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    code = await invite(session, clock, cast)
    em = pilot_for(900)
    await em.send(f"/start {invites.normalise_code(code)}")
    assert "Chi bộ 1" in em.text() and "Hoàng Văn Em" in em.text()
    assert em.buttons() == [onboarding.NAME_OK, onboarding.NAME_EDIT]

    await em.press(onboarding.NAME_EDIT)
    assert em.text() == plain(onboarding.ask_name())
    await em.send("  hoàng   văn em ")
    assert em.text() == plain(onboarding.ask_lesson_time())
    assert em.buttons() == ["06:30", "12:00", "20:00", onboarding.TIME_OTHER]

    await em.press("20:00")
    assert em.buttons() == [onboarding.CONSENT_YES, onboarding.CONSENT_NO]
    await em.press(onboarding.CONSENT_YES)
    assert common.MENU_HELP in em.buttons()

    member = await joined_member(app, 900)
    assert (member.full_name, member.status, member.lesson_time) == (
        "Hoàng Văn Em",
        MemberStatus.ACTIVE,
        time(20, 0),
    )


async def test_typed_answers_work_like_buttons(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    code = await invite(session, clock, cast)
    em = pilot_for(900)
    await em.send(f"  {code.lower()} ")  # a typed code, in lower case, with spaces
    await em.send("dung")
    assert em.text() == plain(onboarding.ask_lesson_time())
    await em.send("4")  # the fourth button: another time
    assert em.text() == plain(onboarding.ask_custom_time())
    await em.send("19h30")
    await em.send("DONG Y 👍")
    assert common.MENU_HELP in em.buttons()


async def test_bad_input_is_asked_again_and_nothing_is_lost(
    app: App,
    session: AsyncSession,
    clock: FakeClock,
    cast: Cast,
    pilot_for: PilotFactory,
    server: BotApiServer,
) -> None:
    code = await invite(session, clock, cast)
    em = pilot_for(900)
    await em.send(f"/start {code}")
    await em.press(onboarding.NAME_EDIT)
    await em.send("x" * 300)
    assert em.text() == plain(onboarding.name_invalid())
    await em.send("Nguyễn\x07An")
    assert em.text() == plain(onboarding.name_invalid())
    await app.handle(await server.user_sends_sticker(900))
    assert em.bot_messages()[-2]["text"] == plain(common.text_expected())
    assert em.buttons() == [onboarding.NAME_OK, onboarding.NAME_EDIT]  # still the name step
    await em.send("Hoàng Văn Em")
    assert em.text() == plain(onboarding.ask_lesson_time())
    await em.send("25:99")
    assert em.text() == plain(onboarding.time_invalid())
    await em.send("6h")  # inside the default quiet hours 21:30–06:30
    assert em.text() == plain(settings.time_in_quiet(time(21, 30), time(6, 30)))
    await em.send("6h45")
    assert em.buttons() == [onboarding.CONSENT_YES, onboarding.CONSENT_NO]


async def test_invites_that_cannot_be_used_say_why(
    session: AsyncSession, clock: FakeClock, cast: Cast, pilot_for: PilotFactory
) -> None:
    em, giang = pilot_for(900), pilot_for(901)
    await em.send("/start ZZZZZZZZ")
    assert em.text() == plain(onboarding.invite_unknown())
    code = await invite(session, clock, cast)
    await em.send(f"/start {code}")
    await giang.send(f"/start {code}")
    assert giang.text() == plain(onboarding.invite_used_up())
    late = await invite(session, clock, cast)
    clock.move(days=4)
    await giang.send(late)
    assert "đã hết hạn" in giang.text() and "xin bí thư" in giang.text()


async def test_a_stranger_is_told_how_to_join(pilot_for: PilotFactory) -> None:
    em = pilot_for(900)
    await em.send("xin chào")
    assert em.text() == plain(onboarding.welcome_stranger())
