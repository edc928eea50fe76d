"""Discovery at scale: 5,000 articles listed by 50 feeds and sitemaps of 10 sites.

    .venv/bin/python benchmarks/discover.py                  # everything below (cold starts: `make build`)
    .venv/bin/python benchmarks/discover.py --skip-coldstart # parts 1-3 only, no build needed

Each site publishes 500 articles through five documents, every one a source of its own: an RSS 2.0
feed (200 entries, ``utm_*`` tags on the links, an ETag), an Atom feed (200, relative links under
``xml:base``, ``#comments`` fragments, an ETag), a JSON Feed (125, ``fbclid`` on the links, a
Last-Modified), a gzip sitemap (all 500, ``gclid`` on some, the scheme and host in upper case on
others) and a Google News sitemap (the newest 100). 11,250 entries, 5,000 articles: every article is
listed at least once, most twice, under different spellings.

1. **End to end**: the real Discover handler (a ``LocalRuntime`` in this process, one invocation per
   site as the schedule would find its five sources due) against the template's tables on a moto server
   (a child process): fetch, parse, canonicalise, read the candidates' seen-URL records (100 a call),
   claim each new URL with a conditional put, send to the queue, confirm. Each site's documents are
   served by a loopback server of its own, and its articles are named on another host
   (``news-N.example``, never fetched): Discover's own requests to a host wait behind the slots it
   booked there for Ingest (the integration tests prove that), so with the articles on the documents'
   host this part would time the 0.1 s per URL the pace asks for, not the work. The queue is a loopback
   endpoint that records SendMessageBatch calls, the one SQS call Discover makes (SQS's JSON protocol,
   through the handler's own boto3 client): moto's SQS counts every message of a queue on each send and
   receive, so 5,000 delayed messages cost it minutes. The recorded messages are reconciled with the
   site: *duplicates enqueued* (messages beyond one per article, target 0) and *articles missed*
   (articles with no message, target 0), and each host's pace (the slots the messages carry). Then a
   second pass over all 50 sources, which must queue nothing (the feeds answer 304 to their validators;
   the sitemaps have none, so their 6,000 URLs are read again and found seen). Printed: URLs discovered
   per second (listed entries looked at, and new URLs queued).
2. **Parsing only** (no network, no AWS), on the same 50 documents: ours (sniff, gunzip, feedparser /
   JSON / defusedxml, canonicalisation) beside trafilatura's feed and sitemap readers
   (``feeds.extract_links``, ``sitemaps.SitemapObject.process``), the anchor, in the same run.
3. **feedparser in the Discover function**: import and parse cost in fresh interpreters on the built
   function (``.aws-sam/build/DiscoverFunction``, the layer and boto3 as the runtime provides it),
   beside our defusedxml sitemap reader on a sitemap of the same size.
4. **Cold starts**: Discover's (init + a first schedule tick that reads one 20-entry feed and queues
   it) beside Ingest's (init + one SQS-wrapped S3 upload), against the floor, measured as
   ``benchmarks/coldstart.py`` does (fresh python3.13 interpreters on the built artefacts, runs
   interleaved, medians).

A benchmark, not a test: the figures depend on the machine, and moto's cost per call dominates part 1
(a conditional put per new URL, a read per hundred seen). Progress goes to stderr, results to stdout.
Exits 1 when a duplicate was enqueued, an article missed, a host's pace broken or the second pass
queued anything.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))  # tests.integration.loopback: the tests' HTTP server on loopback

from moto_child import moto_child  # noqa: E402  (benchmarks/ is on the path only from here)

from tests.integration import loopback  # noqa: E402
from tests.integration.loopback import Respond  # noqa: E402

SITES = 10
PER_SITE = 500
#: The fastest rate a source may ask for (limits.MAX_REQUESTS_PER_MINUTE): a host's 500 URLs span
#: 50 s of slots, well inside SQS's 15-minute delay.
REQUESTS_PER_MINUTE = 600
COLD_FEED_ENTRIES = 20
#: Feeds that carry a validator, and the request header that repeats it (the sitemaps carry none).
VALIDATED = {
    "/feed.rss": ("ETag", "If-None-Match"),
    "/feed.atom": ("ETag", "If-None-Match"),
    "/feed.json": ("Last-Modified", "If-Modified-Since"),
}
LAST_MODIFIED = "Sat, 11 May 2024 08:00:00 GMT"
SOURCE_PATHS = ("/feed.rss", "/feed.atom", "/feed.json", "/sitemap.xml.gz", "/news-sitemap.xml")

# ---- the sites --------------------------------------------------------------------------------------


def article_path(i: int) -> str:
    return f"/{2024 - i % 3}/{1 + i % 12:02d}/{1 + i % 28:02d}/story-{i}-of-the-day"


def article_base(site: int) -> str:
    return f"https://news-{site}.example"


def _day(i: int) -> str:
    return f"{2024 - i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}"


def documents(base: str, site: int, *, per_site: int = PER_SITE) -> dict[str, tuple[str, bytes]]:
    """The five documents of one site, by path: (content type, body). ``base`` is the articles' host."""
    first = site * per_site
    ids = list(range(first, first + per_site))

    def share(start: float, stop: float) -> list[int]:
        return ids[int(per_site * start) : int(per_site * stop)]

    rss = "".join(
        f"<item><title>Story {i}</title>"
        f"<link>{base}{article_path(i)}?utm_source=rss&amp;utm_medium=feed</link>"
        f"<pubDate>Sat, 11 May 2024 08:{i % 60:02d}:00 GMT</pubDate></item>"
        for i in share(0, 0.4)
    )
    atom = "".join(
        f'<entry><title>Story {i}</title><id>urn:story:{i}</id><link rel="alternate" '
        f'href="{article_path(i).lstrip("/")}#comments"/><updated>{_day(i)}T08:00:00Z</updated></entry>'
        for i in share(0.3, 0.7)
    )
    items = [
        {
            "id": str(i),
            "url": f"{base}{article_path(i)}?fbclid=IwAR{i}",
            "date_published": f"{_day(i)}T08:00:00Z",
        }
        for i in share(0.6, 0.85)
    ]
    host_upper = base.upper()
    urls = "".join(
        f"<url><loc>{(host_upper if i % 5 == 0 else base)}{article_path(i)}"
        f"{'?gclid=x' + str(i) if i % 7 == 0 else ''}</loc><lastmod>{_day(i)}</lastmod></url>"
        for i in ids
    )
    news = "".join(
        f"<url><loc>{base}{article_path(i)}</loc><news:news><news:publication><news:name>Bench</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{_day(i)}T09:00:00+00:00</news:publication_date>"
        f"<news:title>Story {i}</news:title></news:news></url>"
        for i in share(0.8, 1.0)
    )
    sitemap_ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    return {
        "/feed.rss": (
            "application/rss+xml",
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench {site}</title>'
            f"<link>{base}/</link>{rss}</channel></rss>".encode(),
        ),
        "/feed.atom": (
            "application/atom+xml",
            f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
            f'xml:base="{base}/"><title>Bench</title><id>urn:bench:{site}</id>'
            f"<updated>2024-05-11T08:00:00Z</updated>{atom}</feed>".encode(),
        ),
        "/feed.json": (
            "application/feed+json",
            json.dumps(
                {"version": "https://jsonfeed.org/version/1.1", "title": "Bench", "items": items}
            ).encode(),
        ),
        "/sitemap.xml.gz": (
            "application/gzip",
            gzip.compress(f'<?xml version="1.0"?><urlset {sitemap_ns}>{urls}</urlset>'.encode()),
        ),
        "/news-sitemap.xml": (
            "application/xml",
            f'<?xml version="1.0"?><urlset {sitemap_ns} '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{news}</urlset>'.encode(),
        ),
    }


