"""Helpers for the SCORM browser tests: talk to the live server, drive the player page."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Dialog, FrameLocator, Page

from tests.e2e.conftest import LiveServer


class Cairn:
    """The live server, called as an admin (and as an LRS client for statements)."""

    def __init__(self, server: LiveServer, admin: dict[str, str], lrs: dict[str, str]) -> None:
        self.url = server.url
        self.admin = admin
        self.lrs = lrs

    def upload(self, archive: Path) -> dict[str, Any]:
        with archive.open("rb") as stream:
            answer = httpx.post(f"{self.url}/api/v1/packages", headers=self.admin, timeout=60,
                                files={"file": (archive.name, stream, "application/zip")})
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def launch(self, **body: Any) -> str:
        answer = httpx.post(f"{self.url}/api/v1/launches", headers=self.admin, json=body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["launch_url"])

    def trace_everyone(self) -> None:
        answer = httpx.patch(f"{self.url}/api/v1/journal/tracing", headers=self.admin,
                             json={"trace_everyone": True})
        assert answer.status_code == 200, answer.text

    def get(self, path: str, **params: Any) -> Any:
        answer = httpx.get(f"{self.url}{path}", headers=self.admin, params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def sessions(self, **params: Any) -> list[dict[str, Any]]:
        return list(self.get("/api/v1/sessions", **params)["sessions"])

    def session(self, session_id: int) -> dict[str, Any]:
        return dict(self.get(f"/api/v1/sessions/{session_id}"))

    def statements(self, **params: Any) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/xapi/statements", headers=self.lrs,
                           params={"limit": 500, **params})
        assert answer.status_code == 200, answer.text
        return list(answer.json()["statements"])

    def wait_for_session(self, session_id: int, check: Callable[[dict[str, Any]], bool],
                         timeout: float = 15) -> dict[str, Any]:
        """Poll until the session satisfies ``check`` (beacon commits arrive after the call)."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.session(session_id)
            if check(found):
                return found
            if time.monotonic() > deadline:
                raise AssertionError(f"session {session_id} never got there: {found}")
            time.sleep(0.2)


class Player:
    """One browser tab showing Cairn's player; answers the content's confirm() dialogs."""

    def __init__(self, browser: Browser, *, accept_dialogs: bool = True) -> None:
        self.context = browser.new_context()
        self.page: Page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.accept = accept_dialogs
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        if self.accept:
            dialog.accept()
        else:
            dialog.dismiss()

    def open(self, url: str) -> dict[str, Any]:
        self.page.goto(url)
        self.page.wait_for_function("window.cairnPlayer !== undefined")
        return dict(self.page.evaluate("window.cairnPlayer.config"))

    @property
    def content(self) -> FrameLocator:
        return self.page.frame_locator("#cairn-content")

    def crash(self) -> None:
        """Kill the tab's renderer: no unload handler, no Terminate, nothing more sent.

        CDP's Page.crash never answers (the renderer dies first), so the
        renderer processes are killed from outside, as the OS would. Only this
        player's page is open when a test crashes it.
        """
        browser = self.context.browser
        assert browser is not None
        processes = browser.new_browser_cdp_session().send("SystemInfo.getProcessInfo")
        with self.page.expect_event("crash", timeout=10_000):
            for process in processes["processInfo"]:
                if process["type"] == "renderer":
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(process["id"], signal.SIGKILL)

    def close(self) -> None:
        self.context.close()
