"""Quiet hours: a daily window in which nothing scheduled reaches a member.

A window may cross midnight (21:30–06:30, the default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from db.models import Member

DEFAULT = (time(21, 30), time(6, 30))
# InvalidInput reasons a handler answers with their own text
INSIDE = "inside quiet hours"
HIDES_LESSON = "covers the lesson time"


@dataclass(frozen=True)
class Quiet:
    start: time
    end: time

    def covers(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def next_allowed(self, local: datetime) -> datetime:
        """The first moment at or after `local` (an aware local time) outside the window."""
        if not self.covers(local.time().replace(tzinfo=None)):
            return local
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


def quiet_of(member: Member) -> Quiet:
    # A member not yet flushed has no column defaults applied.
    return Quiet(member.quiet_start or DEFAULT[0], member.quiet_end or DEFAULT[1])