def listed_entries() -> int:
    """Entries the five documents of every site list: 11,250 for 5,000 articles."""
    per_site = PER_SITE * (0.4 + 0.4 + 0.25 + 1.0 + 0.2)
    return round(per_site * SITES)


def cold_feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Cold {i}</title><link>{base}/cold/2024/05/11/story-{i}</link></item>"
        for i in range(COLD_FEED_ENTRIES)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>c</title>{items}</channel></rss>'.encode()
    )


@dataclass
class Site:
    base: str = ""  # where its documents are served (loopback)
    docs: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)


def respond_as(site: Site, lock: threading.Lock) -> Respond:
    """The site's documents (feeds answer a matching validator with 304), a robots.txt, else 404."""

    def respond(full_path: str, asked: Message) -> tuple[int, str, bytes, dict[str, str]]:
        path = full_path.split("?", 1)[0]
        with lock:
            site.hits[path] += 1
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n", {}
        if path not in site.docs:
            return 404, "text/plain", b"", {}
        kind, body = site.docs[path]
        headers: dict[str, str] = {}
        if path in VALIDATED:
            name, condition = VALIDATED[path]
            value = f'"{path}-v1"' if name == "ETag" else LAST_MODIFIED
            headers[name] = value
            if asked.get(condition) == value:
                return 304, "", b"", headers
        return 200, kind, body, headers

    return respond


