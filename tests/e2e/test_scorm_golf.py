"""Rustici's "golf" SCORM examples run in real Chromium through Cairn's player.

The packages are third-party: they are read from ../shared/content/packages/
and never copied into the repository (``interop`` tests fail clearly when
that folder is missing). Each test imports a package into a live ``cairn
serve``, launches it, clicks through the content as a learner would,
finishes, relaunches, and checks what the server stored: the session, the
interactions, the journal and the mirrored xAPI statements.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser

from tests.e2e.scorm_player import Cairn, Player
from tests.scorm_packages import shared_package

pytestmark = [pytest.mark.e2e, pytest.mark.interop]


def _next_pages(player: Player, count: int) -> None:
    for _ in range(count):
        player.content.locator("#butNext").click()
        time.sleep(0.1)


def _verbs(cairn: Cairn) -> list[str]:
    return [statement["verb"]["display"]["en-US"] for statement in cairn.statements()]


def test_scorm12_runtime_basic_calls_suspend_resume_and_finish(cairn: Cairn, player: Player,
                                                               browser: Browser) -> None:
    package = cairn.upload(shared_package("scorm12-golf-RuntimeBasicCalls"))
    cairn.trace_everyone()
    url = cairn.launch(learner="golfer-12", learner_name="Pat Golfer",
                       course=package["course_id"])
    config = player.open(url)
    assert config["entry"] == "ab-initio"
    _next_pages(player, 3)
    time.sleep(1.2)  # the SCO reports whole seconds of session time
    player.content.locator("#butExit").click()  # "save your progress?" -> yes: suspend
    first = cairn.wait_for_session(config["session_id"], lambda s: s["state"] == "terminated")
    assert (first["exit"], first["location"], first["completion_status"]) == (
        "suspend", "3", "incomplete")
    assert first["total_time_seconds"] > 0
    calls = [(line["call"], line["element"]) for line in first["journal"]]
    assert calls[0] == ("LMSInitialize", None)
    assert ("LMSSetValue", "cmi.core.lesson_location") in calls
    assert calls[-1] == ("LMSFinish", None)

    again = Player(browser)
    try:
        resumed = again.open(url)  # "resume where you left off?" -> yes
        assert resumed["entry"] == "resume"
        assert resumed["initial_state"]["cmi.core.lesson_location"] == "3"
        assert resumed["initial_state"]["cmi.core.total_time"] != "0000:00:00.00"
        again.content.locator("#butNext").wait_for()
        assert any("resume" in message for message in again.dialogs)
        _next_pages(again, 11)  # to the last page: the SCO sets completed
        again.content.locator("#butExit").click()
        done = cairn.wait_for_session(resumed["session_id"],
                                      lambda s: s["state"] == "terminated")
    finally:
        again.close()
    assert (done["completion_status"], done["exit"], done["attempt_number"]) == (
        "completed", "", 1)
    assert done["total_time_seconds"] >= first["total_time_seconds"]
    third = Player(browser)
    try:
        assert third.open(url)["entry"] == "ab-initio"  # completed + normal exit: attempt 2
    finally:
        third.close()
    assert {"launched", "initialized", "progressed", "suspended", "terminated",
            "completed"} <= set(_verbs(cairn))


def test_scorm12_runtime_minimum_calls_with_the_table_of_contents(cairn: Cairn,
                                                                  player: Player) -> None:
    package = cairn.upload(shared_package("scorm12-golf-RuntimeMinimumCalls"))
    url = cairn.launch(learner="golfer-min", course=package["course_id"])
    config = player.open(url)
    assert len([entry for entry in config["toc"] if entry["url"]]) == 18
    titles = [config["lesson_title"]]
    for _ in range(2):
        player.page.locator("a.next").click()
        player.page.wait_for_function("window.cairnPlayer !== undefined")
        titles.append(player.page.evaluate("window.cairnPlayer.config.lesson_title"))
    assert len(set(titles)) == 3
    sessions = cairn.sessions()
    assert len(sessions) == 3
    for session in sessions[:2]:  # left through the TOC: LMSFinish ran on unload
        finished = cairn.wait_for_session(session["id"], lambda s: s["state"] == "terminated")
        assert finished["completion_status"] == "completed"
    assert len({session["lesson_id"] for session in sessions}) == 3


def test_scorm2004_runtime_basic_calls_suspend_all_and_resume(cairn: Cairn, player: Player,
                                                              browser: Browser) -> None:
    package = cairn.upload(shared_package("scorm2004-3rd-golf-RuntimeBasicCalls"))
    url = cairn.launch(learner="golfer-2004", course=package["course_id"])
    config = player.open(url)
    _next_pages(player, 4)
    player.content.locator("#butExit").click()  # suspend + adl.nav.request=suspendAll
    player.page.locator("#cairn-ended").wait_for()
    first = cairn.wait_for_session(config["session_id"], lambda s: s["state"] == "terminated")
    assert (first["exit"], first["location"]) == ("suspend", "4")
    assert first["cmi"]["adl.nav.request"] == "suspendAll"
    assert first["attempt_state"] == "active"

    again = Player(browser)
    try:
        resumed = again.open(url)
        assert resumed["entry"] == "resume"
        assert resumed["initial_state"]["cmi.location"] == "4"
        assert resumed["initial_state"]["cmi.total_time"] != "PT0H0M0S"
        again.content.locator("#butNext").wait_for()
    finally:
        again.close()


def test_scorm2004_runtime_advanced_calls_interactions_objectives_and_statements(
        cairn: Cairn, player: Player) -> None:
    package = cairn.upload(shared_package("scorm2004-3rd-golf-RunTimeAdvancedCalls"))
    url = cairn.launch(learner="golfer-adv", learner_name="Alex", course=package["course_id"])
    config = player.open(url)
    _next_pages(player, 14)
    quiz = player.content.frame_locator("#contentFrame")
    quiz.locator("input[type=radio]").first.wait_for()
    for radio in quiz.locator("input[type=radio]").all()[::4]:
        radio.check()
    for field in quiz.locator("input[type=text]").all():
        field.fill("18")
    quiz.locator("input[value='Submit Answers']").click()
    player.content.locator("#butExit").click()
    player.page.locator("#cairn-ended").wait_for()
    done = cairn.wait_for_session(config["session_id"], lambda s: s["state"] == "terminated")
    assert done["completion_status"] == "completed"
    assert done["success_status"] in ("passed", "failed")
    assert done["score"]["raw"] is not None and done["score"]["max"] == 100
    assert len(done["interactions"]) >= 10
    first = done["interactions"][0]
    assert first["id"].startswith("com.scorm.golfsamples.interactions.")
    assert first["type"] in ("choice", "true-false", "numeric")
    assert first["correct_responses"] and first["objectives"]
    assert first["result"] in ("correct", "incorrect")
    assert {objective["id"] for objective in done["objectives"]} >= {"obj_playing",
                                                                     "obj_etiquette"}
    answered = [statement for statement in cairn.statements()
                if statement["verb"]["display"]["en-US"] == "answered"]
    assert len(answered) == len(done["interactions"])
    assert answered[0]["object"]["definition"]["type"] == \
        "http://adlnet.gov/expapi/activities/cmi.interaction"
    assert {"scored", "completed", "terminated"} <= set(_verbs(cairn))
    assert player.errors == []
