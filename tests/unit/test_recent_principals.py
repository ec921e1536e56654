"""The short-lived cache of authenticated callers."""

from __future__ import annotations

import time

from cairn.accounts.authz import RecentPrincipals
from cairn.accounts.models import Principal

ADA = Principal(kind="credential", id=1, name="ada")


def test_remembers_a_header_for_its_lifetime() -> None:
    cache = RecentPrincipals(ttl_seconds=60)
    cache.remember("Basic abc", ADA)
    assert cache.get("Basic abc") == ADA
    assert cache.get("Basic abd") is None


def test_forgets_after_the_lifetime() -> None:
    cache = RecentPrincipals(ttl_seconds=0.01)
    cache.remember("Basic abc", ADA)
    time.sleep(0.02)
    assert cache.get("Basic abc") is None


def test_stays_bounded() -> None:
    cache = RecentPrincipals(ttl_seconds=60, capacity=3)
    for number in range(10):
        cache.remember(f"Bearer {number}", ADA)
    assert sum(cache.get(f"Bearer {n}") is not None for n in range(10)) <= 3
