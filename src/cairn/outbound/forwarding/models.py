"""What the forwarding API accepts and answers (never the password)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import orjson
from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from cairn.clock import us_to_iso

XapiVersionName = Literal["1.0.3", "2.0.0"]


class RuleIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    endpoint: str = Field(min_length=1, max_length=2000)
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)
    xapi_version: XapiVersionName = "1.0.3"
    verbs: list[str] = Field(default_factory=list, max_length=100)
    activities: list[str] = Field(default_factory=list, max_length=100)
    active: bool = True


class RulePatch(BaseModel):
    """Only the fields present change; ``active: true`` also clears a disabled reason."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    endpoint: str | None = Field(default=None, min_length=1, max_length=2000)
    username: str | None = Field(default=None, min_length=1, max_length=200)
    password: str | None = Field(default=None, min_length=1, max_length=1000)
    xapi_version: XapiVersionName | None = None
    verbs: list[str] | None = Field(default=None, max_length=100)
    activities: list[str] | None = Field(default=None, max_length=100)
    active: bool | None = None


@dataclass(frozen=True)
class Rule:
    """A forwarding rule as administrators see it."""

    id: int
    name: str
    endpoint: str
    username: str
    xapi_version: str
    verbs: list[str]
    activities: list[str]
    active: bool
    consecutive_failures: int
    disabled_reason: str | None
    disabled_us: int | None
    created_us: int
    updated_us: int

    @classmethod
    def from_row(cls, row: RowMapping) -> Rule:
        return cls(id=row["id"], name=row["name"], endpoint=row["endpoint"],
                   username=row["username"], xapi_version=row["xapi_version"],
                   verbs=orjson.loads(row["verbs"]), activities=orjson.loads(row["activities"]),
                   active=bool(row["is_active"]),
                   consecutive_failures=row["consecutive_failures"],
                   disabled_reason=row["disabled_reason"], disabled_us=row["disabled_us"],
                   created_us=row["created_us"], updated_us=row["updated_us"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "endpoint": self.endpoint,
                "username": self.username, "xapi_version": self.xapi_version,
                "verbs": self.verbs, "activities": self.activities, "active": self.active,
                "consecutive_failures": self.consecutive_failures,
                "disabled_reason": self.disabled_reason,
                "disabled_at": us_to_iso(self.disabled_us) if self.disabled_us else None,
                "created_at": us_to_iso(self.created_us),
                "updated_at": us_to_iso(self.updated_us)}
