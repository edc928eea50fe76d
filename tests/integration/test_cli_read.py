"""The README's promise: after `make run`, `newsdigest list` shows the item and `newsdigest digest` prints
a valid Atom feed holding its summary, with no flags (the default data directory)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from newsdigest.cli import main

from .conftest import ROOT

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["NEWSDIGEST_DATA_DIR"] = str(data_dir)  # the "per-user default", kept out of the real home
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
        check=False,
    )


def test_run_then_list_show_digest_and_failed_with_the_default_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "home-data"
    run = _cli(data_dir, "run", str(TASS))
    assert run.returncode == 0, run.stderr[-3000:]
    item = json.loads(run.stdout)
    assert f"local stack state in {data_dir}" in run.stderr  # the default directory is printed

    digest = _cli(data_dir, "digest")
    assert digest.returncode == 0, digest.stderr[-3000:]
    feed = feedparser.parse(digest.stdout.encode("utf-8"))
    assert feed.bozo == 0 and feed.version == "atom10"
    (entry,) = feed.entries
    assert entry.title == item["title"]
    assert entry.link == item["canonical_url"]
    assert item["summary"][-1].split('"')[0].strip() in entry.content[0].value

    # The other read commands, in-process on the same data directory.
    monkeypatch.setenv("NEWSDIGEST_DATA_DIR", str(data_dir))
    capsys.readouterr()
    assert main(["list"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]  # no terminal: JSON lines
    assert row["article_id"] == item["article_id"] and row["summary"] == item["summary"]
    assert main(["list", "--format", "table", "--site", "www.tass.com"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert len(table) == 1 and item["article_id"] in table[0] and "tass.com" in table[0]
    assert main(["show", item["article_id"]]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["item"]["article_id"] == item["article_id"]
    assert shown["article"]["title"] == item["title"] and "Razin" in shown["article"]["text"]
    assert main(["failed"]) == 0
    assert capsys.readouterr().out == ""  # nothing failed
    assert main(["list", "--since", "last week"]) == 2
    assert "since must be an ISO 8601" in capsys.readouterr().err
