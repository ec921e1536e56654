"""How much ``cmi.suspend_data`` a lesson may keep.

SCORM 2004 guarantees 64,000 characters and SCORM 1.2 4,096; real content
(authoring tools serialising their whole state) often writes more. Cairn
keeps longer values whole rather than truncating them: SCORM 1.2 follows
``CAIRN_SCORM12_SUSPEND_DATA_LIMIT`` (strict = 4,096, lenient = as 2004), and
otherwise the bound is a quarter of a commit's byte limit, so a commit that
carries the value as escaped JSON still fits.
"""

from __future__ import annotations

from typing import Literal

from cairn.config import Settings
from cairn.scorm.cmi12 import SUSPEND_DATA_SPM


def suspend_data_limit(settings: Settings, version: Literal["1.2", "2004"]) -> int:
    """The longest ``cmi.suspend_data``, in characters, the player lets content store."""
    if version == "1.2" and settings.scorm12_suspend_data_limit == "strict":
        return SUSPEND_DATA_SPM
    return settings.runtime_max_commit_bytes // 4
