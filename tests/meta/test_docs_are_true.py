"""The docs stay true to the code: settings, commands, routers."""

from __future__ import annotations

import re
from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert names == {name.upper() for name in Settings.model_fields}


def test_env_example_defaults_match_the_code() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for name, value in re.findall(r"^([A-Z_]+)=(.*)$", example, flags=re.MULTILINE):
        default = Settings.model_fields[name.lower()].default
        if value:
            assert str(default).lower() == value.lower(), name


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] in readme


def test_every_handler_module_is_included() -> None:
    import handlers

    included = {r.name for r in handlers.build_router().sub_routers}
    modules = {
        f"handlers.{p.stem}"
        for p in (ROOT / "handlers").glob("*.py")
        if "router = Router(" in p.read_text(encoding="utf-8")
    }
    assert included == modules
