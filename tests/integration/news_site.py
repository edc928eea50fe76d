"""A synthetic news site on loopback: homepage with feed links, RSS and Atom feeds, a sitemap index with
a gzip sitemap and a Google News sitemap, real article pages, robots.txt with Disallow, Crawl-delay and
Sitemap lines, tracking-parameter duplicates, a feed that answers 304, and hostile documents.

Every request is recorded (path, epoch time), so tests can prove what was never asked for and at what
pace.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from . import loopback

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extraction" / "pages"
ETAG = '"feed-v1"'

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>/news/laughs-all-the-way-down.html</link></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&xxe;</loc></url></urlset>"""


@dataclass
class NewsSite:
    articles: int = 6
    crawl_delay: float = 1
    #: Extra documents to serve: path -> (content type, body).
    extra: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: list[tuple[str, float]] = field(default_factory=list)
    base: str = ""

    def slugs(self) -> list[str]:
        return [f"/news/2024/05/story-number-{i}-of-the-day.html" for i in range(self.articles)]

    def article_urls(self) -> list[str]:
        return [self.base + s for s in self.slugs()]

    def paths_hit(self) -> list[str]:
        return [p for p, _ in self.hits]

    # ---- documents ------------------------------------------------------------------------------

    def _page(self, index: int) -> bytes:
        pages = sorted(PAGES.glob("*.html.gz"))
        return gzip.decompress(pages[index % len(pages)].read_bytes())

    def robots(self) -> bytes:
        lines = ["User-agent: *", "Disallow: /private/"]
        if self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay}")
        lines.append(f"Sitemap: {self.base}/sitemap_index.xml")
        return ("\n".join(lines) + "\n").encode()

    def homepage(self) -> bytes:
        links = "".join(f'<li><a href="{s}">Story</a></li>' for s in self.slugs())
        return (
            "<!doctype html><html><head><title>Synthetic News</title>"
            '<link rel="alternate" type="application/rss+xml" href="/feed.rss">'
            '<link rel="alternate" type="application/atom+xml" href="/feed.atom">'
            f"</head><body><ul>{links}</ul><a href='/about'>About</a></body></html>"
        ).encode()

    def rss(self) -> bytes:
        slugs = self.slugs()
        half = slugs[: len(slugs) // 2 + 1]
        items = "".join(
            f"<item><title>Story {i}</title><link>{self.base}{s}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<pubDate>Sat, 11 May 2024 0{i % 10}:00:00 GMT</pubDate></item>"
            for i, s in enumerate(half)
        )
        private = "/private/members-only-story-here.html"
        private = f"<item><title>Members</title><link>{self.base}{private}</link></item>"
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Synthetic</title>'
            f"<link>{self.base}/</link>{items}{private}</channel></rss>"
        ).encode()

    def atom(self) -> bytes:
        slugs = self.slugs()
        entries = "".join(
            f'<entry><title>Story {i}</title><link rel="alternate" href="{s}#comments"/>'
            f"<id>urn:story:{i}</id><updated>2024-05-1{i % 10}T08:00:00Z</updated></entry>"
            for i, s in enumerate(slugs[len(slugs) // 3 :])
        )
        return (
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:base="{self.base}/"><title>Synthetic</title><id>urn:synthetic</id>'
            f"<updated>2024-05-11T08:00:00Z</updated>{entries}</feed>"
        ).encode()

    def sitemap_index(self) -> bytes:
        return (
            f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/sitemap-articles.xml.gz</loc><lastmod>2024-05-11</lastmod></sitemap>"
            f"<sitemap><loc>{self.base}/news-sitemap.xml</loc><lastmod>2024-05-12</lastmod></sitemap>"
            "</sitemapindex>"
        ).encode()

    def sitemap_gz(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.base}{s}?fbclid=IwAR{i}</loc><lastmod>2024-05-0{1 + i % 9}</lastmod></url>"
            for i, s in enumerate(self.slugs())
        )
        body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return gzip.compress(body.encode())

    def news_sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.base}{s}</loc><news:news><news:publication>"
            "<news:name>Synthetic</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>2024-05-12T0{i % 10}:00:00+00:00</news:publication_date>"
            f"<news:title>Story {i}</news:title></news:news></url>"
            for i, s in enumerate(self.slugs()[-2:])
        )
        return (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        ).encode()

    def route(self, path: str, headers: Any) -> tuple[int, str, bytes, dict[str, str]]:
        clean = path.split("?", 1)[0]
        if clean in self.extra:
            kind, body = self.extra[clean]
            return 200, kind, body, {}
        if clean == "/robots.txt":
            return 200, "text/plain", self.robots(), {}
        if clean == "/":
            return 200, "text/html; charset=utf-8", self.homepage(), {}
        if clean == "/feed.rss":
            if headers.get("If-None-Match") == ETAG:
                return 304, "", b"", {"ETag": ETAG}
            return 200, "application/rss+xml", self.rss(), {"ETag": ETAG}
        if clean == "/feed.atom":
            return 200, "application/atom+xml", self.atom(), {}
        if clean == "/sitemap_index.xml":
            return 200, "application/xml", self.sitemap_index(), {}
        if clean == "/sitemap-articles.xml.gz":
            return 200, "application/gzip", self.sitemap_gz(), {}
        if clean == "/news-sitemap.xml":
            return 200, "application/xml", self.news_sitemap(), {}
        if clean in self.slugs():
            return 200, "text/html; charset=utf-8", self._page(self.slugs().index(clean)), {}
        return 404, "text/html", b"<html><body>Not found</body></html>", {}


def serve(site: NewsSite) -> Any:
    return serve_on(site, 0)


@contextmanager
def serve_on(site: NewsSite, port: int) -> Iterator[NewsSite]:
    lock = threading.Lock()

    def respond(path: str, headers: Message) -> tuple[int, str, bytes, dict[str, str]]:
        with lock:
            site.hits.append((path, time.time()))  # the clock the pacing stamps turns with
        return site.route(path, headers)

    with loopback.serve(respond, port) as base:
        site.base = base
        yield site


def main() -> None:
    """Serve the synthetic site until interrupted: ``python -m tests.integration.news_site [PORT]``."""
    import sys

    site = NewsSite(articles=6, crawl_delay=1)
    with serve_on(site, int(sys.argv[1]) if len(sys.argv) > 1 else 8765):
        print(f"synthetic news site at {site.base}/ (Ctrl-C stops it)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
