"""``cairn webhooks ...``: manage subscriptions from the shell (same rules as the API)."""

from __future__ import annotations

from typing import Annotated

import typer

from cairn.clock import us_to_iso
from cairn.errors import InvalidInput
from cairn.outbound import service
from cairn.outbound.crypto import secret_box

webhooks_app = typer.Typer(help="Webhook subscriptions (signed HTTP callbacks).",
                           no_args_is_help=True)


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise InvalidInput(f"filter: {pair!r} is not KEY=VALUE (e.g. course=12)")
        parsed.setdefault(key.strip(), []).append(value.strip())
    return parsed


@webhooks_app.command("create")
def create(
    url: Annotated[str, typer.Option(help="Receiver URL (http or https).")],
    event: Annotated[list[str], typer.Option(help="Event type; repeat for several.")],
    filter_: Annotated[list[str] | None, typer.Option(
        "--filter", help="KEY=VALUE with KEY course, package or team; repeatable.")] = None,
    description: Annotated[str, typer.Option(help="What the receiver is.")] = "",
) -> None:
    """Create a subscription and print its signing secret (shown only this once)."""
    from cairn import cli

    settings = cli._settings()
    with cli._writing() as conn:
        subscription, secret = service.create_subscription(
            conn=conn, box=secret_box(settings.resolved_secret_key()), url=url,
            event_types=event, filters=_filters(filter_ or []), description=description,
            allow_private=settings.webhook_allow_private_targets)
    typer.echo(f"webhook {subscription.id}: {subscription.url}")
    typer.echo(f"secret:  {secret}")


@webhooks_app.command("list")
def list_() -> None:
    """List subscriptions: id, state, URL, event types and why a disabled one stopped."""
    from cairn import cli

    with cli._writing() as conn:
        found = service.list_subscriptions(conn=conn)
    for subscription in found:
        state = "active" if subscription.active else "disabled"
        typer.echo(f"{subscription.id}\t{state}\t{subscription.url}\t"
                   f"{','.join(subscription.event_types)}")
        if subscription.disabled_reason:
            typer.echo(f"\t{subscription.disabled_reason}")


@webhooks_app.command("delete")
def delete(webhook_id: Annotated[int, typer.Argument(help="Subscription id.")]) -> None:
    """Delete a subscription with its queued and past deliveries."""
    from cairn import cli

    with cli._writing() as conn:
        service.delete_subscription(conn=conn, webhook_id=webhook_id)
    typer.echo(f"deleted webhook {webhook_id}")


@webhooks_app.command("rotate-secret")
def rotate_secret(
    webhook_id: Annotated[int, typer.Argument(help="Subscription id.")],
    keep_old_hours: Annotated[float, typer.Option(
        help="Hours the old secret keeps signing too (0: ends at once).")
    ] = service.KEEP_OLD_SECRET_HOURS,
) -> None:
    """Replace the signing secret and print the new one (shown only this once)."""
    from cairn import cli

    settings = cli._settings()
    with cli._writing() as conn:
        secret, until = service.rotate_secret(
            conn=conn, box=secret_box(settings.resolved_secret_key()), webhook_id=webhook_id,
            keep_old_hours=keep_old_hours)
    typer.echo(f"secret:  {secret}")
    typer.echo("old secret: ended" if until is None
               else f"old secret: also signs until {us_to_iso(until)}")


@webhooks_app.command("test")
def test(webhook_id: Annotated[int, typer.Argument(help="Subscription id.")]) -> None:
    """Queue a webhook.test event for one subscription; a running worker sends it."""
    from cairn import cli

    with cli._writing() as conn:
        queued = service.send_test(conn=conn, webhook_id=webhook_id)
    typer.echo(f"queued test delivery {queued['id']} (event {queued['event_id']})")
