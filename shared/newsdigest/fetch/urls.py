"""URL validation and host normalisation.

We parse once, normalise the host the way a browser would, and from then on use only the parsed
pieces: the connection goes to an address derived from ``host``, the request line carries
``target``, and the ``Host`` header carries ``host_header``. Nothing later re-parses the original
string, so a parser differential (``\\``, ``@``, ``#`` tricks) cannot make us check one host and
talk to another.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from newsdigest.errors import FetchError
from newsdigest.fetch.addresses import IPAddress, ends_in_number, parse_ipv4_host

ALLOWED_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# Browsers strip these at the ends; inside a URL they have no business and could split a request.
_C0_OR_SPACE = "".join(chr(c) for c in range(0x21)) + "\x7f"
_SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*$")
_HOSTNAME_RE = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$")
# Characters left as they are when re-quoting path and query; everything else is percent-encoded.
_SAFE_TARGET = "/%:@!$&'()*+,;=-._~?"
MAX_URL_LENGTH = 8192


@dataclass(frozen=True, slots=True)
class ParsedURL:
    scheme: str
    #: ASCII hostname (IDNA-encoded, lower case) or IP literal without brackets.
    host: str
    port: int
    #: Set when the host is an IP literal in any spelling; DNS is then skipped.
    ip: IPAddress | None
    #: Path and query as sent on the request line.
    target: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"

    @property
    def url(self) -> str:
        return self.origin + self.target


def _bad(message: str) -> FetchError:
    return FetchError(message, reason="bad_url")


def _normalise_host(raw: str) -> tuple[str, IPAddress | None]:
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise _bad("unterminated IPv6 literal")
        literal = unquote(raw[1:-1])
        try:
            v6 = ipaddress.IPv6Address(literal)
        except ValueError as exc:
            raise _bad(f"invalid IPv6 literal {literal!r}") from exc
        return str(v6), v6
    try:
        host = unquote(raw, errors="strict")
    except UnicodeDecodeError as exc:
        raise _bad("percent-encoded host is not UTF-8") from exc
    if any(ch in _C0_OR_SPACE or ch in "%/\\@#?[]" for ch in host):
        raise _bad(f"forbidden character in host {host!r}")
    if not host:
        raise _bad("empty host")
    # IDNA (with NFKC) first: fullwidth digits and ideographic dots become an IPv4 address here,
    # exactly as they would in a browser.
    try:
        ascii_host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError as exc:
        raise _bad(f"host {host!r} is not a valid internationalised name") from exc
    if ends_in_number(ascii_host):
        v4 = parse_ipv4_host(ascii_host)
        if v4 is None:
            raise _bad(f"host {host!r} looks numeric but is not a valid IPv4 address")
        return str(v4), v4
    name = ascii_host.rstrip(".")
    if len(name) > 253 or not _HOSTNAME_RE.match(name):
        raise _bad(f"invalid hostname {host!r}")
    return name, None


def parse_url(url: str) -> ParsedURL:
    """Validate ``url`` for fetching; raise ``FetchError`` (``bad_url``/``scheme_not_allowed``)."""
    if not isinstance(url, str):
        raise _bad("URL must be a string")
    if not url.isascii():
        # As a browser's USVString conversion does: a lone surrogate (possible in JSON) becomes U+FFFD.
        url = url.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    url = url.strip(_C0_OR_SPACE)
    if len(url) > MAX_URL_LENGTH:
        raise _bad("URL too long")
    scheme, sep, _ = url.partition(":")
    if not sep:
        raise _bad("URL has no scheme")
    scheme = scheme.lower()
    if not _SCHEME_RE.match(scheme):
        raise _bad("URL has no valid scheme")
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(f"scheme {scheme[:20]!r} is not allowed", reason="scheme_not_allowed")
    if any(ch in _C0_OR_SPACE for ch in url):
        raise _bad("URL contains whitespace or control characters")
    if "\\" in url:
        # WHATWG reads "\" as "/" in http(s) URLs while urllib does not: refuse the ambiguity.
        raise _bad("URL contains a backslash")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise _bad(f"unparseable URL: {exc}") from exc
    if not url[len(scheme) + 1 :].startswith("//") or not parts.netloc:
        raise _bad("URL has no host")
    netloc = parts.netloc
    if "@" in netloc:
        # Credentials are never needed for news pages and are the classic confusion trick.
        raise _bad("credentials (user-info) in URL are not allowed")
    host_part, port = _split_port(netloc)
    host, ip = _normalise_host(host_part)
    path = parts.path or "/"
    target = quote(path, safe=_SAFE_TARGET)
    if parts.query:
        target += "?" + quote(parts.query, safe=_SAFE_TARGET)
    return ParsedURL(scheme=scheme, host=host, port=port or DEFAULT_PORTS[scheme], ip=ip, target=target)


def _split_port(netloc: str) -> tuple[str, int | None]:
    if netloc.startswith("["):
        end = netloc.find("]")
        if end == -1:
            raise _bad("unterminated IPv6 literal")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
        if rest and not rest.startswith(":"):
            raise _bad("garbage after IPv6 literal")
        port_text = rest[1:] if rest else ""
    else:
        host, _, port_text = netloc.partition(":")
    if port_text == "":
        return host, None
    if not port_text.isascii() or not port_text.isdigit() or len(port_text) > 5:
        raise _bad(f"invalid port {port_text[:10]!r}")
    port = int(port_text)
    if not 0 < port < 65536:
        raise _bad(f"port {port} out of range")
    return host, port
