"""Cairn's own demo course in real Chromium: quiz, score, 70,000-character suspend data,
a resume point, and a killed tab that loses nothing it committed."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from cairn.config import Settings
from cairn.db.engine import Database
from cairn.demo import install
from tests.e2e.conftest import LiveServer
from tests.e2e.scorm_player import Cairn, Player

pytestmark = pytest.mark.e2e
LONG = 70_000  # the demo lessons' suspend data


@pytest.fixture()
def courses(live_server: LiveServer, database: Database) -> dict[str, int]:
    settings = Settings(database_url=database.url,
                        data_dir=live_server.env["CAIRN_DATA_DIR"])  # type: ignore[arg-type]
    return {course.identifier.rsplit("-", 1)[-1]: course.course_id
            for course in install(database=database, settings=settings)}


def _answer(player: Player, q1: str, q2: str, q3: str) -> None:
    content = player.content
    content.locator(f"input[name=q1][value={q1}]").check()
    content.locator(f"input[name=q2][value={q2}]").check()
    content.locator("input[name=q3]").fill(q3)
    content.locator("#submit").click()
    content.locator("#finish").wait_for()


def _title(player: Player) -> str:
    return str(player.content.locator("#page-title").text_content())


def test_2004_demo_killed_tab_resume_quiz_and_long_suspend_data(
        cairn: Cairn, courses: dict[str, int], player: Player, browser: Browser) -> None:
    url = cairn.launch(learner="hiker", learner_name="Hana Hiker", course=courses["2004"])
    first = player.open(url)
    assert _title(player) == "Why cairns"
    player.content.locator("#next").click()
    player.content.locator("#next").click()
    assert _title(player) == "Leave no trace"
    committed = cairn.wait_for_session(first["session_id"], lambda s: s["location"] == "2")
    player.crash()  # the tab dies: no Terminate, no unload handler

    killed = cairn.session(first["session_id"])
    assert killed["state"] == "open" and killed["location"] == "2"
    assert len(killed["suspend_data"]) == LONG  # more than SCORM 2004's 64,000
    assert killed["commit_count"] == committed["commit_count"]
    assert [session["id"] for session in cairn.sessions(state="open")] == [first["session_id"]]

    again = Player(browser)
    try:
        resumed = again.open(url)
        assert resumed["entry"] == "resume"
        assert _title(again) == "Leave no trace"
        assert "Welcome back" in str(again.content.locator("#status").text_content())
        assert again.page.evaluate(
            "window.API_1484_11.GetValue('cmi.suspend_data')") == killed["suspend_data"]
        too_long = again.page.evaluate("""() => {
            const api = window.API_1484_11;
            const limit = window.cairnPlayer.config.suspend_data_limit;
            const result = api.SetValue('cmi.suspend_data', 'x'.repeat(limit + 1));
            return [result, api.GetLastError(), api.GetValue('cmi.suspend_data').length];
        }""")
        assert too_long == ["false", "407", LONG]  # refused whole, nothing truncated or lost
        again.content.locator("#next").click()
        _answer(again, q1="b", q2="false", q3="4")
        again.content.locator("#finish").click()
        again.page.locator("#cairn-ended").wait_for()
        done = cairn.wait_for_session(resumed["session_id"],
                                      lambda s: s["state"] == "terminated")
    finally:
        again.close()
    closed = cairn.session(first["session_id"])
    assert (closed["state"], closed["closed_by"]) == ("closed", "cairn")
    assert (done["completion_status"], done["success_status"], done["exit"]) == (
        "completed", "passed", "normal")
    assert done["score"] == {"scaled": 1.0, "raw": 100.0, "min": 0.0, "max": 100.0}
    assert len(done["suspend_data"]) == LONG
    assert [item["id"] for item in done["interactions"]] == [
        "dev.cairn.demo.q1", "dev.cairn.demo.q2", "dev.cairn.demo.q3"]
    assert done["interactions"][2]["correct_responses"] == ["3[:]5"]
    assert done["objectives"][0]["id"] == "trail-safety"
    assert done["objectives"][0]["success_status"] == "passed"
    assert done["attempt_state"] == "ended"
    verbs = [statement["verb"]["display"]["en-US"] for statement in cairn.statements()]
    assert verbs.count("answered") == 3 and "passed" in verbs and "abandoned" in verbs


def test_12_demo_failed_quiz_keeps_the_attempt(cairn: Cairn, courses: dict[str, int],
                                               player: Player, browser: Browser) -> None:
    url = cairn.launch(learner="walker", course=courses["12"])
    config = player.open(url)
    assert config["initial_state"]["cmi.student_data.mastery_score"] == "70"
    for _ in range(3):
        player.content.locator("#next").click()
    _answer(player, q1="a", q2="false", q3="4")  # 2 of 3: 67 < mastery 70
    player.content.locator("#finish").click()
    done = cairn.wait_for_session(config["session_id"], lambda s: s["state"] == "terminated")
    assert (done["completion_status"], done["success_status"]) == ("completed", "failed")
    assert done["score"]["raw"] == 67 and done["exit"] == ""
    assert [item["result"] for item in done["interactions"]] == ["wrong", "correct", "correct"]
    assert len(done["suspend_data"]) == LONG  # lenient SCORM 1.2 (the default) keeps it all
    answered: list[dict[str, Any]] = [statement for statement in cairn.statements()
                                      if statement["verb"]["display"]["en-US"] == "answered"]
    assert len(answered) == 3
    again = Player(browser)
    try:
        resumed = again.open(url)  # failed is not finished: the same attempt goes on
        assert (resumed["entry"], resumed["initial_state"]["cmi.core.lesson_status"]) == (
            "", "failed")
        assert again.page.evaluate("window.API.LMSGetValue('cmi.suspend_data')") == \
            done["suspend_data"]
    finally:
        again.close()


@pytest.mark.parametrize("server_env", [{"CAIRN_SCORM12_SUSPEND_DATA_LIMIT": "strict"}])
def test_strict_12_refuses_long_suspend_data_in_the_browser(
        cairn: Cairn, courses: dict[str, int], player: Player) -> None:
    config = player.open(cairn.launch(learner="strict", course=courses["12"]))
    assert config["suspend_data_limit"] == 4096
    player.content.locator("#next").click()
    committed = cairn.wait_for_session(config["session_id"], lambda s: s["location"] == "1")
    # The lesson's 70,000 characters were refused, so it kept its compact state instead.
    assert len(committed["suspend_data"]) == 3000
    refused = player.page.evaluate("""() => {
        const api = window.API;
        const result = api.LMSSetValue('cmi.suspend_data', 'x'.repeat(4097));
        return [result, api.LMSGetLastError(), api.LMSGetValue('cmi.suspend_data').length];
    }""")
    assert refused == ["false", "405", 3000]
    assert player.page.evaluate("window.API.LMSSetValue('cmi.suspend_data', 'y'.repeat(4096))"
                                ) == "true"
    player.page.evaluate("window.API.LMSCommit('')")
    assert len(cairn.session(config["session_id"])["suspend_data"]) == 4096
