"""What a reader asks for, checked, and the index queries that answer it.

Pure: request parameters in, an :class:`ArticleQuery` and its :class:`Plan` out; the AWS adapter
(``aws.reader``) runs the plan's partition queries and hands the pages back to :func:`merge`, which
decides what the page holds and where each partition resumes. Nothing here ever scans the table.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from newsdigest.errors import InputError
from newsdigest.reading import keys

STATUSES = ("ok", "failed")
DEFAULT_LIMIT = 20
#: Most items one page returns (API, CLI and digest alike): bounds a reply's size and a request's
#: reads (a page reads at most ``limit`` items from each partition per round).
MAX_LIMIT = 100
#: Rounds of partition queries one page may take when a status filter leaves pages short, so that a
#: request's cost has a bound whatever the data; a short page still carries its cursor.
MAX_ROUNDS = 4
#: The stages a failure is recorded at (pipeline.ingest, pipeline.summary): the failure index is
#: partitioned on them, so listing every failure merges one query per stage.
FAILURE_STAGES = ("read", "fetch", "extract", "ingest", "summarise")


class QueryError(InputError):
    """A parameter a reader got wrong: the API answers 400 with the message, the CLI exits 2."""

    reason = "bad_request"


def parse_time(value: str, name: str) -> str:
    """A date or datetime parameter as the index's UTC timestamp text."""
    stamp = keys.utc_timestamp(value)
    if stamp is None:
        raise QueryError(f"{name} must be an ISO 8601 date or datetime (2024-05-11, 2024-05-11T09:30:00Z)")
    return stamp


def parse_day(value: str, name: str = "day") -> tuple[str, str]:
    """``YYYY-MM-DD`` as the [since, until) range of that UTC day."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise QueryError(f"{name} must be a date, YYYY-MM-DD") from None
    start = datetime.combine(day, datetime.min.time(), UTC)
    return _stamp(start), _stamp(start + timedelta(days=1))


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_limit(value: str | int | None, *, default: int = DEFAULT_LIMIT, name: str = "limit") -> int:
    if value is None or value == "":
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise QueryError(f"{name} must be a whole number from 1 to {MAX_LIMIT}") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"{name} must be a whole number from 1 to {MAX_LIMIT}")
    return limit


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Articles newest first, optionally of one site, in [since, until), of one status or stage."""

    site: str | None = None
    since: str | None = None
    until: str | None = None
    status: str | None = None
    stage: str | None = None
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise QueryError(f"status must be one of {', '.join(STATUSES)}")
        if self.stage is not None:
            if self.stage not in FAILURE_STAGES:
                raise QueryError(f"stage must be one of {', '.join(FAILURE_STAGES)}")
            if self.status not in (None, "failed"):
                raise QueryError("stage applies to failed items only")
        if self.since and self.until and self.since >= self.until:
            raise QueryError("since must be earlier than until")
        if self.site is not None and not self.site.strip():
            raise QueryError("site must not be empty")

    @classmethod
    def from_params(cls, params: Mapping[str, str | None], *, allowed: Sequence[str] = ()) -> ArticleQuery:
        """From query-string parameters (``site``, ``since``, ``until``, ``status``, ``stage``,
        ``limit``); an unknown parameter is an error rather than silently ignored."""
        known = {"site", "since", "until", "status", "stage", "limit", *allowed}
        unknown = sorted(set(params) - known)
        if unknown:
            raise QueryError(f"unknown parameter {unknown[0]!r}; expected {', '.join(sorted(known))}")
        site = params.get("site")
        return cls(
            site=keys.site_of(f"//{site.strip()}") or site.strip().lower() if site else None,
            since=parse_time(str(params["since"]), "since") if params.get("since") else None,
            until=parse_time(str(params["until"]), "until") if params.get("until") else None,
            status=params.get("status") or None,
            stage=params.get("stage") or None,
            limit=parse_limit(params.get("limit")),
        )

    @property
    def fingerprint(self) -> dict[str, Any]:
        """What a cursor is bound to: a cursor from one query cannot page another."""
        return {
            "site": self.site,
            "since": self.since,
            "until": self.until,
            "status": self.status,
            "stage": self.stage,
        }


@dataclass(frozen=True, slots=True)
class PartitionQuery:
    """One DynamoDB Query: one partition of one index, newest first, over a sort-key range."""

    index: str
    partition_key: str
    partition: str
    sort_key: str
    since: str | None
    until: str | None
    #: Checked by a filter expression, when the index does not partition on it.
    status: str | None = None

    @property
    def name(self) -> str:
        return f"{self.index}:{self.partition}"


@dataclass(frozen=True, slots=True)
class Plan:
    partitions: tuple[PartitionQuery, ...]
    limit: int


