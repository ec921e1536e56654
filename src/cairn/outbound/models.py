"""What the webhooks API accepts and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from cairn.clock import now_us, us_to_iso


class WebhookIn(BaseModel):
    url: str = Field(min_length=1, max_length=2000)
    event_types: list[str] = Field(min_length=1, max_length=20)
    filters: dict[str, list[str]] = Field(default_factory=dict)
    description: str = Field(default="", max_length=200)
    active: bool = True


class WebhookPatch(BaseModel):
    """Only the fields present change; ``active: true`` also clears a disabled reason."""

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=20)
    filters: dict[str, list[str]] | None = None
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = None


def _iso(us: int | None) -> str | None:
    return us_to_iso(us) if us is not None else None


@dataclass(frozen=True)
class Subscription:
    """A webhook subscription as admins see it (never with its secret)."""

    id: int
    url: str
    description: str
    event_types: list[str]
    filters: dict[str, list[str]]
    active: bool
    consecutive_failures: int
    disabled_reason: str | None
    disabled_us: int | None
    created_us: int
    updated_us: int
    # Until when the secret a rotation replaced also signs (None: it does not).
    old_secret_until_us: int | None = None

    @classmethod
    def from_row(cls, row: RowMapping, event_types: list[str]) -> Subscription:
        return cls(id=row["id"], url=row["url"], description=row["description"],
                   event_types=event_types, filters=orjson.loads(row["filters"]),
                   active=bool(row["is_active"]),
                   consecutive_failures=row["consecutive_failures"],
                   disabled_reason=row["disabled_reason"], disabled_us=row["disabled_us"],
                   created_us=row["created_us"], updated_us=row["updated_us"],
                   old_secret_until_us=row["previous_secret_until_us"])

    def to_json(self) -> dict[str, Any]:
        """The API's view; the old secret's end only while it still signs."""
        until = self.old_secret_until_us
        return {"id": self.id, "url": self.url, "description": self.description,
                "event_types": self.event_types, "filters": self.filters,
                "active": self.active, "consecutive_failures": self.consecutive_failures,
                "disabled_reason": self.disabled_reason,
                "disabled_at": _iso(self.disabled_us),
                "created_at": us_to_iso(self.created_us),
                "updated_at": us_to_iso(self.updated_us),
                "old_secret_valid_until": _iso(until if until and until > now_us() else None)}


def attempt_json(row: RowMapping) -> dict[str, Any]:
    return {"id": row["id"], "attempted_at": us_to_iso(row["attempted_us"]),
            "outcome": row["outcome"], "status_code": row["status_code"],
            "latency_ms": row["latency_ms"], "response_excerpt": row["response_excerpt"],
            "error": row["error"], "worker_id": row["worker_id"]}


def delivery_json(row: RowMapping, attempts: list[RowMapping] | None = None) -> dict[str, Any]:
    """A delivery; with its payload and attempt log when ``attempts`` is given."""
    shaped: dict[str, Any] = {
        "id": row["id"], **_target(row), "event_id": row["event_id"],
        "event_type": row["event_type"], "status": row["status"],
        "attempts": row["attempts"],
        "next_attempt_at": _iso(row["next_attempt_us"]) if row["status"] == "pending" else None,
        "created_at": us_to_iso(row["created_us"]), "finished_at": _iso(row["finished_us"]),
        "last_status_code": row["last_status_code"], "last_error": row["last_error"]}
    if attempts is not None:
        shaped["payload"] = orjson.loads(row["payload"])
        shaped["attempt_log"] = [attempt_json(attempt) for attempt in attempts]
    return shaped


def _target(row: RowMapping) -> dict[str, Any]:
    if row["subscription_id"] is not None:
        return {"webhook_id": row["subscription_id"]}
    return {"rule_id": row["rule_id"]}
