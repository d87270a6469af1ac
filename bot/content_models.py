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
    variants: tuple[str, ...] = ()  # where copies of a sentence disagree
    issues: tuple[str, ...] = ()
    cross_checked: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    text: str = ""  # stored exactly as the source has it; normalise only for display

    @property
    def quotable(self) -> bool:
        return self.has_text and self.attribution == "confirmed"

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The text's paragraphs, without the corpus's "[...]" notes of missing material."""
        parts = (p.strip() for p in self.text.split("\n\n"))
        return tuple(p for p in parts if p and not p.startswith(GAP))


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
