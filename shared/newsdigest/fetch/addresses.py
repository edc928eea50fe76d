"""IP address policy: which addresses a fetch may connect to.

The policy is an explicit deny table rather than ``ipaddress.is_global`` alone, because the stdlib's
special-purpose tables differ between Python releases (3.11 calls ``fec0::/10`` and ``192.0.0.8``
global, for example). ``is_global`` is still consulted as a second opinion, so an address either
source flags is refused.

Host spellings are normalised the way a browser's URL parser (WHATWG) and libc's ``inet_aton`` do,
so ``2852039166``, ``0251.0376.0251.0376``, ``0xa9fea9fe`` and ``169.254.43518`` are all recognised
as 169.254.169.254 before the check, instead of being handed to a resolver that would do the same
conversion after we had waved the name through.
"""

from __future__ import annotations

import ipaddress
from typing import TypeAlias

IPAddress: TypeAlias = ipaddress.IPv4Address | ipaddress.IPv6Address

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

#: (network, why) pairs; the first match names the refusal in error messages.
_DENY_V4: tuple[tuple[ipaddress.IPv4Network, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified/this-network"),
    (_V4("10.0.0.0/8"), "private"),
    (_V4("100.64.0.0/10"), "shared address space (carrier-grade NAT)"),
    (_V4("127.0.0.0/8"), "loopback"),
    (_V4("169.254.0.0/16"), "link-local (cloud metadata)"),
    (_V4("172.16.0.0/12"), "private"),
    (_V4("192.0.0.0/24"), "IETF protocol assignments"),
    (_V4("192.0.2.0/24"), "documentation"),
    (_V4("192.88.99.0/24"), "6to4 relay anycast"),
    (_V4("192.168.0.0/16"), "private"),
    (_V4("198.18.0.0/15"), "benchmarking"),
    (_V4("198.51.100.0/24"), "documentation"),
    (_V4("203.0.113.0/24"), "documentation"),
    (_V4("224.0.0.0/4"), "multicast"),
    (_V4("240.0.0.0/4"), "reserved/broadcast"),
)

#: Only 2000::/3 is allocated global unicast; everything else in IPv6 is refused unless it embeds
#: an IPv4 address we can check (handled before this table is consulted).
_GLOBAL_UNICAST_V6 = _V6("2000::/3")
_DENY_V6: tuple[tuple[ipaddress.IPv6Network, str], ...] = (
    (_V6("2001::/23"), "IETF protocol assignments (incl. Teredo)"),
    (_V6("2001:db8::/32"), "documentation"),
    (_V6("3fff::/20"), "documentation"),
)

_NAT64_WKP = _V6("64:ff9b::/96")
_SIXTOFOUR = _V6("2002::/16")
_MAPPED = _V6("::ffff:0:0/96")


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for, if it is a mapping or translation of one.

    A NAT64 gateway or dual-stack socket would deliver traffic for these to the IPv4 address, so
    ``::ffff:169.254.169.254`` or ``64:ff9b::a9fe:a9fe`` must be judged as 169.254.169.254.
    """
    if address in _MAPPED:
        return address.ipv4_mapped
    if address in _NAT64_WKP:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _SIXTOFOUR:
        return address.sixtofour
    return None


def refusal_reason(address: IPAddress) -> str | None:
    """Why ``address`` must not be contacted, or ``None`` when it is an ordinary public address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            # A zone index only makes sense for link-local targets.
            return "scoped IPv6 address"
        inner = embedded_ipv4(address)
        if inner is not None:
            why = refusal_reason(inner)
            return f"embeds {inner} ({why})" if why else None
        if address not in _GLOBAL_UNICAST_V6:
            if address.is_loopback:
                return "loopback"
            if address.is_unspecified:
                return "unspecified"
            if address.is_multicast:
                return "multicast"
            if address.is_link_local:
                return "link-local"
            if address.is_site_local:
                return "site-local"
            if address in _V6("fc00::/7"):
                return "unique local (private)"
            return "not global unicast"
        for net6, why in _DENY_V6:
            if address in net6:
                return why
    else:
        for net4, why in _DENY_V4:
            if address in net4:
                return why
    if not address.is_global or address.is_multicast:
        return "not globally routable"
    return None


def parse_ip(text: str) -> IPAddress:
    """Strictly parse a resolver's answer (dotted quad or IPv6, optional zone index)."""
    return ipaddress.ip_address(text)


# --- WHATWG / inet_aton IPv4 host parsing -------------------------------------------------------


#: Digits (leading zeros aside) beyond which a host component cannot be part of an IPv4 address.
_MAX_NUMBER_DIGITS = 12
_TOO_LARGE = 1 << 64


def _parse_ipv4_number(part: str) -> int | None:
    """One dotted component: ``0x``-prefixed hex, ``0``-prefixed octal, else decimal."""
    if part == "":
        return None
    radix = 10
    if len(part) >= 2 and part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) >= 2 and part[0] == "0":
        part, radix = part[1:], 8
    if part == "":
        return 0
    digits = {10: "0123456789", 8: "01234567", 16: "0123456789abcdefABCDEF"}[radix]
    if any(ch not in digits for ch in part):
        return None
    if len(part.lstrip("0")) > _MAX_NUMBER_DIGITS:
        return _TOO_LARGE  # past any IPv4 address, and past what int() parses from 4,300 digits
    return int(part, radix)


def _split_labels(host: str) -> list[str]:
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a single trailing dot is the DNS root, not part of the address
    return parts


def ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": such a host must parse as IPv4 or the URL is invalid.

    This closes the gap where ``1.2.3.0x7f`` is not a valid address to us but some resolver
    library would still turn it into one.
    """
    parts = _split_labels(host)
    last = parts[-1] if parts else ""
    if last and all(ch in "0123456789" for ch in last):
        return True
    return last[:2] in ("0x", "0X") and all(ch in "0123456789abcdefABCDEF" for ch in last[2:])


def parse_ipv4_host(host: str) -> ipaddress.IPv4Address | None:
    """Parse every spelling a browser or ``inet_aton`` accepts; ``None`` if ``host`` is not one.

    1-4 components; all but the last are single bytes and the last fills the remaining bytes, so
    ``127.1`` is 127.0.0.1 and ``169.254.43518`` is 169.254.169.254.
    """
    parts = _split_labels(host)
    if not 1 <= len(parts) <= 4:
        return None
    numbers: list[int] = []
    for part in parts:
        number = _parse_ipv4_number(part)
        if number is None:
            return None
        numbers.append(number)
    *head, last = numbers
    if any(n > 255 for n in head):
        return None
    if last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, n in enumerate(head):
        value += n << (8 * (3 - index))
    return ipaddress.IPv4Address(value)
