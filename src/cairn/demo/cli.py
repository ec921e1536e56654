"""``cairn demo``: import the demo course and hand out launch links for a demo learner."""

from __future__ import annotations

from cairn import demo
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.scorm import launch

DEMO_LEARNER = "demo-learner"


def run_demo(*, database: Database, settings: Settings) -> str:
    """Install the demo lessons (once) and describe them with fresh launch links."""
    courses = demo.install(database=database, settings=settings)
    base_url = (settings.base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    secrets = launch.Secrets(secret=settings.resolved_secret_key(),
                             launch_ttl=settings.launch_token_ttl_seconds,
                             content_ttl=settings.content_token_ttl_seconds,
                             base_url=settings.base_url)
    lines = []
    with database.writing() as conn:
        for course in courses:
            created = launch.create_launch(
                conn=conn, principal=None, secrets=secrets, base_url=base_url,
                request=launch.LaunchIn(learner=DEMO_LEARNER, learner_name="Demo Learner",
                                        course=course.course_id))
            state = "imported" if course.imported else "already there"
            lines.append(f"{course.identifier} (course {course.course_id}, {state})\n"
                         f"  launch as {DEMO_LEARNER}: {created.launch_url}")
    return "\n".join(lines)
