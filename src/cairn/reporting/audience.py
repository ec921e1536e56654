"""Whose learner data a caller may read.

Admins and auditors see everyone; a manager sees the learners of the teams
they manage; a learner sees only the learner record linked to their sign-in
account. Reports apply this as a SQL condition on a ``learner_id`` column so
a hidden learner's rows are never read at all, and one learner the caller may
not see is answered as "not found" (never "forbidden", which would confirm it
exists).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, false, select

from cairn.accounts.models import Principal, Role
from cairn.catalog.learners import service as learners_service
from cairn.db.tables import learners, teams
from cairn.errors import NotFound

EVERYONE_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


@dataclass(frozen=True)
class Audience:
    """The caller's reach: everyone, a manager's teams, or one learner themself."""

    role: Role
    user_id: int | None

    @property
    def sees_everyone(self) -> bool:
        return self.role in EVERYONE_ROLES

    @property
    def read_only(self) -> bool:
        """Auditors read everything and change nothing."""
        return self.role != Role.ADMIN

    def learner_filter(self, column: ColumnElement[int]) -> ColumnElement[bool] | None:
        """``column IN (visible learner ids)``, or None when the caller sees everyone."""
        if self.sees_everyone:
            return None
        if self.user_id is None or self.role not in (Role.MANAGER, Role.LEARNER):
            return false()
        if self.role == Role.MANAGER:
            managed = select(teams.c.id).where(teams.c.manager_user_id == self.user_id)
            visible = select(learners.c.id).where(learners.c.team_id.in_(managed))
        else:
            visible = select(learners.c.id).where(learners.c.user_id == self.user_id)
        return column.in_(visible.scalar_subquery())

    def check_learner(self, conn: Connection, learner_id: int) -> None:
        """Raise NotFound unless the learner exists and the caller may see them."""
        query = select(learners.c.id).where(learners.c.id == learner_id)
        condition = self.learner_filter(learners.c.id)
        if condition is not None:
            query = query.where(condition)
        if conn.execute(query).first() is None:
            raise NotFound(f"there is no learner {learner_id}")


def audience_for(conn: Connection, principal: Principal) -> Audience:
    """The audience of an authenticated caller (a person or a REST token)."""
    viewer = learners_service.viewer_for(conn=conn, principal=principal)
    return Audience(role=viewer.role, user_id=viewer.user_id)
