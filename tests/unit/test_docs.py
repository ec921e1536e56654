"""Documentation is part of the feature: every route and command is documented."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from fastapi.routing import APIRoute

from cairn import cli
from cairn.app import create_app
from cairn.config import Settings

ROOT = Path(__file__).parents[2]


def _docs_text() -> str:
    return "\n".join(path.read_text() for path in [ROOT / "README.md",
                                                   *sorted((ROOT / "docs").glob("*.md"))])


def _paths(routes: list[Any]) -> set[str]:
    found: set[str] = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found.add(route.path)
        nested = getattr(route, "original_router", None)
        if nested is not None:
            found |= _paths(nested.routes)
    return found


def test_every_route_is_documented(tmp_path: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/x.db", data_dir=tmp_path))
    text = _docs_text()
    missing = sorted(path for path in _paths(app.routes) if path not in text)
    assert missing == []


def _commands(command: Any, prefix: str) -> list[str]:
    children = getattr(command, "commands", None)
    if not children:
        return [prefix]
    return [name for key, child in children.items() for name in _commands(child, f"{prefix} {key}")]


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = _commands(typer.main.get_command(cli.app), "cairn")
    assert len(commands) >= 6
    missing = [command for command in commands if f"`{command}" not in readme]
    assert missing == []