@contextmanager
def serve(sites: int) -> Iterator[list[Site]]:
    """One loopback server per site: its documents (feeds with validators), a robots.txt, a cold feed."""
    served: list[Site] = []
    lock = threading.Lock()
    with ExitStack() as stack:
        for index in range(sites):
            site = Site()
            site.base = stack.enter_context(loopback.serve(respond_as(site, lock)))
            site.docs = documents(article_base(index), index)
            site.docs["/cold.rss"] = ("application/rss+xml", cold_feed(site.base))
            served.append(site)
        yield served


def expected_articles() -> set[str]:
    from newsdigest.discovery.canonical import canonical_url

    return {
        canonical_url(article_base(site) + article_path(i))
        for site in range(SITES)
        for i in range(site * PER_SITE, (site + 1) * PER_SITE)
    }


# ---- the queue --------------------------------------------------------------------------------------


@dataclass
class QueueRecorder:
    """What Discover sent to SQS: every SendMessageBatch entry, in order (body and DelaySeconds)."""

    url: str = ""
    calls: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def recording_sqs() -> Iterator[QueueRecorder]:
    """A loopback endpoint answering SQS's SendMessageBatch as SQS does (JSON protocol); any other
    call is refused, so a handler that starts making one fails the benchmark instead of passing it."""
    recorder = QueueRecorder()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            target = self.headers.get("X-Amz-Target", "")
            if target != "AmazonSQS.SendMessageBatch":
                self._reply(400, {"__type": "com.amazonaws.sqs#UnsupportedOperation", "message": target})
                return
            request = json.loads(body)
            successful = []
            with lock:
                recorder.calls += 1
                for entry in request["Entries"]:
                    message = json.loads(entry["MessageBody"])
                    message["delay_seconds"] = int(entry.get("DelaySeconds", 0))
                    recorder.messages.append(message)
                    digest = hashlib.md5(entry["MessageBody"].encode(), usedforsecurity=False).hexdigest()
                    successful.append(
                        {"Id": entry["Id"], "MessageId": str(uuid.uuid4()), "MD5OfMessageBody": digest}
                    )
            self._reply(200, {"Successful": successful, "Failed": []})

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    recorder.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()


# ---- 1. end to end ----------------------------------------------------------------------------------


