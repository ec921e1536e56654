"""Which targets Cairn may call: syntax, and addresses that are not public."""

from __future__ import annotations

import ipaddress

import pytest

from cairn.outbound.targets import TargetRefused, check_target, check_url_syntax, refusal


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.1.1", "private"),
    ("100.64.0.1", "private"), ("fc00::1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("0.0.0.0", "not a unicast address"),
    ("224.0.0.1", "not a unicast address"), ("240.0.0.1", "not a unicast address"),
    ("93.184.215.14", None), ("2606:4700::1111", None),
])
def test_refusal(address: str, reason: str | None) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize(("url", "expected"), [
    ("https://hooks.example.org/x", ("hooks.example.org", 443)),
    ("http://hooks.example.org/x", ("hooks.example.org", 80)),
    ("http://[2606:4700::1111]:8080/x", ("2606:4700::1111", 8080)),
])
def test_syntax_gives_host_and_port(url: str, expected: tuple[str, int]) -> None:
    assert check_url_syntax(url) == expected


@pytest.mark.parametrize("url", ["", "example.org/x", "ftp://example.org/x", "http:///x",
                                 "http://example.org:99999/x", "https://a:b@example.org/",
                                 "https://example.org/" + "x" * 2000])
def test_bad_syntax_is_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_url_syntax(url)


def test_private_literals_pass_only_when_allowed() -> None:
    with pytest.raises(TargetRefused, match="loopback"):
        check_target("http://127.0.0.1:8000/hook", allow_private=False)
    check_target("http://127.0.0.1:8000/hook", allow_private=True)
    check_target("https://93.184.215.14/hook", allow_private=False)
