"""``cairn webhooks ...`` against the test database."""

from __future__ import annotations

from pathlib import Path

from tests.integration.outbound.support import Receiver
from typer.testing import CliRunner

from cairn import cli
from cairn.config import Settings
from cairn.db.engine import Database


def test_create_list_test_rotate_and_delete(tmp_path: Path, database: Database,
                                            settings: Settings, receiver: Receiver) -> None:
    runner = CliRunner()
    env = {"CAIRN_DATABASE_URL": database.url, "CAIRN_DATA_DIR": str(tmp_path / "data"),
           "CAIRN_SECRET_KEY": settings.resolved_secret_key(),
           "CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS": "true"}

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli.app, ["webhooks", *args], env=env)
        assert result.exit_code == code, result.output
        return result.output

    created = run("create", "--url", receiver.url, "--event", "session.passed",
                  "--event", "session.failed", "--filter", "course=12")
    assert "webhook 1:" in created and "whsec_" in created
    listed = run("list")
    assert "1\tactive\t" + receiver.url in listed and "session.failed,session.passed" in listed
    assert "queued test delivery" in run("test", "1")
    rotated = run("rotate-secret", "1")
    new_secret = rotated.split("secret:")[1].split()[0]
    assert new_secret.startswith("whsec_") and new_secret not in created
    assert "old secret: also signs until 20" in rotated
    assert "old secret: ended" in run("rotate-secret", "1", "--keep-old-hours", "0")
    bad = run("create", "--url", receiver.url, "--event", "session.nope", code=1)
    assert "event_types: unknown 'session.nope'" in bad
    assert "not KEY=VALUE" in run("create", "--url", receiver.url, "--event", "session.passed",
                                  "--filter", "course", code=1)
    assert "deleted webhook 1" in run("delete", "1")
    assert "does not exist" in run("delete", "1", code=1)
    assert run("list") == ""
