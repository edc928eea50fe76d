"""Name resolution with the address policy applied to every answer."""

from __future__ import annotations

import socket
from collections.abc import Callable

from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch.addresses import IPAddress, parse_ip, refusal_reason
from newsdigest.fetch.urls import ParsedURL

#: ``(host, port) -> addresses`` as text, like the address part of ``getaddrinfo`` results.
Resolver = Callable[[str, int], list[str]]

#: A name with more answers than this is not a news site we want; also bounds connect attempts.
MAX_ADDRESSES = 16


def system_resolver(host: str, port: int) -> list[str]:
    # Looked up on the module at call time so tests can make real DNS impossible.
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for info in infos:
        seen.setdefault(str(info[4][0]), None)
    return list(seen)


def _refuse(what: str, why: str) -> FetchError:
    return FetchError(f"{what} is not an allowed destination: {why}", reason="address_not_allowed")


def resolve_allowed(parsed: ParsedURL, *, allow_private: bool, resolver: Resolver | None) -> list[IPAddress]:
    """Addresses to connect to for ``parsed``; raise unless EVERY answer passes the policy.

    Checking all answers (not just the one we would use) means a name that mixes a public and an
    internal address is refused outright rather than depending on answer order.
    """
    if parsed.ip is not None:
        why = None if allow_private else refusal_reason(parsed.ip)
        if why:
            raise _refuse(str(parsed.ip), why)
        return [parsed.ip]
    if not allow_private and (parsed.host == "localhost" or parsed.host.endswith(".localhost")):
        # Resolvers answer these locally (RFC 6761) whatever DNS says.
        raise _refuse(parsed.host, "loopback name")
    try:
        answers = (resolver or system_resolver)(parsed.host, parsed.port)
    except socket.gaierror as exc:
        if exc.errno in (socket.EAI_AGAIN, getattr(socket, "EAI_SYSTEM", None)):
            raise TransientError(f"DNS lookup of {parsed.host} failed: {exc}", reason="dns_failed") from exc
        raise FetchError(f"DNS lookup of {parsed.host} failed: {exc}", reason="dns_failed") from exc
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"DNS lookup of {parsed.host} failed: {exc}", reason="dns_failed") from exc
    if not answers:
        raise FetchError(f"{parsed.host} has no addresses", reason="dns_failed")
    if len(answers) > MAX_ADDRESSES:
        raise FetchError(f"{parsed.host} has {len(answers)} addresses", reason="dns_failed")
    addresses: list[IPAddress] = []
    for text in answers:
        try:
            address = parse_ip(str(text))
        except ValueError as exc:
            raise FetchError(f"resolver returned a non-address {text!r}", reason="dns_failed") from exc
        why = None if allow_private else refusal_reason(address)
        if why:
            raise _refuse(f"{parsed.host} (resolves to {address})", why)
        addresses.append(address)
    return addresses
