"""Liveness for load balancers and operators: is the database reachable, is a worker alive?"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from cairn import __version__
from cairn.accounts.authz import Public
from cairn.worker import store as worker_store

router = APIRouter()


@router.get("/api/v1/health", dependencies=[Depends(Public())], tags=["health"])
def health(request: Request) -> dict[str, Any]:
    """Liveness and readiness: the database answers, and each worker's last heartbeat."""
    with request.app.state.db.reading() as conn:
        beats = worker_store.latest_heartbeats(conn)
    return {"status": "ok", "version": __version__, "workers": beats}
