"""Against a deployed stack. Skipped unless NEWSDIGEST_STACK names one; run by name:

NEWSDIGEST_STACK=newsdigest AWS_PROFILE=... .venv/bin/pytest tests/e2e -q
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

STACK = os.environ.get("NEWSDIGEST_STACK")
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not STACK, reason="NEWSDIGEST_STACK is not set: no deployed stack to test"),
]


def run_on_stack(source: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsdigest.cli", "run", "--stack", str(STACK), "--timeout", "300"]
    return subprocess.run([*command, str(source)], capture_output=True, text=True, timeout=400, check=False)


def test_uploaded_page_becomes_a_summary_item() -> None:
    result = run_on_stack(ROOT / "events" / "pages" / "tass-grain-harvest.html")
    assert result.returncode == 0, result.stderr[-2000:]
    item = json.loads(result.stdout.splitlines()[0])
    assert item["status"] == "ok"
    assert item["summary"]
    assert item["dateline"]["agency"] == "TASS"


def test_empty_page_is_recorded_as_failed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = run_on_stack(empty)
    assert result.returncode == 1
    item = json.loads(result.stdout.splitlines()[0])
    assert (item["status"], item["reason"]) == ("failed", "empty")
