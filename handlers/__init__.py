"""aiogram routers, one per feature, included in this order (the fallback last)."""

from __future__ import annotations

from aiogram import Router

from handlers import cell, errors, fallback, menu, onboarding, start


def build_router() -> Router:
    root = Router(name="hocbac")
    root.include_routers(
        errors.router, start.router, onboarding.router, menu.router, cell.router, fallback.router
    )
    return root
