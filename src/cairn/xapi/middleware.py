"""Request plumbing every xAPI resource shares, done once before routing.

- Alternate request syntax (Communication 1.3): a form POST carrying
  ``method=`` is rewritten into the request it stands for, so handlers and
  authorization see an ordinary GET/PUT/POST/DELETE.
- Version negotiation (Communication 3.3): the request's version header is
  checked and the chosen version is put on ``scope["state"]``; every response
  carries the version it answers with.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cairn.errors import InvalidInput
from cairn.xapi import version as versions

PREFIX = "/xapi"


class _Refusal(Exception):
    """A request refused before routing, with the version its answer is labelled with."""

    def __init__(self, message: str, label: str) -> None:
        super().__init__(message)
        self.message = message
        self.label = label

UNVERSIONED_PATHS = frozenset({"/xapi/about", "/xapi/about/"})
ALTERNATE_METHODS = frozenset({"GET", "PUT", "POST", "DELETE"})
FORM_TYPE = "application/x-www-form-urlencoded"
HEADER_FIELDS = frozenset({"authorization", "x-experience-api-version", "content-type",
                           "content-length", "if-match", "if-none-match"})


class XapiMiddleware:
    """Applies alternate syntax and version rules to ``/xapi`` requests."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        try:
            scope, receive, chosen = await self._prepare(scope, receive)
        except _Refusal as refusal:
            await _send_error(send, 400, refusal.message, refusal.label)
            return
        answer = (chosen or versions.LATEST).answer

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-experience-api-version"]
                headers.append((b"x-experience-api-version", answer.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_version)

    async def _prepare(self, scope: Scope, receive: Receive
                       ) -> tuple[Scope, Receive, versions.XapiVersion | None]:
        """Rewrite alternate syntax, then pick the version; refuse what breaks the rules."""
        try:
            rewritten, receive = await self._rewrite_alternate(scope, receive)
        except InvalidInput as exc:
            label = versions.refusal_label(_header(scope, b"x-experience-api-version"))
            raise _Refusal(exc.message, label) from exc
        try:
            chosen = self._negotiate(rewritten)
        except InvalidInput as exc:
            label = versions.refusal_label(_header(rewritten, b"x-experience-api-version"))
            raise _Refusal(exc.message, label) from exc
        if chosen is not None and rewritten is not scope and not chosen.alternate_syntax:
            raise _Refusal(f"the alternate request syntax is not part of xAPI {chosen.answer}; "
                           f"send a {rewritten['method']} request", chosen.answer)
        if chosen is not None:
            rewritten.setdefault("state", {})["xapi_version"] = chosen
        return rewritten, receive, chosen

    def _negotiate(self, scope: Scope) -> versions.XapiVersion | None:
        header = _header(scope, b"x-experience-api-version")
        if scope["method"] == "OPTIONS" or scope["path"] in UNVERSIONED_PATHS:
            return versions.optional(header)
        return versions.negotiate(header)

    async def _rewrite_alternate(self, scope: Scope, receive: Receive) -> tuple[Scope, Receive]:
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"),
                          keep_blank_values=True)
        if scope["method"] != "POST" or not any(name == "method" for name, _ in query):
            return scope, receive
        if len(query) != 1:
            raise InvalidInput("alternate request syntax: 'method' must be the only query "
                               "parameter; send the others in the form body")
        method = query[0][1].upper()
        if method not in ALTERNATE_METHODS:
            raise InvalidInput(f"alternate request syntax: method {query[0][1]!r} is not "
                               "one of GET, PUT, POST, DELETE")
        content_type = (_header(scope, b"content-type") or "").split(";")[0].strip().lower()
        if content_type != FORM_TYPE:
            raise InvalidInput(f"alternate request syntax: Content-Type must be {FORM_TYPE}")
        form = parse_qsl((await _read_body(receive, self.max_body_bytes)).decode("utf-8"),
                         keep_blank_values=True)
        return _rebuild(scope, method, form)


def _rebuild(scope: Scope, method: str, form: list[tuple[str, str]]) -> tuple[Scope, Receive]:
    """Headers sent for real stay; form fields named like headers override them."""
    headers = {key.decode("latin-1").lower(): value.decode("latin-1")
               for key, value in scope["headers"]}
    headers["content-type"] = "application/json"
    params: list[tuple[str, str]] = []
    content = ""
    for name, value in form:
        lowered = name.lower()
        if lowered == "content":
            content = value
        elif lowered in HEADER_FIELDS:
            headers[lowered] = value
        else:
            params.append((name, value))
    body = content.encode("utf-8")
    headers["content-length"] = str(len(body))
    new_scope = dict(scope)
    new_scope["method"] = method
    new_scope["query_string"] = urlencode(params).encode("latin-1")
    new_scope["headers"] = [(k.encode("latin-1"), v.encode("latin-1"))
                            for k, v in headers.items()]
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return new_scope, replay


async def _read_body(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise InvalidInput(f"request body is larger than {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def _send_error(send: Send, status: int, message: str, answer: str) -> None:
    body = orjson.dumps({"error": "invalid_input", "message": message, "details": None})
    headers: list[Any] = [(b"content-type", b"application/json"),
                          (b"content-length", str(len(body)).encode()),
                          (b"x-experience-api-version", answer.encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
