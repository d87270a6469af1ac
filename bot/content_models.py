"""The shapes of the content pack: a work, a theme and a lesson, as frozen pydantic models.

bot.catalog reads content/ into these and checks what a single file cannot show on its own
(a passage is in its work, no passage is used twice, every lesson has a theme).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.textnorm import nfc

ID = r"^[a-z0-9][a-z0-9-]{1,79}$"
GAP = "[...]"  # the corpus marks material that was not retrieved with this
_VIETNAMESE = re.compile(r"[^\x00-\x7f]")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


# How far a text has been verified, weakest first: copied from one source; collated from two or
# more independent copies (corpus v2); checked against a printed edition (Toàn tập) by a person.
Status = Literal["copy-only", "collated", "checked"]
STATUSES: tuple[Status, ...] = ("copy-only", "collated", "checked")


def weaker(a: Status, b: Status) -> Status:
    return a if STATUSES.index(a) <= STATUSES.index(b) else b


class Verification(_Model):
    """Who verified a work's text, against what and when, sentence by sentence where it varies."""

    status: Status  # of every sentence not listed below
    by: str = Field(min_length=3)
    on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    edition: str = ""  # the printed edition it was checked against, when status is "checked"
    # Sentences resting on one copy, when the rest is collated (stored as in the text).
    single_copy: tuple[str, ...] = ()
    # Sentences whose copies disagree with no majority (or that a source abridged): never shown,
    # never quoted, until someone checks them against an edition.
    uncertain: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _edition_when_checked(self) -> Verification:
        if self.status == "checked" and not self.edition:
            raise ValueError("status checked: name the edition (edition: …)")
        return self


class Work(_Model):
    id: str = Field(pattern=ID)
    title: str = Field(min_length=2)
    year: int = Field(ge=1890, le=1969)
    has_text: bool  # false: publication facts only, so no lesson may cite it
    # "provisional": the source does not say which work the text comes from; no lesson may cite it
    attribution: Literal["confirmed", "provisional"] = "confirmed"
    completeness: str
    published: str = ""
    source: str = ""
    retrieved_from: str = ""
    citation: str | None = None  # checked against Hồ Chí Minh Toàn tập: volume and page
    citation_by_source: str = ""  # what the source printed, unverified; never shown as ours
    # Volume and page as the copies state them, with "chưa đối chiếu với Toàn tập" until checked.
    toan_tap: str = ""
    verification: Verification | None = None  # None: copied, nobody has recorded more
    variants: tuple[str, ...] = ()  # where copies of a sentence disagree
    issues: tuple[str, ...] = ()
    cross_checked: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    text: str = ""  # stored exactly as the source has it; normalise only for display

    @property
    def quotable(self) -> bool:
        return self.has_text and self.attribution == "confirmed"

    def status_of(self, passage: str) -> Status | None:
        """The verification status of a passage of this work: the weakest of the sentences it
        touches, or None when it touches an uncertain sentence (never to be shown)."""
        v = self.verification
        if v is None:
            return "copy-only" if self.has_text else None
        text = _flat(self.text)
        start = text.find(_flat(passage))
        if start < 0:
            return None
        span = (start, start + len(_flat(passage)))
        if any(_overlaps(span, text, x) for x in v.uncertain):
            return None
        if any(_overlaps(span, text, x) for x in v.single_copy):
            return weaker("copy-only", v.status)
        return v.status

    @property
    def status(self) -> Status | None:
        """The weakest status of the sentences members may see (None: no text)."""
        v = self.verification
        if v is None:
            return "copy-only" if self.has_text else None
        return weaker("copy-only", v.status) if v.single_copy else v.status

    def at_least(self, minimum: Status) -> Work:
        """This work as members may see it when the operator requires `minimum`: sentences
        below it are withheld like uncertain ones; a work wholly below it loses its text."""
        v = self.verification
        if minimum == "copy-only" or not self.has_text:
            return self
        if v is None or STATUSES.index(v.status) < STATUSES.index(minimum):
            return self.model_copy(update={"has_text": False})
        if not v.single_copy:
            return self
        moved = v.model_copy(update={"single_copy": (), "uncertain": v.uncertain + v.single_copy})
        return self.model_copy(update={"verification": moved})

    @property
    def withheld(self) -> tuple[str, ...]:
        """Sentences never shown to members (see Verification.uncertain)."""
        return self.verification.uncertain if self.verification else ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The text's paragraphs, as search may show them: without the corpus's "[...]" notes
        of missing material, and split around withheld sentences, which are left out."""
        found: list[str] = []
        for paragraph in self.text.split("\n\n"):
            pieces = [" ".join(paragraph.split())]
            for sentence in self.withheld:
                cut = " ".join(sentence.split())
                pieces = [x for piece in pieces for x in piece.split(cut)]
            found += [x.strip() for x in pieces if x.strip() and not x.strip().startswith(GAP)]
        return tuple(found)


def _flat(text: str) -> str:
    return " ".join(nfc(text).split())


def _overlaps(span: tuple[int, int], text: str, sentence: str) -> bool:
    """Whether a span of the (flattened) text shares a character with a sentence of it."""
    needle, start = _flat(sentence), 0
    while (at := text.find(needle, start)) >= 0:
        if at < span[1] and span[0] < at + len(needle):
            return True
        start = at + 1
    return False


class Theme(_Model):
    id: str = Field(pattern=ID)
    kind: Literal["term", "annual"]
    years: tuple[int, ...] = Field(min_length=1)
    owner: str = Field(min_length=2)  # "national", or the committee that chose it
    # found: the official name is quoted from a source; untitled: the theme is reported but no
    # source gives its exact name; uncertain: a source hints at it; not-found: nothing found.
    status: Literal["found", "untitled", "uncertain", "not-found"] = "found"
    name: str = ""  # the official name, only when found: a theme name is never made up
    sources: tuple[str, ...] = ()
    variant: str | None = None
    notes: str = ""

    @property
    def year(self) -> int:
        return self.years[0]

    @property
    def found(self) -> bool:
        return self.status == "found"

    @model_validator(mode="after")
    def _name_matches_status(self) -> Theme:
        if self.found and len(self.name) < 10:
            raise ValueError("a found theme needs its official name (at least 10 characters)")
        if not self.found and self.name:
            raise ValueError(f"a theme with status {self.status!r} has no name; leave it empty")
        if self.status != "not-found" and not self.sources:
            raise ValueError("sources: name at least one source")
        return self


class Lesson(_Model):
    id: str = Field(pattern=ID)
    order: int = Field(ge=1)
    title: str = Field(min_length=2, max_length=120)
    work: str
    citation: str = Field(min_length=5)
    passage: str = Field(min_length=20)  # stored as typed; compared after normalising
    note: str = Field(min_length=40, max_length=700)
    question: str = Field(min_length=10, max_length=300)
    theme: str = ""  # the folder the file is in

    @field_validator("title", "citation", "note", "question")
    @classmethod
    def _vietnamese(cls, value: str) -> str:
        if not _VIETNAMESE.search(value):
            raise ValueError("write it in Vietnamese with diacritics")
        return nfc(value)
