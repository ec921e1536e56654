"""Why a package was refused, in words an author can act on.

Every refusal carries ``details.problem``, a stable machine-readable name
(``path_traversal``, ``zip_bomb`` ...), next to the human message.
"""

from __future__ import annotations

from typing import Any

from cairn.errors import InvalidInput, PayloadTooLarge


class PackageRejected(InvalidInput):
    """The package is malformed or unsafe; nothing of it was stored."""

    code = "invalid_package"


class PackageTooLarge(PayloadTooLarge):
    """The package breaks a configured size, count or ratio limit; nothing was stored."""

    code = "package_too_large"


def rejected(problem: str, message: str, **details: Any) -> PackageRejected:
    return PackageRejected(message, details={"problem": problem, **details})


def too_large(problem: str, message: str, **details: Any) -> PackageTooLarge:
    return PackageTooLarge(message, details={"problem": problem, **details})
