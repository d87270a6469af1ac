"""Invites: create, check, redeem. Codes are random, shown once, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.errors import Expired, InvalidInput, NotAllowed, NotFound
from bot.services import access, audit
from db.models import Invite, Member, Role, Unit, UnitKind

# No 0/O, 1/I/L: codes are read aloud in meetings and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


@dataclass(frozen=True)
class CreatedInvite:
    code: str  # shown once, as "ABCD-EFGH"
    invite_id: int
    unit_name: str
    role: Role
    expires_at: datetime
    max_uses: int


def normalise_code(text: str) -> str:
    """Return the canonical form of a typed code: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


# How the inbox keeps a deep-link code (`/start h_<hash>`): never in clear, still redeemable.
HIDDEN = "h_"


def hash_code(code: str) -> str:
    """Return the stored hash of a code, typed or as the inbox keeps it."""
    digest = code.removeprefix(HIDDEN)
    if code.startswith(HIDDEN) and len(digest) == 64 and all(c in _HEX for c in digest):
        return digest
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def hidden_code(code: str) -> str:
    """Return the form of a code that may be stored: its hash, marked as such."""
    return HIDDEN + hash_code(code)


_HEX = frozenset("0123456789abcdef")


def looks_like_code(text: str) -> bool:
    """Tell whether typed text could be an invite code (so it is worth a lookup)."""
    code = normalise_code(text)
    return 6 <= len(code) <= 16 and code.isascii() and len(text) <= 40


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


async def create_invite(
    session: AsyncSession,
    clock: Clock,
    *,
    unit_id: int,
    role: Role,
    actor: Member | None,
    ttl: timedelta,
    max_uses: int,
    full_name: str | None = None,
    code: str | None = None,
) -> CreatedInvite:
    """Create an invite to `unit_id` for `role`; `actor` None means the operator's command line."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("unit")
    if actor is not None:
        await access.require_manager(session, actor, unit_id)
        if role not in access.INVITABLE[actor.role]:
            raise NotAllowed("cannot invite this role")
    cell_roles = {Role.MEMBER, Role.DEPUTY, Role.SECRETARY}
    if (unit.kind is UnitKind.CELL) != (role in cell_roles):
        raise InvalidInput("role does not fit the unit")
    if max_uses < 1 or ttl <= timedelta(0):
        raise InvalidInput("an invite needs at least one use and a future expiry")
    plain = normalise_code(code) if code else _new_code()
    now = clock.now()
    invite = Invite(
        code_hash=hash_code(plain),
        unit_id=unit_id,
        role=role,
        full_name=full_name,
        created_by_id=actor.id if actor else None,
        created_at=now,
        expires_at=now + ttl,
        max_uses=max_uses,
        uses=0,
    )
    session.add(invite)
    await session.flush()
    audit.record(
        session,
        clock,
        "invite.create",
        actor_member_id=actor.id if actor else None,
        invite_id=invite.id,
        unit_id=unit_id,
        role=role.value,
    )
    await session.commit()
    return CreatedInvite(
        display_code(plain), invite.id, unit.name, role, invite.expires_at, max_uses
    )


async def check_invite(session: AsyncSession, clock: Clock, code: str) -> Invite:
    """Return the usable invite for `code`, or raise NotFound / Expired."""
    invite = await session.scalar(select(Invite).where(Invite.code_hash == hash_code(code)))
    if invite is None:
        raise NotFound("invite")
    if invite.revoked_at is not None:
        raise Expired("revoked")
    if invite.expires_at <= clock.now():
        raise Expired("expired", invite.expires_at)
    if invite.uses >= invite.max_uses:
        raise Expired("used up")
    return invite


async def take_use(session: AsyncSession, invite: Invite) -> None:
    """Spend one use of `invite` atomically: two people racing for the last use cannot both win."""
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.uses < Invite.max_uses)
        .values(uses=Invite.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Expired("used up")


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
