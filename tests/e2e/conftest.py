"""Browser tests: a real ``cairn serve`` process and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from cairn.accounts.models import Role
from cairn.db.engine import Database

if TYPE_CHECKING:  # scorm_player imports this module: import it lazily in fixtures
    from tests.e2e.scorm_player import Cairn, Player

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    """A running Cairn and the environment it was started with (for CLI calls)."""

    url: str
    env: dict[str, str]

    def cli(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "cairn", *args], env=self.env,
                              capture_output=True, text=True, check=True, timeout=60)
        return done.stdout


@pytest.fixture()
def server_env() -> dict[str, str]:
    """Extra settings for the live server; a test module overrides this to change them."""
    return {}


@pytest.fixture()
def live_server(tmp_path: Path, database: Database, server_env: dict[str, str]
                ) -> Iterator[LiveServer]:
    port = free_port()
    env = {**os.environ, "CAIRN_DATABASE_URL": database.url,
           "CAIRN_DATA_DIR": str(tmp_path / "data"), "CAIRN_LOG_LEVEL": "warning",
           **server_env}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "cairn", "serve", "--port", str(port), "--no-worker"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process)
        yield LiveServer(url=url, env=env)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def wait_until_up(url: str, process: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"cairn serve exited with {process.returncode}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("cairn serve did not answer within 30 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def cairn(live_server: LiveServer, make_token: Callable[[Role], dict[str, str]],
          lrs_auth: dict[str, str]) -> Cairn:
    """The live server's API as an admin and an LRS client."""
    from tests.e2e.scorm_player import Cairn

    return Cairn(live_server, make_token(Role.ADMIN), lrs_auth)


@pytest.fixture()
def player(browser: Browser) -> Iterator[Player]:
    """A fresh browser context with Cairn's player page, closed after the test."""
    from tests.e2e.scorm_player import Player

    opened = Player(browser)
    yield opened
    opened.close()
