"""HTTP helpers shared by the LRS resources: reading bodies, headers, principals."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from cairn.accounts.models import Principal
from cairn.clock import us_to_http_date, us_to_iso
from cairn.errors import InvalidInput, PayloadTooLarge
from cairn.xapi import version as versions

CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"


def xapi_version(request: Request) -> versions.XapiVersion:
    chosen = getattr(request.state, "xapi_version", None)
    return chosen if isinstance(chosen, versions.XapiVersion) else versions.LATEST


async def read_body(request: Request) -> bytes:
    limit = request.app.state.settings.xapi_max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"request body is larger than {limit} bytes")
    return bytes(body)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def parse_json(body: bytes, what: str) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"{what}: the body is not valid JSON ({exc})") from exc


def query_params(request: Request) -> dict[str, str]:
    """Query parameters as a dict, refusing repeated names (ambiguous filters)."""
    params: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in params:
            raise InvalidInput(f"{name}: given more than once")
        params[name] = value
    return params


def time_headers(*, last_modified_us: int, consistent_through_us: int | None = None
                 ) -> dict[str, str]:
    headers = {"Last-Modified": us_to_http_date(last_modified_us)}
    if consistent_through_us is not None:
        headers[CONSISTENT_THROUGH] = us_to_iso(consistent_through_us)
    return headers


def authority_for(principal: Principal, base_url: str) -> dict[str, Any]:
    """The Agent stamped as ``authority`` on statements this principal writes."""
    return {"objectType": "Agent", "name": principal.name,
            "account": {"homePage": base_url.rstrip("/") + "/xapi",
                        "name": f"{principal.kind}-{principal.id}"}}
