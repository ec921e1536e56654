"""Times render the same fast way as datetime would render them."""

from __future__ import annotations

import random
from datetime import timedelta

from cairn.clock import EPOCH, us_to_iso


def test_us_to_iso_matches_datetime_everywhere() -> None:
    rng = random.Random(7)
    samples = [0, -1, 1, 86_400_000_000 - 1, 951_782_400_000_000, 4_102_444_799_999_999]
    samples += [rng.randrange(-(10 ** 16), 10 ** 17) for _ in range(20_000)]
    for us in samples:
        expected = (EPOCH + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        assert us_to_iso(us) == expected, us