@contextmanager
def restored_environment() -> Iterator[None]:
    """The local runtime sets the handlers' variables in this process, as a container would: put the
    environment back afterwards, so the cold starts of part 4 see none of them."""
    saved = dict(os.environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        from newsdigest.aws.settings import get_settings

        get_settings.cache_clear()


@dataclass
class Pass:
    reports: list[dict[str, Any]]
    seconds: float
    invocations: int
    messages: list[dict[str, Any]]


def discover_pass(runtime: Any, sites: list[list[str]], recorder: QueueRecorder, label: str) -> Pass:
    """One invocation per site (its five sources), again for any source a run deferred."""
    from newsdigest.cli.progress import Progress

    reports: dict[str, dict[str, Any]] = {}
    before = len(recorder.messages)
    seconds, invocations = 0.0, 0
    with Progress(len(sites), label, unit="sites") as bar, open(os.devnull, "w") as quiet:
        for ids in sites:
            left = list(ids)
            while left:
                if invocations > 5 * len(sites):
                    raise RuntimeError(f"sources still deferred after {invocations} invocations: {left}")
                started = time.perf_counter()
                with redirect_stdout(quiet):  # Powertools' EMF blobs: metrics are off here, not the point
                    reply = runtime.invoke("DiscoverFunction", {"sources": left})
                seconds += time.perf_counter() - started
                invocations += 1
                for report in reply["sources"]:
                    merged = reports.get(report["source_id"])
                    if merged is None:
                        reports[report["source_id"]] = report
                        continue
                    for key in ("found", "new", "seen", "pending", "not_modified", "documents"):
                        merged[key] += report[key]
                    merged["errors"] = merged["errors"] + report["errors"]
                    merged["queued"] = merged["queued"] + report["queued"]
                    merged["deferred"] = report["deferred"]
                left = [r["source_id"] for r in reply["sources"] if r["deferred"] or r["pending"]]
                left += [i for i in ids if i not in reports]
            bar.update(queued=len(recorder.messages) - before)
    return Pass(list(reports.values()), seconds, invocations, recorder.messages[before:])


def pace_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """Per article host, the slots the messages carry: the closest two (target: the host's interval)
    and the last delay."""
    by_host: dict[str, list[dict[str, Any]]] = {}
    for message in messages:
        by_host.setdefault(urlsplit(message["url"]).netloc, []).append(message)
    closest, last_delay, interval = float("inf"), 0, 0.0
    for queued in by_host.values():
        slots = sorted(m["not_before"] for m in queued)
        gaps = [b - a for a, b in itertools.pairwise(slots)]
        closest = min(closest, *gaps) if gaps else closest
        last_delay = max(last_delay, *(m["delay_seconds"] for m in queued))
        interval = max(interval, *(m["interval"] for m in queued))
    return {"hosts": len(by_host), "closest": closest, "last_delay": last_delay, "interval": interval}


def end_to_end(sites: list[Site], endpoint: str) -> dict[str, Any]:
    from newsdigest.aws.discovery import SourceTable
    from newsdigest.discovery.sources import validate_source
    from newsdigest.local.runtime import LocalRuntime
    from newsdigest.local.stack import local_aws_environment, provision

    with ExitStack() as stack:
        stack.enter_context(restored_environment())
        stack.enter_context(local_aws_environment(endpoint))
        recorder = stack.enter_context(recording_sqs())
        resources = provision(ROOT / "template.yaml", name="newsdigest-bench")
        table = SourceTable(resources.refs["SourcesTable"])
        by_site: list[list[str]] = []
        for site in sites:
            ids = []
            for path in SOURCE_PATHS:
                spec = {"url": site.base + path, "requests_per_minute": REQUESTS_PER_MINUTE}
                source = validate_source({**spec, "max_new_per_run": 1000})
                table.add(source)
                ids.append(source.id)
            by_site.append(ids)
        runtime = LocalRuntime(
            resources,
            extra_env={
                # The handler's own SQS client (created at its cold start) sends to the recorder.
                "AWS_ENDPOINT_URL_SQS": recorder.url,
                "FETCH_ALLOW_PRIVATE_ADDRESSES": "true",
                "POWERTOOLS_TRACE_DISABLED": "true",
                "POWERTOOLS_METRICS_DISABLED": "true",
                "POWERTOOLS_LOG_LEVEL": "ERROR",
            },
        )
        first = discover_pass(runtime, by_site, recorder, "discover: first pass")
        first_hits = Counter({(s.base, p): n for s in sites for p, n in s.hits.items()})
        second = discover_pass(runtime, by_site, recorder, "discover: second pass")
        second_hits = Counter({(s.base, p): n for s in sites for p, n in s.hits.items()}) - first_hits
        calls = recorder.calls

    expected = expected_articles()
    counts = Counter(m["url"] for m in first.messages)
    per_pass = [
        max(n for (_, path), n in hits.items() if path in SOURCE_PATHS) for hits in (first_hits, second_hits)
    ]
    return {
        "first": first,
        "second": second,
        "listed": sum(r["found"] for r in first.reports),
        "send_calls": calls,
        "errors": [e for r in first.reports + second.reports for e in r["errors"]],
        "duplicates": len(first.messages) - len(counts),
        "missed": len(expected - set(counts)),
        "strays": sorted(u for u in counts if u not in expected)[:5],
        "pace": pace_of(first.messages),
        "second_seen": sum(r["seen"] for r in second.reports),
        "second_not_modified": sum(r["not_modified"] for r in second.reports),
        "document_fetches": per_pass,
    }


# ---- 2. parsing only --------------------------------------------------------------------------------


def parse_ours(docs: list[tuple[str, bytes]]) -> list[str]:
    from newsdigest.discovery.canonical import canonical_url
    from newsdigest.discovery.documents import GZIP_MAGIC, gunzip, sniff
    from newsdigest.discovery.feeds import parse_feed, parse_json_feed
    from newsdigest.discovery.sitemaps import parse_sitemap

    found: list[str] = []
    for url, raw in docs:
        body = gunzip(raw) if raw.startswith(GZIP_MAGIC) else raw
        kind = sniff(body)
        if kind == "feed":
            entries = parse_feed(body, url)
        elif kind == "json_feed":
            entries = parse_json_feed(body, url)
        else:
            entries = parse_sitemap(body, url).urls
        found += [canonical_url(c.url) for c in entries]
    return found


def parse_trafilatura(docs: list[tuple[str, bytes]]) -> list[str]:
    from courlan import get_hostinfo
    from trafilatura.feeds import FeedParameters, extract_links
    from trafilatura.sitemaps import SitemapObject

    found: list[str] = []
    for url, raw in docs:
        text = (gzip.decompress(raw) if raw.startswith(b"\x1f\x8b") else raw).decode("utf-8")
        domain, base = get_hostinfo(url)
        assert domain is not None
        if "sitemap" in url:
            sitemap = SitemapObject(base, domain, [])
            sitemap.current_url, sitemap.content = url, text
            sitemap.process()
            found += sitemap.urls
        else:
            found += extract_links(text, FeedParameters(base, domain, url))
    return found


def parsing_only(repeat: int) -> dict[str, Any]:
    from newsdigest.cli.progress import Progress
    from newsdigest.discovery.canonical import canonical_url

    # Named hosts (trafilatura's URL checks refuse IP addresses with ports); nothing is fetched.
    docs = [
        (article_base(site) + path, body)
        for site in range(SITES)
        for path, (_, body) in documents(article_base(site), site).items()
    ]
    expected = expected_articles()
    readers = {"ours": parse_ours, "trafilatura": parse_trafilatura}
    times: dict[str, list[float]] = {name: [] for name in readers}
    urls: dict[str, list[str]] = {}
    with Progress(repeat * len(readers), "parsing", unit="passes") as bar:
        for _ in range(repeat):  # alternated, so machine noise hits both alike
            for name, parse in readers.items():
                started = time.perf_counter()
                urls[name] = parse(docs)
                times[name].append(time.perf_counter() - started)
                bar.update()
    results = {}
    for name in readers:
        unique = {canonical_url(u) for u in urls[name]}
        results[name] = {
            "seconds": statistics.median(times[name]),
            "listed": len(urls[name]),
            "unique_raw": len(set(urls[name])),
            "unique": len(unique & expected),
            "missed": len(expected - unique),
        }
    return results


# ---- 3. feedparser in the Discover function ---------------------------------------------------------

_FEED_CHILD = r"""
import json, os, sys, time
sys.path[0:0] = json.loads(os.environ.pop("ND_BENCH_PATH"))
docs = json.loads(os.environ.pop("ND_BENCH_DOCS"))
out = {}
t0 = time.perf_counter()
import boto3
import newsdigest.pipeline.discover  # what Discover's init has loaded before its first feed
out["import_init"] = time.perf_counter() - t0
t0 = time.perf_counter()
import feedparser
out["import_feedparser"] = time.perf_counter() - t0
t0 = time.perf_counter()
import defusedxml.ElementTree
out["import_defusedxml"] = time.perf_counter() - t0
from newsdigest.discovery.feeds import parse_feed, parse_json_feed
from newsdigest.discovery.sitemaps import parse_sitemap
readers = {"rss": parse_feed, "atom": parse_feed, "json": parse_json_feed, "sitemap": parse_sitemap}
for name, (path, url) in docs.items():
    body = open(path, "rb").read()
    read = readers[name]
    read(body, url)  # first parse: feedparser's lazy set-up
    times = []
    for _ in range(int(os.environ["ND_BENCH_REPEAT"])):
        t0 = time.perf_counter()
        read(body, url)
        times.append(time.perf_counter() - t0)
    times.sort()
    out[name] = times[len(times) // 2]
out["feedparser_version"] = feedparser.__version__
out["python"] = "%d.%d" % sys.version_info[:2]
print(json.dumps(out))
"""


def feedparser_cost(paths: list[str], python: str, isolated: bool, runs: int) -> dict[str, Any]:
    from newsdigest.cli.progress import Progress

    base = article_base(0)
    entries = 200
    bodies = {
        "rss": _rss(base, entries),
        "atom": _atom(base, entries),
        "json": json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "items": [{"url": f"{base}/j/{i}"} for i in range(entries)],
            }
        ).encode(),
        "sitemap": _urlset(base, entries),
    }
    with tempfile.TemporaryDirectory() as tmp, Progress(runs, "feedparser", unit="interpreters") as bar:
        files = {}
        for name, body in bodies.items():
            path = Path(tmp) / name
            path.write_bytes(body)
            files[name] = (str(path), base + "/" + name)
        env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYENV_VERSION"}}
        env.update(ND_BENCH_PATH=json.dumps(paths), ND_BENCH_DOCS=json.dumps(files), ND_BENCH_REPEAT="20")
        env.update(POWERTOOLS_TRACE_DISABLED="true", POWERTOOLS_METRICS_DISABLED="true")
        flags = ["-B", *(["-S", "-s"] if isolated else [])]
        samples = []
        for _ in range(runs):
            proc = subprocess.run(
                [python, *flags, "-c", _FEED_CHILD], env=env, capture_output=True, text=True, check=False
            )
            if proc.returncode != 0:
                raise RuntimeError(proc.stderr[-3000:])
            samples.append(json.loads(proc.stdout))
            bar.update()
    keys = ("import_init", "import_feedparser", "import_defusedxml", "rss", "atom", "json", "sitemap")
    result: dict[str, Any] = {k: statistics.median(s[k] for s in samples) for k in keys}
    result.update(entries=entries, version=samples[0]["feedparser_version"], python=samples[0]["python"])
    return result


