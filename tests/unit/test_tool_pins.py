"""CI that does not drift: the tools that check and build the template are pinned, and the Makefile
installs exactly those pins; no usage reports; `make test-e2e` without a stack does not pass."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==\d+(\.\d+)+$")


def _pins(name: str) -> dict[str, str]:
    lines = (ROOT / "tools" / name).read_text(encoding="utf-8").splitlines()
    entries = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    for entry in entries:
        assert PIN.match(entry), f"tools/{name}: {entry!r} is not an exact pin (name==version)"
    return dict(entry.lower().split("==") for entry in entries)


def test_sam_cli_checkov_and_cfn_lint_are_pinned_exactly() -> None:
    assert set(_pins("sam.txt")) == {"aws-sam-cli"}
    assert set(_pins("scan.txt")) == {"checkov", "cfn-lint"}


def test_makefile_installs_the_pins_and_turns_telemetry_off() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-r tools/sam.txt" in makefile and "-r tools/scan.txt" in makefile
    # No unpinned install of the same tools anywhere else in the Makefile.
    assert not re.search(r"pip install[^\n]*\b(aws-sam-cli|checkov|cfn-lint)\b", makefile)
    assert re.search(r"^export SAM_CLI_TELEMETRY := 0$", makefile, re.MULTILINE)
    assert "export SAM_CLI_TELEMETRY=0" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "newsdigest").exists(), reason="needs `make install`")
def test_make_test_e2e_without_a_stack_says_it_ran_nothing_and_fails() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NEWSDIGEST_STACK"}
    result = subprocess.run(
        ["make", "-s", "-o", ".venv/bin/newsdigest", "test-e2e"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ran nothing" in result.stderr
    assert "passed" not in result.stdout + result.stderr
