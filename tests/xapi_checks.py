"""Assertions shared by the xAPI validation unit tests."""

from __future__ import annotations

import pytest

from cairn.errors import InvalidInput


def rejected(check: object, value: object, path: str = "x") -> str:
    """Run a checker expecting a refusal whose message starts with the JSON path."""
    assert callable(check)
    with pytest.raises(InvalidInput) as caught:
        check(value, path)
    message = caught.value.message
    assert message.startswith(path)
    assert message[len(path)] in ":.["
    return message
