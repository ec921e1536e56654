"""``cairn forwarding ...`` against the test database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cairn import cli
from cairn.config import Settings
from cairn.db.engine import Database
from cairn.outbound.crypto import secret_box
from cairn.outbound.forwarding import store

VERB = "http://adlnet.gov/expapi/verbs/completed"


def test_create_list_pause_resume_password_redeliver_and_delete(
        tmp_path: Path, database: Database, settings: Settings) -> None:
    runner = CliRunner()
    env = {"CAIRN_DATABASE_URL": database.url, "CAIRN_DATA_DIR": str(tmp_path / "data"),
           "CAIRN_SECRET_KEY": settings.resolved_secret_key(),
           "CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}

    def run(*args: str, code: int = 0, given: str | None = None,
            password_env: str | None = None) -> str:
        extra = {} if password_env is None else {"CAIRN_FORWARDING_PASSWORD": password_env}
        result = runner.invoke(cli.app, ["forwarding", *args], env={**env, **extra},
                               input=given)
        assert result.exit_code == code, result.output
        return result.output

    def stored_password(rule_id: int) -> str:
        with database.reading() as conn:
            row = store.rule(conn, rule_id)
        assert row is not None
        return secret_box(settings.resolved_secret_key()).open(row["password_encrypted"])

    created = run("create", "--name", "corporate", "--endpoint", "http://127.0.0.1:9/xapi/",
                  "--username", "key", "--verb", VERB, given="s3cret\n")
    assert "rule 1: http://127.0.0.1:9/xapi/" in created
    assert "s3cret" not in created  # the prompt hides it
    assert stored_password(1) == "s3cret"
    assert run("list") == f"1\tactive\tcorporate\thttp://127.0.0.1:9/xapi/\txAPI 1.0.3\t{VERB}\n"
    assert "\tdisabled\t" in run("pause", "1")
    assert "\tactive\t" in run("resume", "1")
    run("set-password", "1", password_env="n3w")
    assert stored_password(1) == "n3w"
    assert "0 statements queued again" in run("redeliver-failed", "1")
    assert "xapi-version: '3.0' is not" in run(
        "create", "--name", "x", "--endpoint", "http://127.0.0.1:9/xapi/", "--username", "k",
        "--xapi-version", "3.0", password_env="p", code=1)
    assert "username: must not contain ':'" in run(
        "create", "--name", "x", "--endpoint", "http://127.0.0.1:9/xapi/", "--username", "a:b",
        password_env="p", code=1)
    assert "rule 1 deleted" in run("delete", "1")
    assert "does not exist" in run("delete", "1", code=1)
    assert "does not exist" in run("pause", "1", code=1)
    assert run("list") == ""
