"""The table's access patterns: which index answers which question, and the item attributes they key on.

template.yaml declares the three global secondary indexes (the local stack reads them from there);
``pipeline.records`` writes these attributes through :func:`index_attributes`.

=============  =========================  ===============  ================================================
index          partition key              sort key         answers
=============  =========================  ===============  ================================================
``BySite``     ``site`` (host, no www.)   ``published_at`` articles of one site, newest first, by time range
``ByTime``     ``time_shard`` (0..N-1)    ``published_at`` all articles by time: N partitions read together
``ByFailure``  ``failed_stage``           ``failed_at``    failed items by stage and time (sparse: only
                                                           failed items carry these two attributes)
=============  =========================  ===============  ================================================

``published_at`` is the publication time in UTC (``YYYY-MM-DDTHH:MM:SSZ``, so text order is time order)
when the page states one, else the time the item was written, so that every item can be listed.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

BY_SITE = "BySite"
BY_TIME = "ByTime"
BY_FAILURE = "ByFailure"

SITE = "site"
PUBLISHED_AT = "published_at"
TIME_SHARD = "time_shard"
FAILED_STAGE = "failed_stage"
FAILED_AT = "failed_at"

#: Partitions of the all-articles index. One partition key for every write would make one hot
#: partition (about 1,000 writes/s each); N spread them, and a read merges N queries. Four is ample for
#: news volumes and keeps a page's read cost at four queries. Changing it re-partitions: items keep the
#: shard they were written with, so the readers must then query the union of old and new shards.
TIME_SHARDS = 4

#: Longest DNS name: a longer "host" is not one, and an index key has a size limit (2,048 bytes).
MAX_HOST_CHARS = 253

#: Index name -> (partition key, sort key), as template.yaml declares them.
INDEXES: dict[str, tuple[str, str]] = {
    BY_SITE: (SITE, PUBLISHED_AT),
    BY_TIME: (TIME_SHARD, PUBLISHED_AT),
    BY_FAILURE: (FAILED_STAGE, FAILED_AT),
}


def utc_timestamp(value: str | None) -> str | None:
    """An ISO 8601 date or datetime as ``YYYY-MM-DDTHH:MM:SSZ`` in UTC; None when it is not one.

    A date alone stands for its midnight in UTC; a datetime without an offset is taken as UTC."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def second_before(stamp: str) -> str:
    """The stamp one second earlier: turns an exclusive upper bound into DynamoDB's inclusive one."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (moment - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def site_of(*urls: str | None) -> str | None:
    """The site an item belongs to: the host of its first URL, lower case, without ``www.``."""
    for url in urls:
        if not url:
            continue
        try:
            host = urlsplit(url).hostname
        except ValueError:
            continue
        if host and len(host) <= MAX_HOST_CHARS:
            host = host.rstrip(".")
            return host[4:] if host.startswith("www.") and host.count(".") > 1 else host
    return None


def time_shard(article_id: str) -> str:
    """A stable shard of the all-articles index, spread evenly whatever the id looks like."""
    return str(int(hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8], 16) % TIME_SHARDS)


def index_attributes(item: dict[str, Any]) -> dict[str, Any]:
    """The key attributes of the indexes for one item (summary or failure).

    A value of None means "not indexed": the item write removes the attribute, so an item that failed
    once and then succeeded leaves the sparse failure index."""
    failed = item.get("status") == "failed"
    return {
        SITE: site_of(item.get("canonical_url"), item.get("url")),
        PUBLISHED_AT: utc_timestamp(item.get("published")) or item["created_at"],
        TIME_SHARD: time_shard(item["article_id"]),
        FAILED_STAGE: item.get("stage") if failed else None,
        FAILED_AT: item["updated_at"] if failed else None,
    }


#: Attributes some index keys on: DynamoDB refuses a NULL there, so a None is written as "absent".
INDEX_KEY_ATTRIBUTES = frozenset(name for pair in INDEXES.values() for name in pair)
