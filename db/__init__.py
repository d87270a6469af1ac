"""Schema and data access: SQLAlchemy 2 async, dialect-neutral unless a comment says why."""

from db.base import Base
from db.engine import create_engine, create_sessionmaker, is_sqlite, session_scope

__all__ = ["Base", "create_engine", "create_sessionmaker", "is_sqlite", "session_scope"]
