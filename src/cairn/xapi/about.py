"""GET /xapi/about (Communication 2.8): the versions this LRS speaks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from cairn import __version__
from cairn.accounts.authz import Public
from cairn.xapi.version import supported_answers

router = APIRouter(prefix="/xapi", tags=["xAPI about"])


@router.api_route("/about", methods=["GET", "HEAD"], dependencies=[Depends(Public())])
def about() -> dict[str, Any]:
    return {"version": supported_answers(),
            "extensions": {"https://cairn.example.org/xapi/extensions/server":
                           {"name": "Cairn", "version": __version__}}}