def _rss(base: str, n: int) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}{article_path(i)}</link><description>A summary of "
        f"story {i} &lt;b&gt;with markup&lt;/b&gt;</description><guid>{base}{article_path(i)}</guid>"
        f"<pubDate>Sat, 11 May 2024 08:{i % 60:02d}:00 GMT</pubDate></item>"
        for i in range(n)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    )


def _atom(base: str, n: int) -> bytes:
    entries = "".join(
        f'<entry><title>Story {i}</title><id>urn:s:{i}</id><link href="{base}{article_path(i)}"/>'
        f"<updated>{_day(i)}T08:00:00Z</updated><summary>Story {i}</summary></entry>"
        for i in range(n)
    )
    return (
        f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id>{entries}</feed>'.encode()
    )


def _urlset(base: str, n: int) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{article_path(i)}</loc><lastmod>{_day(i)}</lastmod></url>" for i in range(n)
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


# ---- 4. cold starts ---------------------------------------------------------------------------------


def cold_starts(sites: list[Site], runs: int, tracing: bool) -> tuple[str, dict[str, Any]]:
    import logging

    import boto3
    import coldstart as cs
    from moto.server import ThreadedMotoServer
    from newsdigest.aws.discovery import SourceTable
    from newsdigest.cli.progress import Progress
    from newsdigest.discovery.sources import validate_source
    from newsdigest.local.stack import local_aws_environment

    build = ROOT / ".aws-sam" / "build"
    python = cs.find_lambda_python()
    layer = build / "NewsdigestLayer" / "python"
    functions = ("IngestFunction", "DiscoverFunction")
    if not (python and layer.is_dir() and all((build / fn / "app.py").is_file() for fn in functions)):
        raise SystemExit("discover: cold starts need `make build` and python3.13 (or pass --skip-coldstart)")
    runtime_dir = str(cs.lambda_runtime_dir(python))
    setup = cs.Setup(
        python=python,
        paths={fn: [str(build / fn), str(layer), runtime_dir] for fn in functions},
        floor_path=[runtime_dir],
        isolated=True,
        note="built artefacts",
    )
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    samples: dict[str, list[dict[str, Any]]] = {"floor": [], **{fn: [] for fn in functions}}
    try:
        with (
            local_aws_environment(endpoint),
            tempfile.TemporaryDirectory() as tmp,
            Progress(runs, "cold starts", unit="runs") as bar,
        ):
            stage = cs.Stage(endpoint)
            ingest_event = Path(tmp) / "ingest.json"
            ingest_event.write_text(json.dumps(stage.events["IngestFunction"]))
            tick = Path(tmp) / "tick.json"
            tick.write_text(json.dumps({"source": "schedule"}))
            base_env = dict(os.environ)
            for run in range(runs):
                resources = stage.prepare()
                # The fastest rate a source may ask for: the tick's pace between robots.txt and the
                # feed (one request's interval, 0.1 s) stays in its first event.
                feed = validate_source(
                    {"url": sites[run % len(sites)].base + "/cold.rss", "requests_per_minute": 600}
                )
                SourceTable(resources.refs["SourcesTable"]).add(feed)
                env = cs.child_env(base_env, None, tracing, tmp)
                samples["floor"].append(cs.spawn(setup, "floor", setup.floor_path, env)[0])
                for fn in functions:
                    fn_env = {**base_env, **resources.functions[fn].environment}
                    if fn == "DiscoverFunction":
                        fn_env["FETCH_ALLOW_PRIVATE_ADDRESSES"] = "true"  # the loopback feed
                    env = cs.child_env(fn_env, fn, tracing, setup.paths[fn][0])
                    event = ingest_event if fn == "IngestFunction" else tick
                    result, _ = cs.spawn(setup, "handler", setup.paths[fn], env, event)
                    if fn == "IngestFunction":
                        stage.check(fn, result.get("reply"), resources)
                    else:
                        reply = result.get("reply") or {}
                        if reply.get("queued") != COLD_FEED_ENTRIES:
                            raise RuntimeError(f"Discover's first tick queued {reply!r}")
                        sqs = boto3.client("sqs")
                        sqs.purge_queue(QueueUrl=resources.outputs["DiscoveredQueueUrl"])
                    samples[fn].append(result)
                bar.update()
    finally:
        server.stop()
    return f"python{cs.LAMBDA_PYTHON}, built artefacts, tracing {'active' if tracing else 'off'}", samples


