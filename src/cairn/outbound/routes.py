"""Webhook subscriptions and their deliveries over HTTP (administrators only).

``router`` also carries the forwarding rules' routes, so the app mounts the
whole outbound context with one ``include_router``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from cairn.accounts.authz import RequireRole
from cairn.accounts.models import Role
from cairn.clock import us_to_iso
from cairn.ids import Id32, Id64, id64_query
from cairn.outbound import service
from cairn.outbound.forwarding.routes import router as forwarding_router
from cairn.outbound.models import WebhookIn, WebhookPatch
from cairn.outbound.request_context import allow_private_targets, request_box

webhooks = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"],
                     dependencies=[Depends(RequireRole(Role.ADMIN))])


@webhooks.post("", status_code=201)
def create_webhook(body: WebhookIn, request: Request) -> dict[str, Any]:
    """Create a subscription; its signing secret is in this response and nowhere else."""
    with request.app.state.db.writing() as conn:
        subscription, secret = service.create_subscription(
            conn=conn, box=request_box(request), url=body.url, event_types=body.event_types,
            filters=body.filters, description=body.description, active=body.active,
            allow_private=allow_private_targets(request))
    return {**subscription.to_json(), "secret": secret}


@webhooks.get("")
def list_webhooks(request: Request) -> dict[str, Any]:
    """Webhook subscriptions with their event filters."""
    with request.app.state.db.reading() as conn:
        found = service.list_subscriptions(conn=conn)
    return {"webhooks": [subscription.to_json() for subscription in found]}


@webhooks.get("/deliveries/{delivery_id}")
def get_delivery(delivery_id: Id64, request: Request) -> dict[str, Any]:
    """One delivery with its payload and every attempt (status, latency, response excerpt)."""
    with request.app.state.db.reading() as conn:
        return service.get_delivery(conn=conn, delivery_id=delivery_id)


@webhooks.post("/deliveries/{delivery_id}/redeliver", status_code=202)
def redeliver(delivery_id: Id64, request: Request) -> dict[str, Any]:
    """Send a finished delivery again (same event id) with a fresh retry window."""
    with request.app.state.db.writing() as conn:
        return service.redeliver(conn=conn, delivery_id=delivery_id)


@webhooks.get("/{webhook_id}")
def get_webhook(webhook_id: Id32, request: Request) -> dict[str, Any]:
    """One webhook subscription (its secret is never shown again)."""
    with request.app.state.db.reading() as conn:
        return service.get_subscription(conn=conn, webhook_id=webhook_id).to_json()


@webhooks.patch("/{webhook_id}")
def update_webhook(webhook_id: Id32, body: WebhookPatch, request: Request) -> dict[str, Any]:
    """Change a webhook's URL, events, secret or active flag."""
    with request.app.state.db.writing() as conn:
        updated = service.update_subscription(conn=conn, webhook_id=webhook_id,
                                              changes=body.model_dump(exclude_unset=True),
                                              allow_private=allow_private_targets(request))
    return updated.to_json()


@webhooks.delete("/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: Id32, request: Request) -> Response:
    """Remove a webhook together with its pending and past deliveries."""
    with request.app.state.db.writing() as conn:
        service.delete_subscription(conn=conn, webhook_id=webhook_id)
    return Response(status_code=204)


@webhooks.post("/{webhook_id}/rotate-secret")
def rotate_secret(
    webhook_id: Id32, request: Request,
    keep_old_hours: Annotated[float, Query(
        ge=0, le=service.KEEP_OLD_SECRET_MAX_HOURS,
        description="how long deliveries are signed with the old secret too "
                    "(default 24; 0 ends it at once)")] = service.KEEP_OLD_SECRET_HOURS,
) -> dict[str, Any]:
    """Replace the signing secret; the new one is in this response and nowhere else."""
    with request.app.state.db.writing() as conn:
        secret, until = service.rotate_secret(conn=conn, box=request_box(request),
                                              webhook_id=webhook_id,
                                              keep_old_hours=keep_old_hours)
    return {"id": webhook_id, "secret": secret,
            "old_secret_valid_until": None if until is None else us_to_iso(until)}


@webhooks.post("/{webhook_id}/test", status_code=202)
def send_test(webhook_id: Id32, request: Request) -> dict[str, Any]:
    """Queue a signed `webhook.test` event for this webhook only, to check the receiver."""
    with request.app.state.db.writing() as conn:
        return service.send_test(conn=conn, webhook_id=webhook_id)


@webhooks.get("/{webhook_id}/deliveries")
def list_deliveries(webhook_id: Id32, request: Request,
                    status: Annotated[str | None, Query(max_length=20)] = None,
                    limit: Annotated[int, Query(ge=1, le=500)] = 50,
                    before: Annotated[int | None, id64_query()] = None) -> dict[str, Any]:
    """Newest first; pass the last id as ``before`` for the next page."""
    with request.app.state.db.reading() as conn:
        found = service.list_deliveries(conn=conn, webhook_id=webhook_id, status=status,
                                        limit=limit, before=before)
    return {"deliveries": found}


@webhooks.post("/{webhook_id}/redeliver-failed", status_code=202)
def redeliver_failed(webhook_id: Id32, request: Request) -> dict[str, Any]:
    """Queue again every delivery of this webhook that ended as failed."""
    with request.app.state.db.writing() as conn:
        count = service.redeliver_failed(conn=conn, webhook_id=webhook_id)
    return {"redelivered": count}


router = APIRouter()
router.include_router(webhooks)
router.include_router(forwarding_router)
