"""The client address the login lockout counts by (gvi_portal.client_ip)."""

import pytest
from django.test import RequestFactory

from gvi_portal.client_ip import client_ip


def request(remote="10.0.0.1", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize("forwarded", [None, "203.0.113.5", "203.0.113.5, 198.51.100.1"])
def test_without_a_trusted_proxy_the_header_is_ignored(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request(forwarded=forwarded)) == "10.0.0.1"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.1.1.1", "203.0.113.5"),  # two proxies: the outer one appended the client
        (1, "2001:db8::1", "2001:db8::1"),
        (1, None, "10.0.0.1"),  # no header: not through the proxy, so the peer
        (2, "203.0.113.5", "10.0.0.1"),  # fewer entries than proxies
        (1, "not-an-address", "10.0.0.1"),
        (1, " , ", "10.0.0.1"),
    ],
)
def test_behind_trusted_proxies_the_entry_they_appended(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request(forwarded=forwarded)) == expected
