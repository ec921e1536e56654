"""``cairn tokens create --user``: a token that acts as a person reads what they may see."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.reporting_world import World
from typer.testing import CliRunner

from cairn import cli
from cairn.accounts import service as accounts
from cairn.accounts.models import Role
from cairn.config import Settings
from cairn.db.engine import Database


def test_a_manager_token_made_by_the_cli_reads_their_team_only(
        tmp_path: Path, database: Database, settings: Settings, client: TestClient) -> None:
    with database.writing() as conn:
        boss = accounts.create_user(conn=conn, email="boss@example.org",
                                    password="long enough pw", role=Role.MANAGER)
    world = World(database)
    mine = world.learner("mine", team_id=world.team("Mine", manager_user_id=boss))
    theirs = world.learner("theirs", team_id=world.team("Theirs"))
    _, package, [lesson] = world.course("Course", lessons_count=1)
    world.session(mine, lesson, package, start=0)
    world.session(theirs, lesson, package, start=1)

    env = {"CAIRN_DATABASE_URL": database.url, "CAIRN_DATA_DIR": str(tmp_path / "data"),
           "CAIRN_SECRET_KEY": settings.resolved_secret_key()}
    runner = CliRunner()
    made = runner.invoke(cli.app, ["tokens", "create", "--name", "boss reports", "--user",
                                   "Boss@Example.org"], env=env)
    assert made.exit_code == 0, made.output
    token = made.output.split("token: ")[1].strip()
    listed = client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"})
    assert [item["learner"]["external_id"] for item in listed.json()["sessions"]] == ["mine"]

    wrong_role = runner.invoke(cli.app, ["tokens", "create", "--name", "x", "--user",
                                         "boss@example.org", "--role", "admin"], env=env)
    assert wrong_role.exit_code == 1
    assert "boss@example.org has the role manager, not admin" in wrong_role.output
    nobody = runner.invoke(cli.app, ["tokens", "create", "--name", "x", "--user",
                                     "ghost@example.org"], env=env)
    assert nobody.exit_code == 1 and "there is no user 'ghost@example.org'" in nobody.output
    neither = runner.invoke(cli.app, ["tokens", "create", "--name", "x"], env=env)
    assert neither.exit_code == 1 and "give a role" in neither.output
