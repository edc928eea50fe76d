"""Finding article URLs: sources, feeds, sitemaps, homepages, canonical URLs and per-host pacing.

Pure domain code (bytes and strings in, dataclasses out); the Discover function's AWS side lives in
``newsdigest.aws`` and the run itself in ``newsdigest.pipeline.discover``. Kept import-free so that
Ingest, which needs only :mod:`newsdigest.discovery.canonical`, pays for nothing else.
"""
