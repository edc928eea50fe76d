"""Safe fetching of untrusted URLs from inside a customer's AWS account.

``fetch_url`` refuses anything but http(s) to public addresses (every resolved address checked,
every redirect re-checked, the checked address dialled), caps size, time and decompression, only
accepts HTML, retries throttling/5xx with bounded backoff and honours robots.txt.
"""

from __future__ import annotations

from newsdigest.fetch.client import FetchResult, fetch_url
from newsdigest.fetch.robots import RobotsCache

__all__ = ["FetchResult", "RobotsCache", "fetch_url"]
