"""statement.stored: streamed after an LRS POST, opt-in, and one indexed query when unused."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from tests.integration.outbound.support import Receiver, run_until_idle

from cairn.db.engine import Database
from cairn.db.tables import outbound_deliveries
from cairn.outbound import signing
from cairn.outbound.delivery import DeliveryJob

Subscribe = Callable[..., tuple[int, str]]


def _statement(verb: str = "completed") -> dict[str, object]:
    return {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:ada@example.org"},
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
            "object": {"id": "http://example.org/course/1"}}


def _outbox_size(database: Database) -> int:
    with database.reading() as conn:
        return int(conn.execute(select(func.count()).select_from(outbound_deliveries)).scalar())


def test_stored_statements_reach_subscribers_that_opted_in(
        client: TestClient, lrs_auth: dict[str, str], database: Database,
        receiver: Receiver, subscribe: Subscribe,
        make_job: Callable[..., DeliveryJob]) -> None:
    _, secret = subscribe(receiver.url, ["statement.stored"])
    other = Receiver().start()
    try:
        subscribe(other.url, ["session.passed", "session.failed"])
        batch = [_statement("completed"), _statement("passed")]
        assert client.post("/xapi/statements", json=batch, headers=lrs_auth).status_code == 200
        run_until_idle(make_job(), database)
        assert other.received == [], "statement.stored is opt-in"
    finally:
        other.stop()
    got = receiver.wait_for(2)
    bodies = [entry.json() for entry in got]
    assert {body["type"] for body in bodies} == {"statement.stored"}
    assert {body["data"]["statement"]["id"] for body in bodies} == {s["id"] for s in batch}
    stored = bodies[0]["data"]["statement"]
    assert stored["stored"] == bodies[0]["occurred_at"] and "authority" in stored
    for entry in got:
        signing.verify(secret, entry.headers, entry.body,
                       now=int(entry.headers[signing.TIMESTAMP_HEADER]))
    # The same statement again is not a new statement: no new event.
    assert client.post("/xapi/statements", json=batch[0], headers=lrs_auth).status_code == 200
    assert _outbox_size(database) == 2


def test_a_rejected_batch_leaves_no_event_behind(
        client: TestClient, lrs_auth: dict[str, str], database: Database,
        receiver: Receiver, subscribe: Subscribe) -> None:
    subscribe(receiver.url, ["statement.stored"])
    broken = {"actor": {"mbox": "not-a-mailbox"}, "verb": {"id": "x"}, "object": {"id": "y"}}
    answer = client.post("/xapi/statements", json=[_statement(), broken], headers=lrs_auth)
    assert answer.status_code == 400
    assert _outbox_size(database) == 0


@contextmanager
def _counting(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def test_without_subscribers_storing_costs_one_indexed_lookup(
        client: TestClient, lrs_auth: dict[str, str], database: Database) -> None:
    with _counting(database) as seen:
        answer = client.post("/xapi/statements", json=[_statement(), _statement()],
                             headers=lrs_auth)
    assert answer.status_code == 200
    outbound = [sql for sql in seen if "webhook_" in sql or "outbound_" in sql]
    assert len(outbound) == 1 and "webhook_subscription_events.event_type" in outbound[0]
    assert _outbox_size(database) == 0
