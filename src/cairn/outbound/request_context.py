"""What outbound routes read from the app for every request, in one place."""

from __future__ import annotations

from fastapi import Request

from cairn.outbound.crypto import SecretBox, secret_box


def request_box(request: Request) -> SecretBox:
    """The box that encrypts stored webhook secrets and forwarding passwords."""
    return secret_box(request.app.state.secret_key)


def allow_private_targets(request: Request) -> bool:
    """Whether targets on private, loopback or link-local addresses are allowed."""
    return bool(request.app.state.settings.webhook_allow_private_targets)
