"""The client's address, for the login lockout (django-axes calls this through AXES_CLIENT_IP_CALLABLE).

Behind a TLS proxy every request arrives from the proxy's address, so without this every user would share
one lockout. But X-Forwarded-For is a header anyone can send: it is believed only when the operator says how
many trusted proxies stand in front (TRUSTED_PROXY_COUNT), and then only the entry the outermost trusted
proxy appended. Whatever a client wrote to the left of that is ignored, so a client cannot pick its own
address to dodge a lockout or to lock someone else out.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through all of them; trust only the peer.
        return remote
    # Each proxy appends the address it received the request from, so the client as the outermost trusted
    # proxy saw it is `count` entries from the right.
    candidate = forwarded[-count]
    return candidate if _valid(candidate) else remote
