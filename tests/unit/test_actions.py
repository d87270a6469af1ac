from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pytest

from bot.actions import Action, BadAction, unpack, unpack_as


@dataclass(frozen=True)
class Sample(Action, prefix="t_sample"):
    unit_id: int
    role: Literal["member", "deputy"]
    flag: bool


@dataclass(frozen=True)
class Other(Action, prefix="t_other"):
    pass


def test_an_action_round_trips() -> None:
    action = Sample(42, "deputy", True)
    assert action.pack() == "v1|t_sample|42|deputy|1"
    assert unpack(action.pack()) == action


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "garbage",
        "\x00\xff",
        "v0|t_sample|42|deputy|1",
        "v1|t_nope|1",
        "v1|t_sample|42|deputy",
        "v1|t_sample|4x|deputy|1",
        "v1|t_sample|42|operator|1",
        "v1|t_sample|42|deputy|2",
        "v1|t_sample|" + "9" * 40 + "|deputy|1",
        "v1|t_sample|42|deputy|1|extra",
        "v1|t_sample|²|deputy|1",  # Unicode digits pass str.isdigit(), not int()
        "v1|t_sample|٤٢|deputy|1",
        "v1|t_sample|--4|deputy|1",
    ],
)
def test_forged_or_stale_data_is_refused(forged: str | None) -> None:
    with pytest.raises(BadAction):
        unpack(forged)


def test_unpack_as_refuses_another_action() -> None:
    with pytest.raises(BadAction):
        unpack_as(Sample, Other().pack())


def test_packing_refuses_data_over_64_bytes() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Sample(10**60, "member", False).pack()


def test_a_prefix_cannot_be_registered_twice() -> None:
    with pytest.raises(TypeError):

        @dataclass(frozen=True)
        class Again(Action, prefix="t_other"):
            pass
