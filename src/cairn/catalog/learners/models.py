"""Learners and teams as the API and other contexts see them."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import RowMapping

from cairn.accounts.models import Role
from cairn.clock import us_to_iso
from cairn.ids import Id32Field


class LearnerChanges(BaseModel):
    """Fields of a learner that may be set or changed; ``null`` clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    email: str | None = Field(default=None, max_length=320)
    employee_id: str | None = Field(default=None, min_length=1, max_length=100)
    name: str = Field(default="", max_length=200)
    team: str | None = Field(default=None, min_length=1, max_length=200,
                             description="team name; the team is created if new")
    manager: str | None = Field(default=None, max_length=200,
                                description="the learner's manager as HR names them")
    user_id: Id32Field | None = Field(default=None,
                                      description="the sign-in account of this learner")


class LearnerIn(LearnerChanges):
    external_id: str = Field(min_length=1, max_length=200,
                             description="stable id from the system of record")


class TeamRef(BaseModel):
    id: int
    name: str


class Learner(BaseModel):
    id: int
    external_id: str
    email: str | None
    employee_id: str | None
    name: str
    team: TeamRef | None
    manager: str | None
    user_id: int | None
    created_at: str
    updated_at: str

    @classmethod
    def from_row(cls, row: RowMapping) -> Learner:
        team = (TeamRef(id=row["team_id"], name=row["team_name"])
                if row["team_id"] is not None else None)
        return cls(id=row["id"], external_id=row["external_id"], email=row["email"],
                   employee_id=row["employee_id"], name=row["name"], team=team,
                   manager=row["manager"], user_id=row["user_id"],
                   created_at=us_to_iso(row["created_us"]),
                   updated_at=us_to_iso(row["updated_us"]))


class TeamChanges(BaseModel):
    """A team's fields for PATCH: only those given change (``null`` removes the manager)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    manager_user_id: Id32Field | None = Field(
        default=None, description="the user (role manager) who sees this team's learners")


class TeamIn(TeamChanges):
    name: str = Field(min_length=1, max_length=200)


class Team(BaseModel):
    id: int
    name: str
    manager_user_id: int | None
    created_at: str

    @classmethod
    def from_row(cls, row: RowMapping) -> Team:
        return cls(id=row["id"], name=row["name"], manager_user_id=row["manager_user_id"],
                   created_at=us_to_iso(row["created_us"]))


@dataclass(frozen=True)
class Viewer:
    """Who is asking, for scoping: managers see their teams, learners themselves."""

    role: Role
    user_id: int | None

    @property
    def sees_everyone(self) -> bool:
        return self.role in (Role.ADMIN, Role.AUDITOR)
