"""Settings, read once from ``CAIRN_*`` environment variables.

Every knob Cairn has lives here so operators find them in one place and the
docs test (tests/unit/test_settings_documented.py) can prove each is documented.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

WEAK_SECRETS = frozenset({"", "secret", "changeme", "change-me", "cairn", "development"})
MIN_SECRET_LENGTH = 32


class InsecureSettings(RuntimeError):
    """Raised at start-up when production mode would run with a guessable secret."""


class Settings(BaseSettings):
    """Cairn's configuration. Each field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="CAIRN_", extra="ignore")

    env: Literal["development", "production"] = "development"
    database_url: str = "sqlite:///./var/cairn.db"
    data_dir: Path = Path("./var/data")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    http_workers: int = Field(default=1, ge=1)
    secret_key: SecretStr | None = None
    base_url: str = ""
    log_level: str = "info"
    xapi_max_body_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    xapi_max_limit: int = Field(default=100, ge=1)
    cors_origins: str = "*"
    worker_interval_seconds: float = Field(default=5.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)
    package_max_bytes: int = Field(default=512 * 1024 * 1024, ge=1024)
    package_max_unpacked_bytes: int = Field(default=2 * 1024 * 1024 * 1024, ge=1024)
    package_max_ratio: float = Field(default=200.0, ge=1)
    package_max_files: int = Field(default=20_000, ge=1)
    content_token_ttl_seconds: int = Field(default=12 * 3600, ge=60)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    webhook_max_age_hours: float = Field(default=72.0, gt=0)
    webhook_disable_after: int = Field(default=20, ge=1)
    webhook_allow_private_targets: bool = False
    webhook_concurrency: int = Field(default=8, ge=1, le=100)
    webhook_retention_days: float = Field(default=30.0, gt=0)
    scorm12_suspend_data_limit: Literal["strict", "lenient"] = "lenient"
    session_auto_close_days: float = Field(default=30.0, gt=0)
    journal_retention_days: float = Field(default=30.0, gt=0)
    launch_token_ttl_seconds: int = Field(default=24 * 3600, ge=60)
    runtime_max_commit_bytes: int = Field(default=16 * 1024 * 1024, ge=64 * 1024)

    def resolved_secret_key(self) -> str:
        """Return the secret used to sign tokens and encrypt stored credentials.

        Production refuses to start without a strong explicit secret. Development
        generates one and keeps it in the data directory so restarts keep
        sessions and encrypted values readable.
        """
        given = self.secret_key.get_secret_value() if self.secret_key else None
        if given is not None and given.lower() not in WEAK_SECRETS:
            if self.env == "production" and len(given) < MIN_SECRET_LENGTH:
                raise InsecureSettings(
                    f"CAIRN_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters"
                )
            return given
        if self.env == "production":
            raise InsecureSettings(
                "CAIRN_SECRET_KEY is unset or a well-known default; refusing to run in "
                "production mode (set a random value of 32+ characters)"
            )
        return self._development_secret()

    def _development_secret(self) -> str:
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value)
        path.chmod(0o600)
        return value
