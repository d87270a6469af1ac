"""aiogram routers, one per feature, included in this order (the fallback last).

Pledges and check-ins come before search and lessons: a member typing an answer ("Học bài…")
must have it taken as their words, not as a request for a lesson.
"""

from __future__ import annotations

from aiogram import Router

from handlers import (
    announce,
    cell,
    cell_people,
    checkin_cell,
    checkins,
    digest,
    erase,
    errors,
    fallback,
    lessons,
    menu,
    onboarding,
    pledges,
    quiz,
    quiz_import,
    quiz_nights,
    reminders,
    search,
    settings,
    start,
)

ORDER = (
    errors,
    quiz_nights,  # group chats and its own buttons only; before the private-chat features
    start,
    onboarding,
    pledges,
    checkins,
    checkin_cell,  # the secretary's side of the check-in, after the member's as before
    erase,  # members who left too; after the typed answers of pledges and check-ins
    quiz,
    search,
    menu,
    lessons,
    settings,
    announce,
    reminders,
    cell,
    cell_people,
    quiz_import,
    digest,
    fallback,
)


def build_router() -> Router:
    """Return a root router holding every feature router in order."""
    root = Router(name="hocbac")
    for module in ORDER:
        feature: Router = module.router
        # aiogram lets a router have one parent; tests build several apps in one process, so
        # a router is moved from the previous root to the new one.
        previous = feature.parent_router
        if previous is not None:
            previous.sub_routers.remove(feature)
            feature._parent_router = None
        root.include_router(feature)
    return root
