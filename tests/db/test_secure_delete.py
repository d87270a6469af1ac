"""SQLite zeroes what is deleted, so erased words do not linger in the file's free space.

Debian's SQLite zeroes by default; the engine asks for it on every build, and this test checks
the file, whatever the build."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from db.engine import create_engine, is_sqlite

MARK = "zqfreepagemark"


def file_bytes(folder: Path) -> bytes:
    """The database file with its WAL and shared-memory files, as bytes."""
    return b"".join(p.read_bytes() for p in folder.glob("erase.db*"))


async def test_deleted_text_is_not_left_in_the_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'erase.db'}"
    assert is_sqlite(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            assert (await conn.execute(text("PRAGMA secure_delete"))).scalar() == 1
            await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
            for n in range(50):  # several pages: a freed page as well as a freed cell
                await conn.execute(
                    text("INSERT INTO notes (body) VALUES (:b)"), {"b": f"{MARK} {n} " * 40}
                )
        async with engine.begin() as conn:
            await conn.execute(text("DELETE FROM notes"))
        async with engine.begin() as conn:
            await conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    finally:
        await engine.dispose()
    assert MARK.encode() not in file_bytes(tmp_path)
