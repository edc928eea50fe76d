"""Where the benchmarks find the development data: ``../shared/data`` beside the checkout.

It is read-only and never shipped; each benchmark skips with a message when it is absent.
"""

from __future__ import annotations

from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
EXTRACTION_DEV = SHARED_DATA / "extraction-dev"
SUMMARISATION_DEV = SHARED_DATA / "summarisation-dev"
EXTRACTION_FULLTEXT_DEV = SHARED_DATA / "extraction-fulltext-dev"