def plan(query: ArticleQuery) -> Plan:
    """The index that answers the query, and the partitions to read together."""
    if query.stage is not None and query.site is not None:
        raise QueryError("stage and site cannot be combined")
    if query.stage is not None or (query.status == "failed" and query.site is None):
        # Failed items by when they failed. (With a site, failures come from BySite below, by the
        # page's time: the failure index is not partitioned by site.)
        pk, sk = keys.INDEXES[keys.BY_FAILURE]
        stages = (query.stage,) if query.stage else FAILURE_STAGES
        parts = [PartitionQuery(keys.BY_FAILURE, pk, s, sk, query.since, query.until) for s in stages]
        return Plan(tuple(parts), query.limit)
    if query.site is not None:
        pk, sk = keys.INDEXES[keys.BY_SITE]
        part = PartitionQuery(keys.BY_SITE, pk, query.site, sk, query.since, query.until, query.status)
        return Plan((part,), query.limit)
    pk, sk = keys.INDEXES[keys.BY_TIME]
    shards = [str(n) for n in range(keys.TIME_SHARDS)]
    parts = [PartitionQuery(keys.BY_TIME, pk, s, sk, query.since, query.until, query.status) for s in shards]
    return Plan(tuple(parts), query.limit)


@dataclass(slots=True)
class PartitionPage:
    """What one Query returned: items newest first and DynamoDB's LastEvaluatedKey (None at the end)."""

    items: list[dict[str, Any]]
    last_key: dict[str, Any] | None


Fetch = Callable[[PartitionQuery, "dict[str, Any] | None", int], PartitionPage]


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    #: Partition name -> where it resumes, for the partitions that have more (empty on the last page).
    positions: dict[str, dict[str, Any] | None]
    #: Index queries this page cost: at most ``MAX_ROUNDS`` x partitions, whatever the data.
    queries: int


def run_plan(
    the_plan: Plan, fetch: Fetch, positions: Mapping[str, dict[str, Any] | None] | None = None
) -> Page:
    """One page of a plan: rounds of one query per open partition (``fetch`` runs it), merged, until
    the page is full, every partition is exhausted, or ``MAX_ROUNDS`` is reached (a short page then
    still carries positions). ``positions`` resumes a previous page; None starts from the newest."""
    parts = {p.name: p for p in the_plan.partitions}
    if positions is None:
        positions = dict.fromkeys(parts)
    elif set(positions) - set(parts):
        raise QueryError("cursor is not one this API issued")
    open_positions = dict(positions)
    items: list[dict[str, Any]] = []
    queries = 0
    for _ in range(MAX_ROUNDS):
        active = [part for name, part in parts.items() if name in open_positions]
        if not active or len(items) == the_plan.limit:
            break
        want = the_plan.limit - len(items)
        pages = {p.name: fetch(p, open_positions[p.name], want) for p in active}
        queries += len(pages)
        merged = merge(active, open_positions, pages, want)
        items.extend(merged.items)
        open_positions = merged.positions
    return Page(items, open_positions, queries)


@dataclass(slots=True)
class Merged:
    items: list[dict[str, Any]]
    #: Partition name -> where it resumes (an ExclusiveStartKey; None: from its start), for the
    #: partitions that have more; the exhausted ones are left out.
    positions: dict[str, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return not self.positions


def _key_of(item: Mapping[str, Any], part: PartitionQuery) -> dict[str, Any]:
    """The ExclusiveStartKey that resumes a partition just after ``item``: table key plus index key."""
    return {
        "article_id": item["article_id"],
        part.partition_key: item[part.partition_key],
        part.sort_key: item[part.sort_key],
    }


def merge(
    parts: Sequence[PartitionQuery],
    starts: Mapping[str, dict[str, Any] | None],
    pages: Mapping[str, PartitionPage],
    limit: int,
) -> Merged:
    """The newest ``limit`` items across the partitions read (``pages``, started at ``starts``) that
    are safe to return now, and where each partition resumes.

    A partition with more to give (its page has a LastEvaluatedKey) holds nothing newer than that key;
    items of other partitions older than it cannot be returned yet, or a later page would go back in
    time. So the page stops at the newest such frontier. What it takes of each partition is a prefix
    of that partition's own order (ties in time stay in DynamoDB's order), and the partition resumes
    just after the last item taken, or where DynamoDB stopped when its whole page was taken."""
    frontier: str | None = None
    for part in parts:
        last_key = pages[part.name].last_key
        if last_key is not None:
            edge = str(last_key[part.sort_key])
            frontier = edge if frontier is None or edge > frontier else frontier
    streams = [
        [(str(item[part.sort_key]), n, item) for item in pages[part.name].items]
        for n, part in enumerate(parts)
    ]
    taken: list[dict[str, Any]] = []
    counts = [0] * len(parts)
    for stamp, n, item in heapq.merge(*streams, key=lambda entry: entry[0], reverse=True):
        if len(taken) == limit or (frontier is not None and stamp < frontier):
            break
        taken.append(item)
        counts[n] += 1
    positions: dict[str, dict[str, Any] | None] = {}
    for n, part in enumerate(parts):
        page = pages[part.name]
        if counts[n] == len(page.items):
            if page.last_key is not None:
                positions[part.name] = page.last_key
        elif counts[n]:
            positions[part.name] = _key_of(page.items[counts[n] - 1], part)
        else:
            positions[part.name] = starts.get(part.name)
    return Merged(taken, positions)
