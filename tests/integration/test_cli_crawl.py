"""`newsdigest sources` and `newsdigest crawl` as a user runs them, against the synthetic site.

In-process through the CLI's own ``main`` (the entry point ``python -m newsdigest.cli`` calls; the
subprocess itself is exercised by ``test_cli_run.py``): the same parsing, output and exit codes, without
paying an interpreter start, moto's import and the template's provisioning per command.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from newsdigest.aws.settings import get_settings
from newsdigest.cli import main

from .conftest import _reset
from .news_site import NewsSite, serve


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Any]:
    """Run one command; returns (exit code, stdout, stderr). The environment is restored after the
    test (the local runtime sets the handlers' variables in-process, as a Lambda container would)."""
    saved = dict(os.environ)

    def run(*args: str) -> tuple[int, str, str]:
        try:
            code = main(list(args))
        except SystemExit as exc:  # usage errors end through argparse, as on the command line
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    try:
        yield run
    finally:
        os.environ.clear()
        os.environ.update(saved)
        get_settings.cache_clear()


def _lines(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_crawl_stores_each_article_once_and_a_second_crawl_says_nothing_is_new(
    moto_endpoint: str, cli: Any
) -> None:
    _reset(moto_endpoint)
    site = NewsSite(articles=3, crawl_delay=0)
    with serve(site):
        sources = (site.base + "/feed.atom", site.base + "/sitemap_index.xml")
        target = ("--endpoint-url", moto_endpoint, "--allow-private-addresses")
        target += ("--requests-per-minute", "600")  # no Crawl-delay: no pace needed to prove this
        code, out, err = cli("crawl", *sources, *target)
        assert code == 0, err[-3000:]
        items = _lines(out)
        assert len(items) == 3 and all(i["status"] == "ok" for i in items)
        assert len({i["article_id"] for i in items}) == 3
        code, out, err = cli("crawl", *sources, *target)
        assert code == 0, err[-3000:]
        assert out == ""
        assert "nothing new" in err
        code, out, _ = cli("sources", "list", "--endpoint-url", moto_endpoint)
        assert sorted(s["url"] for s in _lines(out)) == sorted(sources)


def test_sources_are_managed_and_bad_ones_refused_with_a_reason(moto_endpoint: str, cli: Any) -> None:
    _reset(moto_endpoint)
    target = ("--endpoint-url", moto_endpoint)
    bad = {
        "ftp://example.com/feed": "scheme_not_allowed",
        "http://10.0.0.8/feed.xml": "address_not_allowed",
        "http://[::1]:8080/": "address_not_allowed",
        "not a url": "bad_url",
    }
    feed = "https://93.184.215.14/news/feed.xml"
    code, out, err = cli("sources", "add", feed, *bad, "--every", "2h", *target)
    assert code == 1  # some were refused
    (source,) = _lines(out)
    assert source["every_minutes"] == 120 and source["enabled"] is True
    refusals = [line for line in err.splitlines() if line.startswith("newsdigest: refused")]
    assert len(refusals) == len(bad)
    for url, reason in bad.items():
        assert any(url in line and reason in line for line in refusals), (url, refusals)
    code, _, err = cli("sources", "add", feed, "--every", "1d", *target)
    assert code == 0 and "already exists" in err
    assert cli("sources", "disable", source["source_id"], *target)[0] == 0
    (listed,) = _lines(cli("sources", "list", *target)[1])
    assert listed["enabled"] is False and listed["every_minutes"] == 120  # kept as it was
    assert cli("sources", "remove", feed, *target)[0] == 0
    assert _lines(cli("sources", "list", *target)[1]) == []
    code, _, err = cli("sources", "remove", source["source_id"], *target)
    assert code == 1 and "no source" in err


def test_sources_kept_in_the_embedded_stacks_data_dir_between_commands(tmp_path: Any, cli: Any) -> None:
    where = ("--data-dir", str(tmp_path))
    code, out, err = cli("sources", "add", "https://93.184.215.14/news/feed.xml", "--every", "1h", *where)
    assert code == 0, err
    (added,) = _lines(out)
    (listed,) = _lines(cli("sources", "list", *where)[1])  # another command, another moto server
    assert listed["source_id"] == added["source_id"] and listed["every_minutes"] == 60
    assert cli("sources", "remove", added["source_id"], *where)[0] == 0
    assert _lines(cli("sources", "list", *where)[1]) == []
    code, _, err = cli("sources", "add", *where)
    assert code == 2 and "needs URLs or --file" in err


def test_an_embedded_crawl_cut_short_forgets_what_it_queued_so_the_next_crawl_stores_it(
    tmp_path: Any, cli: Any
) -> None:
    # The embedded stack's queue ends with its command: URLs queued but not ingested by --timeout must
    # not stay "seen" in the data directory, or no later crawl would ever queue them again.
    site = NewsSite(articles=2, crawl_delay=0)
    with serve(site):
        args = (site.base + "/feed.rss", "--data-dir", str(tmp_path), "--allow-private-addresses")
        args += ("--requests-per-minute", "600")
        code, out, err = cli("crawl", *args, "--timeout", "0")
        assert code == 3 and out == "" and "without a result" in err
        code, out, err = cli("crawl", *args)
        assert code == 0, err[-3000:]
        assert len(_lines(out)) == 2
