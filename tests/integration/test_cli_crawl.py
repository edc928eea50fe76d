"""`newsdigest sources` and `newsdigest crawl` as a user runs them, against the synthetic site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from .conftest import ROOT, _reset
from .news_site import NewsSite, serve


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False,
    )  # fmt: skip


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_crawl_stores_each_article_once_and_a_second_crawl_says_nothing_is_new(moto_endpoint: str) -> None:
    _reset(moto_endpoint)
    site = NewsSite(articles=3, crawl_delay=0)
    with serve(site):
        target = ("--endpoint-url", moto_endpoint, "--allow-private-addresses")
        first = cli("crawl", site.base + "/feed.atom", site.base + "/sitemap_index.xml", *target)
        assert first.returncode == 0, first.stderr[-3000:]
        items = _lines(first.stdout)
        assert len(items) == 3 and all(i["status"] == "ok" for i in items)
        assert len({i["article_id"] for i in items}) == 3
        second = cli("crawl", site.base + "/feed.atom", site.base + "/sitemap_index.xml", *target)
        assert second.returncode == 0, second.stderr[-3000:]
        assert second.stdout == ""
        assert "nothing new" in second.stderr
        listed = _lines(cli("sources", "list", "--endpoint-url", moto_endpoint).stdout)
        assert sorted(s["url"] for s in listed) == sorted(
            [site.base + "/feed.atom", site.base + "/sitemap_index.xml"]
        )


def test_sources_are_managed_and_bad_ones_refused_with_a_reason(moto_endpoint: str) -> None:
    _reset(moto_endpoint)
    target = ("--endpoint-url", moto_endpoint)
    bad = {
        "ftp://example.com/feed": "scheme_not_allowed",
        "http://10.0.0.8/feed.xml": "address_not_allowed",
        "http://[::1]:8080/": "address_not_allowed",
        "not a url": "bad_url",
    }
    added = cli("sources", "add", "https://93.184.215.14/news/feed.xml", *bad, "--every", "2h", *target)
    assert added.returncode == 1  # some were refused
    (source,) = _lines(added.stdout)
    assert source["every_minutes"] == 120 and source["enabled"] is True
    refusals = [line for line in added.stderr.splitlines() if line.startswith("newsdigest: refused")]
    assert len(refusals) == len(bad)
    for url, reason in bad.items():
        assert any(url in line and reason in line for line in refusals), (url, refusals)
    assert cli("sources", "disable", source["source_id"], *target).returncode == 0
    (listed,) = _lines(cli("sources", "list", *target).stdout)
    assert listed["enabled"] is False
    assert cli("sources", "remove", "https://93.184.215.14/news/feed.xml", *target).returncode == 0
