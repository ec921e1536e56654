"""Where Cairn may send requests: public http(s) addresses only, unless allowed.

A webhook URL is user input that makes the server open connections, so it is
checked twice: when a subscription is saved (a clear 400) and on every
connection (DNS may change after the check). The second check lives in the
network backend the delivery client uses, so the address that was checked is
the address that is connected to: no window for a DNS rebinding trick.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

MAX_URL_LENGTH = 2000
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL is malformed, or its host resolves to an address Cairn will not call."""


def check_url_syntax(url: str) -> tuple[str, int]:
    """Return (host, port) of an absolute http(s) URL without credentials in it."""
    if len(url) > MAX_URL_LENGTH:
        raise TargetRefused(f"is longer than {MAX_URL_LENGTH} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRefused(f"{url!r} is not a valid URL ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(f"{url!r} must be an absolute http:// or https:// URL")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("must not carry credentials (user:password@); "
                            "receivers authenticate Cairn by the signature")
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` is not a public unicast address, or None when it is."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast or address.is_unspecified or address.is_reserved:
        return "not a unicast address"
    if not address.is_global:
        return "private"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise TargetRefused(f"the host {host!r} does not resolve ({exc})") from exc
    addresses: list[IPAddress] = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def public_addresses(host: str, port: int) -> list[IPAddress]:
    """Resolve ``host``; refuse it if ANY of its addresses is not public."""
    addresses = resolve(host, port)
    for address in addresses:
        reason = refusal(address)
        if reason is not None:
            raise TargetRefused(f"the host {host!r} resolves to {address}, a {reason} "
                                "address (set CAIRN_WEBHOOK_ALLOW_PRIVATE_TARGETS=true "
                                "to allow it)")
    return addresses


def check_target(url: str, *, allow_private: bool) -> None:
    """The save-time check: raise :class:`TargetRefused` naming what is wrong."""
    host, port = check_url_syntax(url)
    if not allow_private:
        public_addresses(host, port)


class RefusedConnection(httpcore.ConnectError):
    """Raised inside httpx when a connection would reach a refused address."""


class GuardedBackend(httpcore.SyncBackend):
    """Resolve, check every address, then connect to one of the checked addresses."""

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        if self.allow_private:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            addresses = public_addresses(host, port)
        except TargetRefused as exc:
            raise RefusedConnection(f"refused: {exc}") from exc
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(str(address), port, timeout, local_address,
                                           socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, with connections opened by :class:`GuardedBackend`."""

    def __init__(self, *, allow_private: bool, max_connections: int) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=max_connections, max_keepalive_connections=max_connections,
            keepalive_expiry=5.0, network_backend=GuardedBackend(allow_private=allow_private))


def guarded_client(*, allow_private: bool, max_connections: int) -> httpx.Client:
    """The client every outbound request uses: no proxies from the environment,
    no redirects followed (a 3xx is an answer, not a 2xx), guarded connections."""
    transport = GuardedTransport(allow_private=allow_private, max_connections=max_connections)
    return httpx.Client(transport=transport, follow_redirects=False, trust_env=False)
