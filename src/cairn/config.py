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
    secret_key: SecretStr | None = None
    base_url: str = ""
    log_level: str = "info"
    xapi_max_body_bytes: int = Field(default=50 * 1024 * 1024, ge=1024)
    xapi_max_limit: int = Field(default=500, ge=1)
    cors_origins: str = "*"
    worker_interval_seconds: float = Field(default=5.0, gt=0)
    db_pool_size: int = Field(default=10, ge=1)

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
