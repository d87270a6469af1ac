"""Composition root: wires settings, database, dispatcher, ingest and channels; owns start/stop."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import Update
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.catalog import Catalog, load_catalog
from bot.channels.group import BotGroup
from bot.channels.sending import HttpChannel
from bot.channels.telegram import Ingest
from bot.channels.webchat import BotApiServer, Persona
from bot.clock import Clock, SystemClock
from bot.delivery import digest_jobs, inbox, jobs, outbox, retention, unit
from bot.delivery.leader import leadership_for, night_lock_for
from bot.delivery.outbox import Claimed
from bot.delivery.quiz_night_runner import NightRunner
from bot.delivery.ratelimit import Limits, MemoryLimiter, RateLimiter, limiter_for, redis_options
from bot.delivery.recheck import Recheck
from bot.delivery.sender import Report, Sender, batch_for
from bot.delivery.worker import InboxWorker
from bot.dispatch.answers import ForgiveLateAnswers
from bot.dispatch.dispatcher import build_dispatcher
from bot.dispatch.render import MENU_KEY, menu_of_markup
from bot.dispatch.storage import DbStorage
from bot.dispatch.typed import AnswerTypedLocally
from bot.health import serve_health
from bot.quizbank import load_banks
from bot.services import demo, search
from bot.services.holidays import load_calendar
from bot.settings import Settings
from bot.supervisor import Health, Supervisor, describe
from bot.texts import demo as texts
from bot.texts.cell import role_name
from db import create_engine, create_sessionmaker

log = logging.getLogger(__name__)
TICK_SECONDS = 20
SCHEDULER = "scheduler"
SEND_POLL = 5.0
LOCAL_TOKEN = "1000:local-webchat"  # the built-in web chat accepts any token; this one is fixed


class App:
    """The running bot; `build_app` makes one, tests make one with a FakeClock."""

    def __init__(self, settings: Settings, clock: Clock, catalog: Catalog | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.channel = "local" if settings.local_chat else "telegram"
        self.engine = create_engine(settings.database_url)
        self.sessionmaker = create_sessionmaker(self.engine)
        self.storage = self._storage()
        full = catalog or load_catalog()  # bad content stops the start, loudly
        # Members see only text at least as verified as the operator requires.
        self.catalog = full.at_least(settings.content_minimum_status)
        self.banks = load_banks(catalog=full).shown_with(self.catalog)
        self.calendar = load_calendar()
        self.dp = build_dispatcher(
            settings=settings,
            sessionmaker=self.sessionmaker,
            clock=clock,
            storage=self.storage,
            channel=self.channel,
            catalog=self.catalog,
            banks=self.banks,
        )
        # Every long-running task runs under the supervisor; /healthz reports on them.
        self.health = Health(clock, recovery=settings.task_recovery_seconds)
        self.supervisor = Supervisor(clock, self.health)
        self.worker = InboxWorker(self.sessionmaker, clock, self.handle)
        self.ingest = Ingest(
            self.sessionmaker,
            clock,
            self.channel,
            self.worker.wake,
            self.health,
            on_fetched=self._fetched,
        )
        # APScheduler only ticks; what is due is decided from the database on every tick, so a
        # restart or a missed tick loses nothing and sends nothing twice.
        self.scheduler = AsyncIOScheduler(timezone=settings.timezone)
        self.leadership = leadership_for(self.engine)
        self.limiter = self._limiter()
        self.sender: Sender | None = None
        self.outbox_channel: HttpChannel | None = None
        self._outbox_due = asyncio.Event()
        self.webchat: BotApiServer | None = None
        self.bot: Bot | None = None
        self.nights: NightRunner | None = None  # quiz nights in groups, made with the bot
        self._runners: list[web.AppRunner] = []
        self.health_port: int | None = None

    async def load_content(self) -> None:
        """Make the works searchable (rebuilt from content/ on every start)."""
        async with self.sessionmaker() as db:
            count = await search.load_passages(db, self.catalog)
        log.info("content loaded", extra={"lessons": self.catalog.lesson_count, "passages": count})

    async def start(self) -> None:
        """Start the web chat (if local), the inbox worker and the ingest."""
        await self._serve_health()
        await self.load_content()
        bot = await self.open_bot()
        async with self.sessionmaker() as db:
            await inbox.release_claims(db)  # this process is the one worker of its kind here
        self.supervisor.start("inbox-worker", self.worker.run)
        if self.settings.webhook_url:
            await self._start_webhook()
        else:
            self.supervisor.start("polling", functools.partial(self.ingest.poll, bot))
        if self.engine.dialect.name == "sqlite":  # one process: every lease and send was ours
            async with self.sessionmaker() as db:
                await outbox.stuck_sending(db, self.clock, timedelta(0))
                await outbox.release_leases(db)
        self.supervisor.start("sender", self._send_forever)
        assert self.nights is not None
        if await self.leadership.leads():  # one process picks up the running quiz nights
            await self.nights.resume()
        self.start_clock()
        # Everything loaded so far lives as long as the process: keep it out of the garbage
        # collector's full passes, which otherwise stall sending for up to 0.35 s.
        gc.collect()
        gc.freeze()
        me = await bot.get_me()
        log.info("bot started", extra={"username": me.username, "channel": self.channel})

    async def start_sender(self) -> None:
        """Only drain the outbox: an extra sender process beside the bot (PostgreSQL).

        It needs BOT_TOKEN: the local web chat lives inside the one bot process."""
        if self.settings.bot_token is None:
            raise RuntimeError("a sender process needs BOT_TOKEN")
        await self._serve_health()
        await self.open_bot()
        gc.collect()  # as in start(): long-lived objects out of the collector's full passes
        gc.freeze()
        self.supervisor.start("sender", self._send_forever)
        log.info("sender started")

    async def open_bot(self) -> Bot:
        """Create the Bot API client (and the local web chat it talks to, without a token)."""
        api_base = self.settings.telegram_api_base
        token = self.settings.bot_token.get_secret_value() if self.settings.bot_token else None
        if token is None:
            await self._start_webchat()
            assert self.webchat is not None
            api_base, token = self.webchat.base_url, LOCAL_TOKEN
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(api_base))
            if api_base
            else AiohttpSession()
        )
        session.middleware(ForgiveLateAnswers())
        session.middleware(AnswerTypedLocally())
        self.bot = Bot(token, session=session, default=DefaultBotProperties(parse_mode="HTML"))
        self.nights = NightRunner(
            self.sessionmaker,
            self.clock,
            BotGroup(self.bot),
            self.limiter,
            self.settings.tz,
            on_enqueued=self._outbox_due.set,
            lock_for=functools.partial(night_lock_for, self.engine),
        )
        self.dp["nights"] = self.nights
        chart = functools.partial(
            digest_jobs.make_chart, self.sessionmaker, self.clock, self.settings.tz
        )
        self.outbox_channel = HttpChannel(token, api_base, makers={digest_jobs.CHART: chart})
        self.sender = Sender(
            self.sessionmaker,
            self.clock,
            self.outbox_channel,
            self.limiter,
            on_sent=self._remember_pushed_menu,
            batch=batch_for(self.settings.send_per_second),
            per_second=self.settings.send_per_second,
            recheck=Recheck(self.clock, self.settings.tz),
        )
        return self.bot

    def start_clock(self) -> None:
        """Tick every TICK_SECONDS, the first time now."""
        self.scheduler.add_job(
            self._tick,
            "interval",
            seconds=TICK_SECONDS,
            id="tick",
            max_instances=1,
            coalesce=True,
            next_run_time=self.clock.now(),
        )
        self.scheduler.start()

    async def _tick(self) -> None:
        # Stopping cancels a tick under way; APScheduler would log that as the job failing.
        # Nothing is lost: rows are enqueued in transactions and the next start ticks at once.
        with contextlib.suppress(asyncio.CancelledError):
            try:
                await self.schedule()
            except Exception as error:  # the next tick tries again
                trouble = self.health.failed(SCHEDULER, error)
                log.error(
                    "scheduler tick failed; the next tick tries again",
                    extra={"task": SCHEDULER, "error": trouble.error},
                )
                return
            self.health.ok(SCHEDULER)

    async def schedule(self) -> int:
        """The scheduler's tick: if this process leads, turn due rules into outbox rows and
        take up any quiz night whose process has stopped."""
        if not await self.leadership.leads():
            return 0
        if self.nights is not None:
            await self.nights.resume()
        added = await jobs.schedule(
            self.sessionmaker, self.clock, self.settings.tz, self.catalog, self.calendar
        )
        await retention.prune(self.sessionmaker, self.clock, self.settings.retention)
        if added:
            self._outbox_due.set()
        return added

    async def tick(self) -> Report:
        """One whole turn, for tests and the CLI: schedule, then send what is due."""
        assert self.sender is not None
        await self.schedule()
        return await self.sender.drain()

    async def _send_forever(self) -> None:
        # A failed drain ends the task; the supervisor logs it and starts it again.
        assert self.sender is not None
        while True:
            await self.sender.drain()
            self.health.ok("sender")
            self._outbox_due.clear()
            # Retries and rows enqueued by other processes are found within SEND_POLL seconds.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._outbox_due.wait(), SEND_POLL)

    def _fetched(self) -> None:
        """The ingest stored Telegram's backlog: restarted quiz nights may close questions."""
        if self.nights is not None:
            self.nights.backlog.fetched()

    async def _remember_pushed_menu(self, row: Claimed) -> None:
        """Let typed answers ("da doc", "2") press the buttons of a pushed message too."""
        menu = menu_of_markup(row.payload.get("reply_markup"))
        if not menu or row.chat_id < 0 or self.bot is None:
            return
        key = StorageKey(bot_id=self.bot.id, chat_id=row.chat_id, user_id=row.chat_id)
        await self.storage.update_data(key, {MENU_KEY: menu})

    async def handle(self, payload: dict[str, Any]) -> None:
        """Hand one stored update to the dispatcher, in the session of its unit of work (the
        inbox worker's; or one of its own, committed at the end, when called directly)."""
        assert self.bot is not None
        try:
            update = Update.model_validate(payload, context={"bot": self.bot})
        except ValueError as error:  # pydantic's ValidationError; never retried
            raise inbox.Poison(type(error).__name__) from None
        if unit.current() is not None:
            await self.dp.feed_update(self.bot, update)
            return
        async with self.sessionmaker() as session, unit.bound(session) as held:
            await self.dp.feed_update(self.bot, update)
            if held.failure is None:
                await session.commit()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        try:
            await self.leadership.release()
        except Exception as error:  # the database is away: the lock went with the connection
            log.warning("could not release the scheduler lock", extra={"error": describe(error)})
        if self.nights is not None:
            await self.nights.stop()
        await self.supervisor.stop()
        for runner in self._runners:
            await runner.cleanup()
        if self.bot is not None:
            await self.bot.session.close()
        if self.outbox_channel is not None:
            await self.outbox_channel.close()
        if self.webchat is not None:
            await self.webchat.stop()
        await self.storage.close()
        await self.limiter.close()
        await self.engine.dispose()

    def _limiter(self) -> RateLimiter:
        limits = Limits(per_second=self.settings.send_per_second)
        if self.settings.redis_url:
            return limiter_for(self.settings.redis_url, limits)
        # Timed by this app's clock, so a test's FakeClock moves the budget too.
        return MemoryLimiter(limits, now=lambda: self.clock.now().timestamp())

    def _storage(self) -> BaseStorage:
        if self.settings.redis_url:
            return RedisStorage.from_url(
                self.settings.redis_url,
                connection_kwargs=redis_options(),
                key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True),
            )
        return DbStorage(self.sessionmaker, self.clock)

    async def _serve_health(self) -> None:
        if self.settings.health_port is None:
            return
        runner = await serve_health(
            self.health, self.settings.health_host, self.settings.health_port
        )
        self._runners.append(runner)
        self.health_port = int(runner.addresses[0][1])  # the port, if 0 picked a free one
        log.info("health check ready", extra={"port": self.health_port})

    async def _start_webchat(self) -> None:
        if self.settings.demo_seed:
            async with self.sessionmaker() as db:
                await demo.seed_demo(db, self.clock, self.channel)
        self.webchat = BotApiServer()
        self.webchat.set_personas([_persona(p) for p in demo.CAST])
        for person in demo.CAST:
            self.webchat.add_user(person.user_id, person.first_name, person.last_name)
        await self.webchat.start(
            self.settings.local_chat_host,
            self.settings.local_chat_port,
            public=self.settings.local_chat_public,
        )
        log.info(
            "local web chat ready",
            extra={"url": f"http://{self.settings.local_chat_host}:{self.webchat.port}/"},
        )

    async def _start_webhook(self) -> None:
        assert self.bot is not None and self.settings.webhook_url
        secret = (
            self.settings.webhook_secret.get_secret_value()
            if (self.settings.webhook_secret)
            else None
        )
        path = urlsplit(self.settings.webhook_url).path or "/"
        runner = web.AppRunner(self.ingest.webhook_app(path, secret), shutdown_timeout=5.0)
        await runner.setup()
        await web.TCPSite(runner, self.settings.webhook_host, self.settings.webhook_port).start()
        self._runners.append(runner)
        await self.bot.set_webhook(
            self.settings.webhook_url,
            secret_token=secret,
            allowed_updates=[
                "message",
                "edited_message",
                "callback_query",
                "poll_answer",
                "my_chat_member",
            ],
        )


def _persona(person: demo.DemoPerson) -> Persona:
    full = f"{person.last_name} {person.first_name}"
    return Persona(
        user_id=person.user_id,
        first_name=person.first_name,
        last_name=person.last_name,
        label=texts.persona_label(role_name(person.role.value), full),
        hint=texts.persona_hint(person.joined, demo.DEMO_CODE),
        start_text="/start" if person.joined else f"/start {demo.DEMO_CODE}",
    )


def build_app(settings: Settings | None = None, *, clock: Clock | None = None) -> App:
    """Build the app from settings (read from the environment if not given)."""
    return App(settings or Settings(), clock or SystemClock())
