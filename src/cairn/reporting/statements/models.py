"""What a statements list is narrowed to, and the shape of its JSON answer.

The JSON items are built as plain dicts (:mod:`.fields`) for speed; the
models here describe them in the OpenAPI schema, and the tests hold every
answer to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

VoidedChoice = Literal["exclude", "include", "only"]
VOIDED_CHOICES: tuple[VoidedChoice, ...] = ("exclude", "include", "only")


@dataclass(frozen=True)
class StatementFilters:
    """The filters of one request; None means "any"."""

    agent: str | None = None
    learner_id: int | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_agents: bool = False
    related_activities: bool = False
    since_us: int | None = None
    until_us: int | None = None
    voided: VoidedChoice = "exclude"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActorOut(_Out):
    name: str | None
    object_type: str
    ifi_kind: Literal["mbox", "mbox_sha1sum", "openid", "account"] | None
    ifi: str | None


class VerbOut(_Out):
    id: str
    display: str | None


class ObjectOut(_Out):
    id: str | None
    type: str
    name: str | None


class ResultOut(_Out):
    completion: bool | None
    success: bool | None
    score_scaled: float | None
    score_raw: float | None
    duration: str | None


class ContextOut(_Out):
    registration: str | None


class StatementItem(_Out):
    """One statement: its common fields, and the statement itself as stored."""

    id: str
    stored: str
    timestamp: str | None
    voided: bool
    actor: ActorOut
    verb: VerbOut
    object: ObjectOut
    result: ResultOut
    context: ContextOut
    authority_name: str | None
    version: str | None
    statement: dict[str, Any]


class StatementPage(_Out):
    statements: list[StatementItem]
    next_cursor: str | None
