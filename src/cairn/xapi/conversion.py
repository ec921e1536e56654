"""Serving one stored statement to clients of either xAPI version.

Statements are stored once, as written. A 2.0 statement may use properties
1.0.3 does not know (``context.contextAgents`` and ``context.contextGroups``)
and carries ``version: "2.0.0"``; a 1.0.3 client would reject both. For such
a client the statement is shown without the 2.0-only context properties and
with ``version: "1.0.0"`` (docs/lrs.md, "Versions"). Nothing is lost: a 2.0
client reading the same statement gets it as stored.
"""

from __future__ import annotations

from typing import Any

from cairn.xapi.version import XapiVersion

TWO_ONLY_CONTEXT = ("contextAgents", "contextGroups")
_MARKERS = ('"contextAgents"', '"contextGroups"', '"version":"2.')


def needs_conversion(payload: str, version: XapiVersion) -> bool:
    """Cheap test on the stored JSON text, so most statements are never parsed."""
    return version.statement_version.startswith("1.") and any(m in payload for m in _MARKERS)


def for_client(statement: dict[str, Any], version: XapiVersion) -> dict[str, Any]:
    if not version.statement_version.startswith("1."):
        return statement
    converted = dict(statement)
    if str(converted.get("version", "")).startswith("2."):
        converted["version"] = version.statement_version
    _strip_context(converted)
    if isinstance(converted.get("object"), dict) and \
            converted["object"].get("objectType") == "SubStatement":
        converted["object"] = dict(converted["object"])
        _strip_context(converted["object"])
    return converted


def _strip_context(statement: dict[str, Any]) -> None:
    context = statement.get("context")
    if isinstance(context, dict) and any(key in context for key in TWO_ONLY_CONTEXT):
        statement["context"] = {k: v for k, v in context.items() if k not in TWO_ONLY_CONTEXT}
