from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# What the template's Globals give every function, set before anything imports the Powertools objects
# (as in Lambda, where the environment exists before the first import).
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "newsdigest")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "newsdigest-test")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
# Commands run on the embedded stack keep their state in a data directory: never the user's own.
os.environ["NEWSDIGEST_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdigest-test-data-")

# Properties assert what a case yields, never how long it takes: on a shared 2-core machine an example
# can wait for a core far past Hypothesis's 200 ms default deadline. Cost bounds have their own tests
# (tests/hostile, in child processes with limits well above the bound) and benchmarks/hostile.py.
# CI (.ci/run sets HYPOTHESIS_PROFILE=ci) draws the same examples every run, so a landing is judged on
# the code, not on the draw; a developer's run draws fresh ones and finds what CI would not.
settings.register_profile("dev", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"
TEMPLATE = ROOT / "template.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
