"""Settings: documented, and refusing guessable secrets in production."""

from __future__ import annotations

from pathlib import Path

import pytest

from cairn.config import InsecureSettings, Settings

DOCS = Path(__file__).parents[2] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text()
    missing = [name for name in Settings.model_fields if f"`CAIRN_{name.upper()}`" not in text]
    assert missing == []


def test_production_refuses_a_missing_secret(tmp_path: Path) -> None:
    settings = Settings(env="production", data_dir=tmp_path)
    with pytest.raises(InsecureSettings, match="CAIRN_SECRET_KEY"):
        settings.resolved_secret_key()


@pytest.mark.parametrize("weak", ["change-me", "secret", "short-but-not-default"])
def test_production_refuses_weak_secrets(tmp_path: Path, weak: str) -> None:
    settings = Settings(env="production", data_dir=tmp_path, secret_key=weak)
    with pytest.raises(InsecureSettings):
        settings.resolved_secret_key()


def test_production_accepts_a_strong_secret(tmp_path: Path) -> None:
    strong = "x" * 48
    assert Settings(env="production", data_dir=tmp_path, secret_key=strong
                    ).resolved_secret_key() == strong


def test_development_generates_and_keeps_a_secret(tmp_path: Path) -> None:
    first = Settings(data_dir=tmp_path).resolved_secret_key()
    second = Settings(data_dir=tmp_path).resolved_secret_key()
    assert first == second
    assert len(first) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_variables_use_the_cairn_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAIRN_PORT", "9123")
    monkeypatch.setenv("CAIRN_HOST", "0.0.0.0")
    settings = Settings()
    assert (settings.host, settings.port) == ("0.0.0.0", 9123)
