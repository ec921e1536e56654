"""``cairn forwarding ...``: manage statement forwarding rules from the shell.

The same service and checks as ``/api/v1/forwarding``. The target LRS's
password is asked for (hidden) or read from ``CAIRN_FORWARDING_PASSWORD``,
never taken as a plain option: command lines end up in shell histories and
process lists.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

import typer

from cairn.errors import InvalidInput
from cairn.outbound.crypto import secret_box
from cairn.outbound.forwarding import service
from cairn.outbound.forwarding.models import Rule, XapiVersionName

forwarding_app = typer.Typer(help="Statement forwarding to another LRS.", no_args_is_help=True)

RuleId = Annotated[int, typer.Argument(help="Rule id.")]
Password = Annotated[str, typer.Option(
    prompt="Password of the target LRS", hide_input=True, envvar="CAIRN_FORWARDING_PASSWORD",
    help="Asked for when not in CAIRN_FORWARDING_PASSWORD.")]


def _line(rule: Rule) -> str:
    state = "active" if rule.active else "disabled"
    wanted = ",".join(rule.verbs) or "every verb"
    return f"{rule.id}\t{state}\t{rule.name}\t{rule.endpoint}\txAPI {rule.xapi_version}\t{wanted}"


@forwarding_app.command("create")
def create(
    name: Annotated[str, typer.Option(help="What the target is.")],
    endpoint: Annotated[str, typer.Option(help="The target LRS's xAPI endpoint URL.")],
    username: Annotated[str, typer.Option(help="HTTP Basic user (the target's key).")],
    password: Password,
    xapi_version: Annotated[str, typer.Option(help="1.0.3 or 2.0.0.")] = "1.0.3",
    verb: Annotated[list[str] | None, typer.Option(
        help="Only statements with this verb IRI; repeatable.")] = None,
    activity: Annotated[list[str] | None, typer.Option(
        help="Only statements about this activity IRI; repeatable.")] = None,
) -> None:
    """Create a rule: statements stored from now on are forwarded by the worker."""
    from cairn import cli

    settings = cli._settings()
    with cli._writing() as conn:
        rule = service.create_rule(
            conn=conn, box=secret_box(settings.resolved_secret_key()), name=name,
            endpoint=endpoint, username=username, password=password,
            xapi_version=_version(xapi_version), verbs=verb or [], activities=activity or [],
            allow_private=settings.webhook_allow_private_targets)
    typer.echo(f"rule {rule.id}: {rule.endpoint}")


def _version(text: str) -> str:
    versions = get_args(XapiVersionName)
    if text not in versions:
        raise InvalidInput(f"xapi-version: {text!r} is not {' or '.join(versions)}")
    return text


@forwarding_app.command("list")
def list_() -> None:
    """List rules: id, state, name, endpoint, version, verbs; why a disabled one stopped."""
    from cairn import cli

    with cli._writing() as conn:
        found = service.list_rules(conn=conn)
    for rule in found:
        typer.echo(_line(rule))
        if rule.disabled_reason:
            typer.echo(f"\t{rule.disabled_reason}")


def _set(rule_id: int, **changes: Any) -> Rule:
    from cairn import cli

    settings = cli._settings()
    with cli._writing() as conn:
        return service.update_rule(conn=conn, box=secret_box(settings.resolved_secret_key()),
                                   rule_id=rule_id, changes=changes,
                                   allow_private=settings.webhook_allow_private_targets)


@forwarding_app.command("pause")
def pause(rule_id: RuleId) -> None:
    """Stop forwarding (statements stored meanwhile are not queued for this rule)."""
    typer.echo(_line(_set(rule_id, active=False)))


@forwarding_app.command("resume")
def resume(rule_id: RuleId) -> None:
    """Forward again, also after Cairn disabled the rule for failing (clears the reason)."""
    typer.echo(_line(_set(rule_id, active=True)))


@forwarding_app.command("set-password")
def set_password(rule_id: RuleId, password: Password) -> None:
    """Replace the password Cairn sends to the target LRS."""
    _set(rule_id, password=password)
    typer.echo(f"rule {rule_id}: password replaced")


@forwarding_app.command("redeliver-failed")
def redeliver_failed(rule_id: RuleId) -> None:
    """Queue every statement that failed for good for this rule again."""
    from cairn import cli

    with cli._writing() as conn:
        count = service.redeliver_failed(conn=conn, rule_id=rule_id)
    typer.echo(f"rule {rule_id}: {count} statements queued again")


@forwarding_app.command("delete")
def delete(rule_id: RuleId) -> None:
    """Delete a rule with its queued and past deliveries."""
    from cairn import cli

    with cli._writing() as conn:
        service.delete_rule(conn=conn, rule_id=rule_id)
    typer.echo(f"rule {rule_id} deleted")
