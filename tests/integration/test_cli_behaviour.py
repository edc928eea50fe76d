"""The command line as a user meets it: `make run`'s stdout, progress on stderr, refusals that say what
to do, the same size limit in `run` as in `extract`, and the documented exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, _reset

TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "NEWSDIGEST_PROGRESS"))}
    env.update(extra)
    return env


def _newsdigest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdigest.cli", *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=_env(**env),
        check=False,
    )


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "newsdigest").exists(), reason="needs `make install`")
def test_make_run_prints_only_the_item_on_stdout_and_progress_lines_on_stderr(tmp_path: Path) -> None:
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/bin/newsdigest", "run"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=_env(NEWSDIGEST_DATA_DIR=str(tmp_path)),
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout[:500]
    assert json.loads(lines[0])["status"] == "ok"
    # Not a terminal: plain lines, no carriage-return bar.
    assert "run: 100% 1/1 inputs" in result.stderr
    assert "\r" not in result.stderr


def test_refusals_say_why_and_what_to_do_and_exit_1(moto_endpoint: str, tmp_path: Path) -> None:
    _reset(moto_endpoint)
    big = tmp_path / "big.html"
    big.write_bytes(b"<html><body><p>" + b"word " * 400 + b"</p></body></html>")
    result = _newsdigest(
        "run",
        "--endpoint-url",
        moto_endpoint,
        "file://" + str(TASS),
        "http://127.0.0.1:9/news/1",
        str(big),
        str(TASS),
        FETCH_MAX_BYTES="1500",
    )
    assert result.returncode == 1, result.stderr[-3000:]
    err = result.stderr
    assert "unsupported scheme 'file'" in err and "No such file" not in err
    assert "address_not_allowed" in err and "--allow-private-addresses" in err
    items = {
        item["reason"]: item for item in map(json.loads, result.stdout.splitlines()) if item.get("reason")
    }
    # The oversized upload fails in Ingest with the reason `extract` gives for the same file.
    assert items["too_large"]["stage"] == "read"
    extracted = _newsdigest("extract", str(big), FETCH_MAX_BYTES="1500")
    assert extracted.returncode == 1 and "too_large" in extracted.stderr


def test_no_result_in_time_is_an_infrastructure_failure(moto_endpoint: str) -> None:
    _reset(moto_endpoint)
    result = _newsdigest("run", "--endpoint-url", moto_endpoint, "--timeout", "0", str(TASS))
    assert result.returncode == 3, result.stderr[-3000:]
    assert "no result within 0s" in result.stderr


def test_unreachable_endpoint_exits_3() -> None:
    result = _newsdigest(
        "run",
        "--endpoint-url",
        "http://127.0.0.1:9",
        str(TASS),
        AWS_MAX_ATTEMPTS="1",
        AWS_RETRY_MODE="standard",
    )
    assert result.returncode == 3, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
