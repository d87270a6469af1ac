"""Runs quiz nights: one task a running night asks each question, closes it on time, posts the
results and moves on; on start-up every running night is picked up again from the database.

Every state change is committed before the next message, so a restart repeats at most the one
message being sent at the moment of the crash; a night taken up after a restart first lets the
answers Telegram kept be handled (night_catch_up.py). What a night posts to its group, per
question: the question (a quiz poll or a message with buttons) and one results message; a
button question (a secret ballot) is also edited with the count of answers so far, every
COUNT_EVERY while at least COUNT_EVERY is left and only when it changed, and once more to
remove its buttons. With at least 10 s a question, GRACE and PAUSE (14.5 s), that is at most 4
messages and edits every 14.5 s (17 a minute; 15 s questions: 5 in 19.5 s, 16 a minute; 60 s
ones: 14 in 64.5 s, 13 a minute) against Telegram's 20 a minute in a group, edits included.
Every send and edit still reserves its slot from the app's rate limiter (shared with the outbox
sender, and through Redis with other processes), so a night whose players all answer at once
cannot exceed it either.

A send whose outcome is unknown (a timeout, a 5xx) may have reached the group: it is tried
again at most SEND_TRIES times, further apart each time, and then the night pauses and its host
and the secretary are asked privately to resume or stop it (night_pauses.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from bot.delivery import night_results
from bot.delivery.leader import AlwaysLeader, Leadership
from bot.delivery.night_catch_up import Backlog, catch_up
from bot.delivery.night_port import GroupPort, SendFailed
from bot.delivery.ratelimit import RateLimiter
from bot.screens import quiz_nights as screens
from bot.screens.base import Screen
from bot.services import night_pauses, night_restarts
from bot.services import night_play as play
from bot.texts import quiz_nights as t
from db.models.quiz_nights import FINISHED, RUNNING

log = logging.getLogger(__name__)
# Poll answers on their way when Telegram closes the poll still count: they are let in this
# long after the deadline before the question is closed.
GRACE = timedelta(seconds=1.5)
PAUSE = timedelta(seconds=3)  # to read the results (or the start) before the next question
RETRY = 3.0  # seconds before trying a failed step again (doubled after each unknown outcome)
SEND_TRIES = 4  # sends with an unknown outcome before the night pauses: 3 + 6 + 12 s of tries
COUNT_EVERY = timedelta(seconds=5)  # a button question's count of answers is edited this often


class NightRunner:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        port: GroupPort,
        limiter: RateLimiter,
        default_tz: tzinfo,
        on_enqueued: Callable[[], None] = lambda: None,
        lock_for: Callable[[int], Leadership] = lambda _: AlwaysLeader(),
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._port = port
        self._limiter = limiter
        self._tz = default_tz
        self._on_enqueued = on_enqueued
        self._lock_for = lock_for
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._wake: dict[int, asyncio.Event] = {}
        # A poll is visible to the group before its id is stored; an answer in that gap waits.
        self._polls_in_flight = 0
        self._poll_stored = asyncio.Event()
        self._poll_stored.set()  # nothing being sent yet
        self.background = True  # handler tests turn it off and call step() themselves
        self.backlog = Backlog()  # the ingest says when Telegram's backlog is stored
        self._unknown: dict[int, int] = {}  # night → sends in a row with an unknown outcome
        self._shown: dict[int, tuple[int, int, datetime]] = {}  # night → position, count, when

    def launch(self, night_id: int, *, adopted: bool = False) -> None:
        """Run a night in the background (or wake its task if it runs already). `adopted`: it
        was running in a process that stopped; say so in the group once this one has it."""
        if not self.background:
            return
        task = self._tasks.get(night_id)
        if task is not None and not task.done():
            self._wake.setdefault(night_id, asyncio.Event()).set()
            return
        self._tasks[night_id] = asyncio.create_task(
            self._run(night_id, adopted=adopted), name=f"night-{night_id}"
        )

    async def resume(self) -> list[int]:
        """Take up the running nights no live process runs: after a start, and on every
        scheduler tick (a webhook worker that ran one may have died). Each continues, or
        closes after a long outage, saying so in the group; a night another live process
        holds is left to it."""
        async with self._sessionmaker() as session:
            found = await night_restarts.running_nights(session)
        for night_id in found:
            if self.background:
                self.launch(night_id, adopted=True)
            else:  # tests step the nights themselves; the group is still told
                await self._say_resumed(night_id)
        return found

    async def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()

    async def step(self, night_id: int) -> datetime | None:
        """Do the night's next due thing; return when to come back (None: nothing left)."""
        try:
            return await self._step(night_id)
        except SendFailed as failed:
            moved_to = failed.moved_to
            if moved_to is not None:  # the same people under a new chat id: go on there
                async with self._sessionmaker() as session:
                    await night_restarts.move_group(session, self._clock, night_id, moved_to)
                return self._clock.now()
            if not failed.lost:
                raise
        log.warning("quiz night group refuses the bot; closed", extra={"night_id": night_id})
        await self._give_up_group(night_id)
        return None

    async def _step(self, night_id: int) -> datetime | None:
        async with self._sessionmaker() as session:
            now = self._clock.now()
            at = await play.step(session, night_id)
            if at is None or at.status not in (RUNNING, FINISHED):
                return None
            if at.status == FINISHED:
                if not at.podium_sent:
                    await self._post_podium(session, night_id, at.chat_id)
                return None
            if at.asked_at is None:
                ready = at.settled_at + PAUSE if at.settled_at else now
                if now < ready:
                    return ready
                asking = await play.asking(session, night_id)
                closes = await self._ask(session, asking, at.chat_id)
                return self._wake_at(
                    asking.as_poll, closes - timedelta(seconds=at.seconds), closes
                )
            if at.closed_at is None:
                assert at.closes_at is not None
                early = now < at.closes_at + GRACE
                if early and not await play.everyone_answered(session, night_id, at.position):
                    if not at.as_poll:  # Telegram shows a poll's count itself
                        await self._show_count(session, at)
                    assert at.asked_at is not None
                    return self._wake_at(at.as_poll, at.asked_at, at.closes_at)
                await play.close_question(session, self._clock, night_id)
                if early:  # everyone has answered: nobody waits out the clock
                    await self._stop_poll(session, night_id, at.chat_id)
                return now
            if not at.results_sent:
                await self._post_results(session, night_id, at)
                return now
            await play.advance(session, self._clock, night_id)
            return now

    async def _run(self, night_id: int, *, adopted: bool) -> None:
        lock = self._lock_for(night_id)
        try:
            held = await lock.leads()
        except Exception:  # the database is away: the next tick asks again
            log.exception("quiz night lock failed", extra={"night_id": night_id})
            held = False
        if not held:  # another live process runs this night
            self._tasks.pop(night_id, None)
            return
        try:
            if adopted:
                await self._say_resumed(night_id)
                # Nothing closes or moves on before the answers kept during the downtime count.
                await catch_up(self._sessionmaker, self._clock, self.backlog)
            await self._loop(night_id)
        finally:
            await lock.release()

    async def _say_resumed(self, night_id: int) -> None:
        try:
            await self._announce_resume(night_id)
        except Exception:  # the night goes on; only the word in the group is lost
            log.exception("could not resume quiz night", extra={"night_id": night_id})

    async def _loop(self, night_id: int) -> None:
        while True:
            at = await self.attempt(night_id)
            if at is None:
                self._tasks.pop(night_id, None)
                self._shown.pop(night_id, None)
                return
            if at > self._clock.now():
                await self._sleep(night_id, at)

    async def attempt(self, night_id: int) -> datetime | None:
        """step(), and when it fails, when to try again (None: the night stops running here,
        finished or paused)."""
        try:
            at = await self.step(night_id)
        except SendFailed as failed:
            log.warning("quiz night send failed", extra={"night_id": night_id})
            if failed.retry_after:  # a 429: nothing was sent, wait as told
                await self._limiter.pause(failed.retry_after)
                return self._clock.now() + timedelta(seconds=failed.retry_after)
            return await self._unknown_outcome(night_id)
        except Exception:  # a database hiccup must not end the night silently
            log.exception("quiz night step failed", extra={"night_id": night_id})
            return self._clock.now() + timedelta(seconds=RETRY)
        self._unknown.pop(night_id, None)
        return at

    async def _sleep(self, night_id: int, until: datetime) -> None:
        """Sleep until `until`, or until launch() wakes the night (the host stopped it)."""
        wake = self._wake.setdefault(night_id, asyncio.Event())
        sleeper = asyncio.ensure_future(self._clock.sleep_until(until))
        waker = asyncio.ensure_future(wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()
            wake.clear()

    async def poll_stored(self, timeout: float) -> None:  # noqa: ASYNC109
        """Wait (at most `timeout` real seconds) until the poll being sent is stored; at once
        if none is being sent."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._poll_stored.wait(), timeout)

    async def _ask(self, session: AsyncSession, q: play.Asking, chat_id: int) -> datetime:
        await self._slot(chat_id)
        if q.as_poll:
            self._polls_in_flight += 1
            self._poll_stored.clear()
            try:
                sent = await self._port.send_poll(chat_id, screens.poll(q))
                return await play.mark_asked(
                    session, self._clock, q.night_id, sent.message_id, sent.poll_id
                )
            finally:
                self._polls_in_flight -= 1
                if not self._polls_in_flight:
                    self._poll_stored.set()
        message_id = await self._port.send(chat_id, screens.button_question(q))
        self._shown[q.night_id] = (q.position, 0, self._clock.now())
        return await play.mark_asked(session, self._clock, q.night_id, message_id, None)

    def _wake_at(self, as_poll: bool, asked_at: datetime, closes_at: datetime) -> datetime:
        """When to look at an open question again: a poll at its close; a button question to
        edit its count every COUNT_EVERY from its asking, as long as COUNT_EVERY is left after
        that edit (the last seconds' count would be replaced at once by the closing edit)."""
        done = (self._clock.now() - asked_at) // COUNT_EVERY
        count_at = asked_at + (done + 1) * COUNT_EVERY
        if as_poll or closes_at - count_at < COUNT_EVERY:
            return closes_at + GRACE
        return count_at

    async def _show_count(self, session: AsyncSession, at: play.Step) -> None:
        """Edit a button question with how many have answered (never who or what), at most
        every COUNT_EVERY and only when it changed: each edit counts against the group's 20 a
        minute."""
        now = self._clock.now()
        assert at.closes_at is not None
        if at.closes_at - now < COUNT_EVERY:
            return  # the closing edit comes sooner than the next count would
        # After a restart nothing is remembered: show the count at once.
        position, shown, when = self._shown.get(at.night_id, (at.position, -1, now - COUNT_EVERY))
        if position == at.position and now < when + COUNT_EVERY:
            return
        answered = await play.answer_count(session, at.night_id, at.position)
        if position == at.position and answered == shown:
            return
        message_id = await play.question_message(session, at.night_id)
        if message_id is None:
            return
        self._shown[at.night_id] = (at.position, answered, now)
        await self._slot(at.chat_id)
        asking = await play.asking(session, at.night_id)
        # An edit that fails changes nothing for the night: the next one shows the count.
        with contextlib.suppress(SendFailed):
            await self._port.edit(
                at.chat_id, message_id, screens.button_question(asking, answered)
            )

    async def _unknown_outcome(self, night_id: int) -> datetime | None:
        """A send may or may not have reached the group: try again later, further apart each
        time; after SEND_TRIES, pause the night and ask its host (None: stop running it)."""
        tries = self._unknown.get(night_id, 0) + 1
        self._unknown[night_id] = tries
        if tries < SEND_TRIES:
            return self._clock.now() + timedelta(seconds=RETRY * 2 ** (tries - 1))
        self._unknown.pop(night_id, None)
        log.warning("quiz night paused after failed sends", extra={"night_id": night_id})
        async with self._sessionmaker() as session:
            paused = await night_pauses.pause(session, self._clock, night_id)
            if paused is not None:
                pages = [screens.paused(night_id, paused.title, paused.position + 1)]
                await night_results.enqueue_results(
                    session,
                    self._clock,
                    self._tz,
                    night_id,
                    pages,
                    kind=f"quiz-night-pause-{paused.number}",
                    now_even_in_quiet_hours=True,
                )
            await session.commit()
        self._on_enqueued()
        return None

    async def _stop_poll(self, session: AsyncSession, night_id: int, chat_id: int) -> None:
        """Close a native poll before its open_period ends, so the group sees it closed."""
        if not (await play.asking(session, night_id)).as_poll:
            return  # the button form loses its buttons with the results
        message_id = await play.question_message(session, night_id)
        if message_id is not None:
            with contextlib.suppress(SendFailed):  # it closes by itself at the end anyway
                await self._port.stop_poll(chat_id, message_id)

    async def _post_results(self, session: AsyncSession, night_id: int, at: play.Step) -> None:
        asking = await play.asking(session, night_id)
        if not asking.as_poll:
            question = await play.question_message(session, night_id)
            if question is not None:
                # Edits are not new messages, but are paced like them to be safe.
                await self._slot(at.chat_id)
                with contextlib.suppress(SendFailed):  # too old to edit: the buttons refuse
                    await self._port.edit(at.chat_id, question, screens.time_up(asking))
        result = await play.result(session, night_id, at.position)
        await self._slot(at.chat_id)
        message_id = await self._port.send(at.chat_id, screens.results(result))
        await play.mark_results_sent(session, night_id, message_id)

    async def _post_podium(self, session: AsyncSession, night_id: int, chat_id: int) -> None:
        podium = await play.podium(session, night_id)
        await self._slot(chat_id)
        message_id = await self._port.send(chat_id, screens.podium(podium))
        await play.mark_podium_sent(session, night_id, message_id)
        pages = screens.full_results(podium)
        await night_results.enqueue_results(session, self._clock, self._tz, night_id, pages)
        await session.commit()
        self._on_enqueued()

    async def _give_up_group(self, night_id: int) -> None:
        """The group refuses the bot: close the night and send its results privately, with
        why, to the secretary and the host; nothing more is tried in the group."""
        async with self._sessionmaker() as session:
            await night_restarts.give_up_group(session, self._clock, night_id)
            pages = screens.group_lost(await play.podium(session, night_id))
            await night_results.enqueue_results(session, self._clock, self._tz, night_id, pages)
            await session.commit()
        self._on_enqueued()

    def outbox_waiting(self) -> None:
        """Rows were queued for the sender (results, announcements): wake it."""
        self._on_enqueued()

    async def _announce_resume(self, night_id: int) -> None:
        async with self._sessionmaker() as session:
            decision = await night_restarts.resume(session, self._clock, night_id)
            at = await play.step(session, night_id)
        if at is None or decision == "done":
            return
        text = t.resumed(at.position + 1) if decision == "continue" else t.closed_after_restart()
        await self._slot(at.chat_id)
        await self._port.send(at.chat_id, Screen(text))

    async def pace(self, chat_id: int) -> None:
        """Wait for a slot of the group's budget (for handlers posting in a night's group)."""
        await self._slot(chat_id)

    async def _slot(self, chat_id: int) -> None:
        delay = await self._limiter.reserve(chat_id)
        if delay > 0:
            await self._clock.sleep(delay)