# ---- report -----------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report_end_to_end(e2e: dict[str, Any]) -> bool:
    """Prints part 1; True when every target held."""
    first, second, pace = e2e["first"], e2e["second"], e2e["pace"]
    queued = len(first.messages)
    print(
        "\n1. end to end: the Discover handler, tables on a local moto server (fetch, parse, canonicalise, "
        "seen-URL reads, conditional claims, send, confirm)"
    )
    print(
        f"   first pass: {listed_entries()} entries listed, {e2e['listed']} URLs looked at (distinct per "
        f"source), {queued} queued, in {first.seconds:.1f} s ({first.invocations} invocations): "
        f"{e2e['listed'] / first.seconds:.0f} URLs discovered/s, {queued / first.seconds:.0f} new URLs "
        f"queued/s (a conditional put for each new URL, a read per 100 for those seen)"
    )
    print(
        f"   queue: {queued} messages in {e2e['send_calls']} SendMessageBatch calls for {SITES * PER_SITE} "
        f"articles: duplicates enqueued {e2e['duplicates']} (target 0), articles missed {e2e['missed']} "
        "(target 0)"
    )
    print(
        f"   pace: {pace['hosts']} hosts at {REQUESTS_PER_MINUTE} requests/min ({pace['interval']:.2f} s "
        f"apart): the closest two slots of a host {pace['closest']:.4f} s apart (target: the interval "
        f"less the 1 ms a message rounds its slot to), a host's last URL delayed {pace['last_delay']} s "
        "(SQS allows 900)"
    )
    print(
        f"   second pass over all 50 sources: {len(second.messages)} queued (target 0), "
        f"{e2e['second_not_modified']} documents answered 304, {e2e['second_seen']} URLs seen before, "
        f"in {second.seconds:.1f} s ({e2e['second_seen'] / second.seconds:.0f} URLs/s)"
    )
    fetches = e2e["document_fetches"]
    print(f"   each document fetched at most {fetches[0]}x in the first pass, {fetches[1]}x in the second")
    if e2e["errors"]:
        print(f"   source errors: {e2e['errors'][:3]}")
    if e2e["strays"]:
        print(f"   messages for URLs that are no article: {e2e['strays']}")
    # A message carries its slot to the millisecond, so two slots can read up to 1 ms closer than they
    # are; 1e-6 more for the float subtraction of two epoch times (a double's step there is ~2e-7).
    targets = {
        "no duplicate enqueued": not e2e["duplicates"],
        "no article missed": not e2e["missed"],
        "no message for a URL that is no article": not e2e["strays"],
        "no source error": not e2e["errors"],
        "nothing queued by the second pass": not second.messages,
        "each host's slots an interval apart": pace["closest"] >= pace["interval"] - 0.001 - 1e-6,
        "each document fetched once per pass": fetches == [1, 1],
    }
    missed = [name for name, held in targets.items() if not held]
    if missed:
        print(f"   TARGETS MISSED: {'; '.join(missed)}")
    return not missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="cold-start runs, interleaved (default 7)")
    parser.add_argument("--tracing", choices=("active", "off"), default="active")
    parser.add_argument("--parse-repeat", type=int, default=5)
    parser.add_argument("--skip-coldstart", action="store_true", help="no cold starts (no build needed)")
    parser.add_argument("--skip-end-to-end", action="store_true")
    args = parser.parse_args(argv)
    # Powertools warns of an empty flush when a run queued nothing (the second pass): not news here.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    status = 0
    started = time.perf_counter()

    print(
        f"discovery benchmark: {SITES * PER_SITE} articles of {SITES} sites, {SITES * 5} sources "
        "(RSS 2.0, Atom, JSON Feed, gzip sitemap, Google News sitemap per site)"
    )
    with ExitStack() as stack:
        sites = stack.enter_context(serve(SITES))
        if not args.skip_end_to_end:
            endpoint, _pid = stack.enter_context(moto_child("discover"))
            if not report_end_to_end(end_to_end(sites, endpoint)):
                status = 1

        parsed = parsing_only(args.parse_repeat)
        print(f"\n2. parsing only (no network, no AWS), the same 50 documents, median of {args.parse_repeat}")
        for name, row in parsed.items():
            print(
                f"   {name:<12} {row['listed']:>6} URLs in {ms(row['seconds']):>10}: "
                f"{row['listed'] / row['seconds']:>8.0f} URLs/s; "
                f"{row['unique']} of {SITES * PER_SITE} articles "
                f"found ({row['missed']} missed), {row['unique_raw']} distinct as written"
            )
        ratio = parsed["ours"]["seconds"] / parsed["trafilatura"]["seconds"]
        print(f"   ours / trafilatura: {ratio:.2f}x the time")

        build = ROOT / ".aws-sam" / "build"
        import coldstart as cs

        python = cs.find_lambda_python()
        built = python and (build / "DiscoverFunction" / "app.py").is_file()
        if python and built:
            paths = [
                str(build / "DiscoverFunction"),
                str(build / "NewsdigestLayer" / "python"),
                str(cs.lambda_runtime_dir(python)),  # boto3, which Lambda's runtime provides
            ]
            where, isolated = f"python{cs.LAMBDA_PYTHON} on .aws-sam/build/DiscoverFunction + layer", True
        else:
            paths = [str(ROOT / "shared")]
            python, where, isolated = sys.executable, "NOTE: no build; the development venv", False
        cost = feedparser_cost(paths, str(python), isolated, runs=5)
        n = cost["entries"]
        print(
            f"\n3. feedparser {cost['version']} in the Discover function ({where}; median of 5 "
            "fresh interpreters, 20 parses each)"
        )
        print(
            f"   import, after what Discover's init loads ({ms(cost['import_init'])}): feedparser "
            f"{ms(cost['import_feedparser'])}, defusedxml {ms(cost['import_defusedxml'])} (paid on the "
            "first feed or sitemap of a container, never by Ingest or Summarise)"
        )
        readers = {"rss": "feedparser", "atom": "feedparser", "json": "json", "sitemap": "defusedxml"}
        for name, reader in readers.items():
            per_entry = cost[name] / n * 1e6
            print(f"   {name:<8} {n} entries: {ms(cost[name]):>9} ({per_entry:.0f} us/entry, {reader})")

        if not args.skip_coldstart:
            note, samples = cold_starts(sites, args.runs, args.tracing == "active")
            floor = statistics.median(r["init"] + r["first"] for r in samples["floor"])
            print(
                f"\n4. cold start ({note}; {args.runs} interleaved runs, medians; Discover's first event "
                f"is a schedule tick reading a {COLD_FEED_ENTRIES}-entry feed, its 0.1 s pace after "
                "robots.txt included)"
            )
            print(f"   {'':<18}{'init':>10}{'1st event':>11}{'cold start':>12}{'floor':>10}{'ratio':>8}")
            for fn in ("IngestFunction", "DiscoverFunction"):
                rows = samples[fn]
                init = statistics.median(r["init"] for r in rows)
                first = statistics.median(r["first"] for r in rows)
                cold = statistics.median(r["init"] + r["first"] for r in rows)
                loaded = "feedparser" in rows[0]["modules"]
                print(
                    f"   {fn:<18}{ms(init):>10}{ms(first):>11}{ms(cold):>12}{ms(floor):>10}"
                    f"{cold / floor:>7.2f}x  feedparser loaded: {'yes' if loaded else 'no'}"
                )
    print(f"\n(benchmark ran {time.perf_counter() - started:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
