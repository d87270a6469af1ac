"""A province for the digest benchmark: 5,000 cells under a few committees, 100,000 members,
12 months of check-ins, lesson reads, solo practice and quiz nights.

Rows are made in memory a chunk at a time and written with the fastest path each database
has: executemany on a raw sqlite3 connection, COPY through asyncpg on PostgreSQL. Run alone:
`.venv/bin/python -m bench.province --database-url sqlite+aiosqlite:///province.db`
(the database must be migrated; `--cells 50 --members 1000` for a small one).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import make_url

from db.base import Base

TODAY = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, two days before the 5th
MONTHS = [f"{2025 + (11 + n) // 12}-{(11 + n) % 12 + 1:02d}" for n in range(12)]  # 2025-12…
COMMITTEES = 10
CHUNK = 50_000
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hạnh", "Lan", "Minh", "Thư", "Yến"]
Row = dict[str, Any]


@dataclass(frozen=True)
class Province:
    cells: int
    members: int
    committee_admin_id: int  # an admin of the province committee, for the roll-up
    province_id: int


def _rows(cells: int, members: int, rnd: random.Random) -> Iterator[tuple[str, Row]]:
    yield "units", _unit(1, "Tỉnh ủy Bench", "committee", None)
    for n in range(COMMITTEES):
        yield "units", _unit(2 + n, f"Đảng bộ huyện {n + 1}", "committee", 1)
    first_cell = 2 + COMMITTEES
    for n in range(cells):
        yield "units", _unit(first_cell + n, f"Chi bộ {n + 1}", "cell", 2 + n % COMMITTEES)
    joined = datetime(2025, 6, 1, tzinfo=UTC)
    admin = members + 1
    ids = _Ids()
    for member_id in range(1, members + 2):
        unit = 1 if member_id == admin else first_cell + (member_id - 1) % cells
        role = "committee_admin" if member_id == admin else "member"
        if member_id <= cells:
            role = "secretary"
        name = f"{rnd.choice(SURNAMES)} Văn {rnd.choice(GIVEN)} {member_id}"
        status = "onboarding" if rnd.random() < 0.01 else "active"
        yield "members", _member(member_id, unit, role, status, name, joined)
        blocked = TODAY - timedelta(days=rnd.randint(1, 90)) if rnd.random() < 0.01 else None
        yield "channel_identities", _identity(member_id, blocked)
        if member_id == admin:
            continue
        yield from _month_rows(member_id, unit, rnd, ids)


class _Ids:
    def __init__(self) -> None:
        self.checkin = self.answer = self.read = self.round = 0

    def next(self, name: str) -> int:
        setattr(self, name, getattr(self, name) + 1)
        return int(getattr(self, name))


def _month_rows(
    member_id: int, unit: int, rnd: random.Random, ids: _Ids
) -> Iterator[tuple[str, Row]]:
    lesson = 0
    for month in MONTHS:
        year, mon = int(month[:4]), int(month[5:])
        first = date(year, mon, 1)
        if rnd.random() < 0.85:
            late = rnd.random() < 0.1
            at = datetime(year, mon, 26, 12, tzinfo=UTC) + timedelta(days=15 if late else 3)
            checkin_id = ids.next("checkin")
            yield "checkins", {
                "id": checkin_id, "member_id": member_id, "unit_id": unit, "month": month,
                "first_submitted_at": at, "submitted_at": at, "late": late,
            }  # fmt: skip
            for position in (1, 2):
                rating = rnd.choices(["tot", "dat", "chua_dat"], [4, 5, 1])[0]
                yield "checkin_answers", {
                    "id": ids.next("answer"), "checkin_id": checkin_id, "position": position,
                    "item": f"Việc cụ thể số {position}", "rating": rating, "done": "Đã làm",
                    "fix": "Sẽ sắp xếp thời gian hợp lý hơn" if rating == "chua_dat" else None,
                }  # fmt: skip
        for _ in range(rnd.choice((0, 1, 2, 2, 3, 4))):
            day = first + timedelta(days=rnd.randint(0, 27))
            lesson += 1
            yield "lesson_reads", {
                "id": ids.next("read"), "member_id": member_id, "lesson_id": f"bai-{lesson}",
                "read_on": day, "read_at": datetime.combine(day, time(13), UTC),
            }  # fmt: skip
        if rnd.random() < 0.3:
            round_id = ids.next("round")
            at = datetime.combine(first + timedelta(days=rnd.randint(0, 27)), time(13), UTC)
            yield "quiz_rounds", {
                "id": round_id, "member_id": member_id, "scope": "theme", "scope_id": "t",
                "size": 5, "position": 5, "started_at": at, "asked_at": at, "finished_at": at,
                "abandoned": False,
            }  # fmt: skip
            for position in range(5):
                yield "quiz_answers", {
                    "round_id": round_id, "position": position, "question_id": f"q{position}",
                    "chosen": 1, "correct": rnd.random() < 0.7, "skipped": False,
                    "answered_at": at,
                }  # fmt: skip


def _nights(cells: int, members: int, rnd: random.Random) -> Iterator[tuple[str, Row]]:
    """Three monthly quiz nights a cell, with its members playing."""
    if "quiz_nights" not in Base.metadata.tables:
        return
    first_cell = 2 + COMMITTEES
    night_id = 0
    for n in range(cells):
        players = list(range(n + 1, members + 1, cells))
        for month in MONTHS[-3:]:
            night_id += 1
            at = datetime(int(month[:4]), int(month[5:]), 20, 13, tzinfo=UTC)
            yield "quiz_nights", {
                "id": night_id, "unit_id": first_cell + n, "channel": "telegram",
                "chat_id": -100 - n, "host_member_id": n + 1, "bank_key": "b",
                "title": f"Hội thi {month}", "question_count": 10, "seconds": 20,
                "allow_guests": True, "show_names": True, "status": "finished", "position": 10,
                "created_at": at, "started_at": at, "finished_at": at, "interrupted": False,
                "resumed_count": 0, "public_votes": False, "paused_count": 0,
            }  # fmt: skip
            for seq, member_id in enumerate(players, start=1):
                if rnd.random() < 0.6:
                    yield "quiz_night_players", {
                        "night_id": night_id, "user_id": 10_000_000 + member_id,
                        "member_id": member_id, "seq": seq, "display_name": f"Người {seq}",
                        "joined_at": at, "first_position": 1, "score": rnd.randint(0, 1000),
                        "correct_count": 5, "answered_count": 10,
                    }  # fmt: skip


def _unit(uid: int, name: str, kind: str, parent: int | None) -> Row:
    return {"id": uid, "name": name, "kind": kind, "parent_id": parent, "created_at": TODAY}


def _member(mid: int, unit: int, role: str, status: str, name: str, joined: datetime) -> Row:
    return {
        "id": mid, "unit_id": unit, "role": role, "status": status, "full_name": name,
        "name_confirmed": True, "lesson_time": time(20), "quiet_start": time(21, 30),
        "quiet_end": time(6, 30), "consent_at": joined, "joined_at": joined,
    }  # fmt: skip


def _identity(mid: int, blocked: datetime | None) -> Row:
    return {
        "id": mid, "member_id": mid, "channel": "telegram", "external_user_id": mid,
        "chat_id": mid, "display_name": None, "blocked_at": blocked, "created_at": TODAY,
    }  # fmt: skip


async def generate(url: str, *, cells: int = 5_000, members: int = 100_000) -> Province:
    """Fill the (migrated, empty) database at `url`; return what the benchmark needs."""
    rnd = random.Random(7)
    writer = _Writer(url)
    await writer.open()
    rows = _rows(cells, members, rnd)
    for source in (rows, _nights(cells, members, rnd)):
        for table, row in source:
            await writer.add(table, row)
    await writer.close()
    return Province(cells, members, members + 1, 1)


class _Writer:
    """Buffers rows a table and flushes them in chunks, in the order tables were first seen
    (parents before children, for the foreign keys)."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.pending: dict[str, list[Row]] = {}
        self.sqlite: sqlite3.Connection | None = None
        self.pg: Any = None

    async def open(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.sqlite = sqlite3.connect(self.url.database or "")
            self.sqlite.execute("PRAGMA synchronous=OFF")
        else:
            import asyncpg

            self.pg = await asyncpg.connect(
                host=self.url.host,
                port=self.url.port or 5432,
                user=self.url.username,
                password=self.url.password,
                database=self.url.database,
            )

    async def add(self, table: str, row: Row) -> None:
        self.pending.setdefault(table, []).append(row)
        if len(self.pending[table]) >= CHUNK:
            await self._flush_all()  # every table: a child never lands before its parent

    async def _flush_all(self) -> None:
        for name, rows in self.pending.items():
            if rows:
                await self._flush(name, rows)
                self.pending[name] = []

    async def _flush(self, name: str, rows: list[Row]) -> None:
        columns = [c.name for c in Base.metadata.tables[name].columns]
        values = [[row.get(c, _default(name, c)) for c in columns] for row in rows]
        if self.sqlite is not None:
            marks = ", ".join("?" * len(columns))
            self.sqlite.executemany(
                f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})",
                [[_sqlite(v) for v in row] for row in values],
            )
        else:
            await self.pg.copy_records_to_table(name, records=values, columns=columns)

    async def close(self) -> None:
        await self._flush_all()
        if self.sqlite is not None:
            self.sqlite.commit()
            self.sqlite.close()
        else:
            for name in ("units", "members", "channel_identities", "checkins", "quiz_rounds"):
                await self.pg.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
            await self.pg.execute("ANALYZE")
            await self.pg.close()


def _default(table: str, column: str) -> Any:
    return {"paused_until": None}.get(column)


def _sqlite(value: Any) -> Any:
    # The text forms SQLAlchemy's SQLite types write and read back.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--cells", type=int, default=5_000)
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args()
    asyncio.run(generate(args.database_url, cells=args.cells, members=args.members))


if __name__ == "__main__":
    main()
