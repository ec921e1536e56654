"""The people and data every report test reads: two teams, three learners, two courses."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.reporting_world import EVIL_NAME, Scene, World

from cairn.accounts.models import Role
from cairn.db.engine import Database


@pytest.fixture()
def scene(database: Database, make_token: Callable[[Role], dict[str, str]],
          person: Callable[[str, Role], tuple[int, dict[str, str]]]) -> Scene:
    """Sessions s1..s5; the manager manages North (ada, bob); ada signs in as a learner."""
    world = World(database)
    manager_id, manager = person("boss@example.org", Role.MANAGER)
    ada_user, ada_headers = person("ada@example.org", Role.LEARNER)
    _, idle_manager = person("idle@example.org", Role.MANAGER)
    north = world.team("North", manager_user_id=manager_id)
    south = world.team("South")
    ada = world.learner("ada", "Ada Lovelace", north, user_id=ada_user, email="ada@example.org")
    bob = world.learner("bob", "Bob Babbage", north)
    eve = world.learner("eve", EVIL_NAME, south)
    safety, safety_package, safety_lessons = world.course("Safety", "scorm2004", 2)
    ethics, ethics_package, ethics_lessons = world.course("Ethics", "scorm12", 1)
    l1, l2 = safety_lessons
    [l3] = ethics_lessons
    sessions = {
        "s1": world.session(ada, l1, safety_package, start=0, minutes=20, completion="completed",
                            success="passed", scaled=0.9, raw=90, progress=1.0),
        "s2": world.session(ada, l2, safety_package, start=1, minutes=5, state="open",
                            completion="incomplete", progress=0.5),
        "s3": world.session(bob, l1, safety_package, start=2, minutes=30,
                            completion="completed", success="failed", scaled=0.4, raw=40),
        "s4": world.session(eve, l3, ethics_package, start=3, minutes=12, state="closed",
                            completion="completed", success="passed", raw=80),
        "s5": world.session(eve, l1, safety_package, start=5, minutes=1, state="open"),
    }
    headers = {role.value: make_token(role) for role in
               (Role.ADMIN, Role.AUDITOR, Role.AUTHOR)}
    headers |= {"manager": manager, "learner": ada_headers, "idle_manager": idle_manager}
    return Scene(world, headers, north, south, ada, bob, eve, safety, safety_package,
                 safety_lessons, ethics, ethics_package, ethics_lessons, sessions)
