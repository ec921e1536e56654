"""SQL for forwarding rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from cairn.db.tables import forwarding_rules

rules = forwarding_rules


def insert_rule(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(rules).values(**values).returning(rules.c.id)).scalar_one())


def update_rule(conn: Connection, rule_id: int, **values: Any) -> None:
    conn.execute(update(rules).where(rules.c.id == rule_id).values(**values))


def delete_rule(conn: Connection, rule_id: int) -> bool:
    return conn.execute(delete(rules).where(rules.c.id == rule_id)).rowcount > 0


def rule(conn: Connection, rule_id: int) -> RowMapping | None:
    return conn.execute(select(rules).where(rules.c.id == rule_id)).mappings().first()


def list_rules(conn: Connection) -> list[RowMapping]:
    return list(conn.execute(select(rules).order_by(rules.c.id)).mappings())
