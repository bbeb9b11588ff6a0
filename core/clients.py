"""Who a request comes from, as far as the portal can tell without trusting
what the client says about itself."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 customer is usually handed a whole /64: addresses within it are one client.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind TRUSTED_PROXY_COUNT reverse proxies the
    address the outermost of them saw is that many entries from the right of
    X-Forwarded-For; anything left of it the client wrote itself and is not
    believed. With no proxy (0, the default) the header is ignored."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies: int = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote
    return forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]


def client_network(address: str) -> str:
    """The address as one client: an IPv4 address as is, an IPv6 address as
    its /64 network, and anything unreadable as "unknown" (one client, so a
    forged header cannot make many)."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return "unknown"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((parsed, IPV6_CLIENT_PREFIX), strict=False))
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)
