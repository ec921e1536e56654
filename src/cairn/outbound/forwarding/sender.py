"""Posting a rule's batch of statements to the target LRS.

A 2xx stores the whole batch. A 409 means the target already has a statement
with one of these ids (from an earlier attempt whose answer was lost, or sent
there by someone else): the batch is then sent one statement at a time, in
order, and a 409 for a single statement counts as delivered. Anything else
fails the batch as a whole, so the rule's order is kept on retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from cairn import __version__
from cairn.outbound import outbox, sender
from cairn.xapi.attachments import AttachmentPart, build_multipart
from cairn.xapi.conversion import for_client
from cairn.xapi.version import VERSIONS, XapiVersion

PartsLoader = Callable[[set[str]], list[AttachmentPart]]


@dataclass(frozen=True)
class Forwarded:
    """One statement's result: the answer it got and whether it now is in the target."""

    answer: sender.Answer
    delivered: bool


def _version(name: str) -> XapiVersion:
    return next((version for version in VERSIONS if version.answer == name), VERSIONS[-1])


def forward(client: httpx.Client, batch: outbox.ClaimedBatch, *, password: str,
            timeout: float, load_parts: PartsLoader) -> list[Forwarded]:
    """Send ``batch`` (split on 409); one result per row, in row order."""
    version = _version(batch.xapi_version)
    statements = [for_client(orjson.loads(row.payload), version) for row in batch.rows]
    answer = _post(client, batch, statements, password=password, timeout=timeout,
                   load_parts=load_parts)
    accepted = answer.ok or (answer.status_code == 409 and len(statements) == 1)
    if accepted or answer.status_code != 409:
        return [Forwarded(answer, accepted)] * len(statements)
    results: list[Forwarded] = []
    for statement in statements:
        single = _post(client, batch, [statement], password=password, timeout=timeout,
                       load_parts=load_parts)
        results.append(Forwarded(single, single.ok or single.status_code == 409))
        if not results[-1].delivered:
            break
    return results + [results[-1]] * (len(statements) - len(results))


def _post(client: httpx.Client, batch: outbox.ClaimedBatch, statements: list[dict[str, Any]],
          *, password: str, timeout: float, load_parts: PartsLoader) -> sender.Answer:
    body = orjson.dumps(statements)
    content_type = "application/json"
    parts = load_parts(_hashes(statements))
    if parts:
        body, content_type = build_multipart(body, parts)
    headers = {"Content-Type": content_type, "X-Experience-API-Version": batch.xapi_version,
               "User-Agent": f"Cairn-Forwarding/{__version__}"}
    return sender.post(client, batch.endpoint + "statements", body=body, headers=headers,
                       timeout=timeout, auth=httpx.BasicAuth(batch.username, password))


def _hashes(statements: Iterable[dict[str, Any]]) -> set[str]:
    return {attachment["sha2"].lower() for statement in statements
            for attachment in statement.get("attachments") or ()}
