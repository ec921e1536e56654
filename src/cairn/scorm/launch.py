"""Launching: the launch URL an API caller gets, and what one load of the player starts.

``POST /api/v1/launches`` only signs a play token (learner, package, first
lesson, mode); nothing is written. Each load of ``/play/{token}`` is one
launch: it opens a session (the attempt rules decide resume or new
attempt), records the read-only values handed out, and returns everything
the player page needs. A table of contents lets the learner move between
the package's lessons with the same token.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from cairn.accounts.models import Principal, Role
from cairn.catalog import content_access
from cairn.catalog import service as catalog
from cairn.catalog.learners import service as learners
from cairn.catalog.learners.models import Learner
from cairn.catalog.models import Lesson
from cairn.errors import InvalidInput, NotFound
from cairn.ids import Id32Field
from cairn.scorm import initial_state, tokens
from cairn.sessions import journal
from cairn.sessions import service as sessions
from cairn.sessions.models import Mode


class LaunchIn(BaseModel):
    """A request to launch: who, what (a lesson, or a course's first lesson), how."""

    model_config = ConfigDict(extra="forbid")

    learner: Id32Field | str = Field(description="Cairn learner id, or the learner's external id "
                                           "(created on first launch)")
    learner_name: str = Field(default="", max_length=200)
    lesson: Id32Field | None = None
    course: Id32Field | None = None
    mode: Mode = "normal"
    new_attempt: bool = False


class LaunchOut(BaseModel):
    launch_url: str
    token: str
    expires_at: int
    learner_id: int
    package_id: int
    lesson_id: int


@dataclass(frozen=True)
class Secrets:
    """What launching needs from the settings."""

    secret: str
    launch_ttl: float
    content_ttl: float
    base_url: str
    # The longest cmi.suspend_data the player accepts (characters).
    suspend_data_limit_12: int = 4096
    suspend_data_limit_2004: int = 4 * 1024 * 1024


def create_launch(*, conn: Connection, request: LaunchIn, principal: Principal | None,
                  secrets: Secrets, base_url: str) -> LaunchOut:
    """Sign a launch for a learner the caller may see; return its URL."""
    learner = _learner(conn, request, principal)
    lesson = _lesson(conn, request, learner.id)
    now = int(clock.time())
    grant = tokens.PlayGrant(learner_id=learner.id, package_id=lesson.package_id,
                             lesson_id=lesson.id, mode=request.mode,
                             new_attempt=request.new_attempt, issued=now * 1_000_000,
                             expires=now + int(secrets.launch_ttl))
    token = tokens.issue_play(grant, secrets.secret)
    return LaunchOut(launch_url=f"{base_url}/play/{token}", token=token,
                     expires_at=grant.expires, learner_id=learner.id,
                     package_id=lesson.package_id, lesson_id=lesson.id)


def _learner(conn: Connection, request: LaunchIn, principal: Principal | None) -> Learner:
    viewer = learners.viewer_for(conn=conn, principal=principal) if principal else None
    if isinstance(request.learner, int):
        return learners.get_learner(conn=conn, learner_id=request.learner, viewer=viewer)
    found = learners.find_learner(conn=conn, external_id=request.learner)
    if found is None:
        if principal is not None and principal.role is not Role.ADMIN:
            raise NotFound(f"learner: there is no learner {request.learner!r} (only admins "
                           "create learners by launching)")
        return learners.ensure_learner(conn=conn, external_id=request.learner,
                                       name=request.learner_name)
    return learners.get_learner(conn=conn, learner_id=found.id, viewer=viewer)


def _lesson(conn: Connection, request: LaunchIn, learner_id: int) -> Lesson:
    if (request.lesson is None) == (request.course is None):
        raise InvalidInput("give either lesson or course")
    if request.lesson is not None:
        lesson = catalog.get_lesson(conn=conn, lesson_id=request.lesson)
        if lesson.launch_url is None:
            raise InvalidInput(f"lesson: lesson {lesson.id} ({lesson.title!r}) launches nothing; "
                               "it groups other lessons")
        return lesson
    assert request.course is not None
    package_id = sessions.active_package_of_course(conn=conn, learner_id=learner_id,
                                                   course_id=request.course)
    if package_id is None:
        package_id = catalog.latest_package(conn=conn, course_id=request.course).id
    return catalog.first_launchable(conn=conn, package_id=package_id)


# --- one load of the player -----------------------------------------------------------


class TocEntry(BaseModel):
    lesson_id: int
    title: str
    depth: int
    url: str | None
    current: bool


class PlayerPage(BaseModel):
    """Everything ``player.html`` and ``player.js`` need for one session."""

    version: str
    session_id: int
    course_title: str
    lesson_title: str
    learner_name: str
    mode: str
    entry: str
    content_url: str
    commit_url: str
    initial_state: dict[str, str]
    suspend_data_limit: int
    journal: bool
    toc: list[TocEntry]
    previous_url: str | None
    next_url: str | None
    lessons_by_identifier: dict[str, str]


def start_play(*, conn: Connection, token: str, lesson_id: int | None,
               secrets: Secrets) -> PlayerPage:
    """Open a session for this load of the player and describe the page."""
    grant = tokens.read_play(token, secrets.secret)
    lessons = catalog.package_lessons(conn=conn, package_id=grant.package_id)
    wanted = lesson_id if lesson_id is not None else grant.lesson_id
    lesson = next((item for item in lessons if item.id == wanted and item.launch_url), None)
    if lesson is None:
        raise NotFound(f"lesson {wanted} is not a launchable lesson of this package")
    learner = learners.get_learner(conn=conn, learner_id=grant.learner_id)
    version = initial_state.version_of(lesson)
    started = sessions.attempt_started_us(conn=conn, learner_id=learner.id, lesson_id=lesson.id)
    opened = sessions.open_session(
        conn=conn, mode=grant.mode, base_url=secrets.base_url,  # type: ignore[arg-type]
        target=sessions.LaunchTarget(learner_id=learner.id, lesson_id=lesson.id,
                                     package_id=lesson.package_id, standard=lesson.standard),
        carry_over=initial_state.carry_over(version),
        new_attempt=grant.new_attempt and started is not None and started < grant.issued)
    launch = initial_state.launch_values(lesson=lesson, learner=learner, mode=grant.mode,
                                         credit=opened.credit, entry=opened.entry,
                                         total_time_cs=opened.prior_total_time_cs)
    sessions.set_launch_values(conn=conn, session_id=opened.session_id, values=launch)
    return _page(conn, token=token, lesson=lesson, lessons=lessons, learner=learner,
                 opened=opened, launch=launch, secrets=secrets)


def _page(conn: Connection, *, token: str, lesson: Lesson, lessons: list[Lesson],
          learner: Learner, opened: sessions.Opened, launch: dict[str, str],
          secrets: Secrets) -> PlayerPage:
    package = catalog.get_package(conn=conn, package_id=lesson.package_id)
    content_token = content_access.issue(lesson.package_id, secrets.secret, secrets.content_ttl)
    assert lesson.launch_url is not None
    separator = "&" if "?" in lesson.launch_url.split("#")[0] else "?"
    path, _, fragment = lesson.launch_url.partition("#")
    content_url = (f"/content/{lesson.package_id}/{path}{separator}"
                   f"{content_access.QUERY_PARAMETER}={content_token}"
                   + (f"#{fragment}" if fragment else ""))
    launchable = [item for item in lessons if item.launch_url and item.is_visible]
    index = next((n for n, item in enumerate(launchable) if item.id == lesson.id), None)

    def url(item: Lesson | None) -> str | None:
        return f"/play/{token}?lesson={item.id}" if item is not None else None

    neighbours: dict[str, Any] = {
        "previous_url": url(launchable[index - 1]) if index else None,
        "next_url": url(launchable[index + 1]) if index is not None and index + 1 < len(
            launchable) else None}
    return PlayerPage(
        version=initial_state.version_of(lesson), session_id=opened.session_id,
        course_title=package.title, lesson_title=lesson.title,
        learner_name=learner.name or learner.external_id,
        mode=launch.get("cmi.mode") or launch.get("cmi.core.lesson_mode") or "normal",
        entry=opened.entry, content_url=content_url,
        commit_url=f"/api/v1/runtime/{tokens.issue_session(opened.session_id, secrets.secret)}"
                   "/commit",
        initial_state=initial_state.initial_state(lesson=lesson, launch=launch,
                                                  carried=opened.cmi),
        suspend_data_limit=(secrets.suspend_data_limit_12 if lesson.standard == "scorm12"
                            else secrets.suspend_data_limit_2004),
        journal=journal.is_traced(conn=conn, learner_id=learner.id),
        toc=[TocEntry(lesson_id=item.id, title=item.title, depth=item.depth,
                      url=url(item) if item.launch_url else None, current=item.id == lesson.id)
             for item in lessons if item.is_visible],
        lessons_by_identifier={item.identifier: url(item) or "" for item in launchable},
        **neighbours)
