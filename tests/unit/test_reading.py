"""The read side's pure logic: index attributes, query checks and plans, paging, cursors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newsdigest.reading import cursor as cursors
from newsdigest.reading import keys
from newsdigest.reading.query import (
    FAILURE_STAGES,
    MAX_LIMIT,
    MAX_ROUNDS,
    ArticleQuery,
    PartitionPage,
    PartitionQuery,
    QueryError,
    parse_day,
    plan,
    run_plan,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-11", "2024-05-11T00:00:00Z"),
        ("2024-05-11T12:30:00+03:00", "2024-05-11T09:30:00Z"),
        ("2024-05-11T09:30:00Z", "2024-05-11T09:30:00Z"),
        ("2024-05-11T09:30:00.123456", "2024-05-11T09:30:00Z"),  # no offset: UTC
        ("2024-05-11 09:30", "2024-05-11T09:30:00Z"),
        ("May 11", None),
        ("", None),
        (None, None),
    ],
)
def test_utc_timestamp(value: str | None, expected: str | None) -> None:
    assert keys.utc_timestamp(value) == expected


def test_site_is_the_host_without_www() -> None:
    assert keys.site_of("https://www.TASS.com/economy/1") == "tass.com"
    assert keys.site_of(None, "https://www.com/x") == "www.com"  # a bare "www.com" is the site itself
    assert keys.site_of("s3://bucket/key", None) == "bucket"
    assert keys.site_of(None, None) is None


def test_time_shards_are_stable_and_spread() -> None:
    shards = [keys.time_shard(f"{n:032x}") for n in range(400)]
    assert shards == [keys.time_shard(f"{n:032x}") for n in range(400)]
    counts = {s: shards.count(s) for s in set(shards)}
    assert set(counts) == {str(n) for n in range(keys.TIME_SHARDS)}
    assert min(counts.values()) > 400 / keys.TIME_SHARDS / 2


def test_index_attributes_of_a_summary_and_of_a_failure() -> None:
    ok = {
        "article_id": "a1",
        "status": "ok",
        "url": "https://www.example.org/news/1",
        "canonical_url": "https://example.org/news/1",
        "published": "2024-05-11T12:00:00+02:00",
        "created_at": "2024-06-01T00:00:00Z",
        "updated_at": "2024-06-01T00:00:00Z",
    }
    attrs = keys.index_attributes(ok)
    assert attrs[keys.SITE] == "example.org"
    assert attrs[keys.PUBLISHED_AT] == "2024-05-11T10:00:00Z"
    assert attrs[keys.FAILED_STAGE] is None and attrs[keys.FAILED_AT] is None  # removed from the sparse index
    failed = {
        **ok,
        "status": "failed",
        "stage": "fetch",
        "published": None,
        "updated_at": "2024-06-02T00:00:00Z",
    }
    attrs = keys.index_attributes(failed)
    assert attrs[keys.PUBLISHED_AT] == "2024-06-01T00:00:00Z"  # no page date: when it was stored
    assert (attrs[keys.FAILED_STAGE], attrs[keys.FAILED_AT]) == ("fetch", "2024-06-02T00:00:00Z")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "pending"}, "status must be one of"),
        ({"since": "yesterday"}, "since must be an ISO 8601"),
        ({"since": "2024-05-12", "until": "2024-05-11"}, "since must be earlier"),
        ({"limit": "0"}, "limit must be a whole number"),
        ({"limit": str(MAX_LIMIT + 1)}, "limit must be a whole number"),
        ({"limit": "ten"}, "limit must be a whole number"),
        ({"sort": "asc"}, "unknown parameter 'sort'"),
        ({"stage": "nowhere"}, "stage must be one of"),
        ({"stage": "fetch", "status": "ok"}, "stage applies to failed items only"),
        ({"site": "   "}, "site must not be empty"),
    ],
)
def test_bad_parameters_are_refused_with_a_message(params: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        ArticleQuery.from_params(params)


def test_parameters_are_normalised() -> None:
    query = ArticleQuery.from_params({"site": "WWW.Tass.com", "since": "2024-05-11", "limit": "5"})
    assert (query.site, query.since, query.limit) == ("tass.com", "2024-05-11T00:00:00Z", 5)
    assert parse_day("2024-05-11") == ("2024-05-11T00:00:00Z", "2024-05-12T00:00:00Z")
    with pytest.raises(QueryError, match="day must be a date"):
        parse_day("11/05/2024")


def test_each_question_goes_to_its_index_never_a_scan() -> None:
    by_site = plan(ArticleQuery(site="tass.com", status="ok"))
    assert [(p.index, p.partition, p.status) for p in by_site.partitions] == [("BySite", "tass.com", "ok")]
    by_time = plan(ArticleQuery(since="2024-05-11T00:00:00Z"))
    assert {p.index for p in by_time.partitions} == {"ByTime"}
    assert sorted(p.partition for p in by_time.partitions) == [str(n) for n in range(keys.TIME_SHARDS)]
    failed = plan(ArticleQuery(status="failed"))
    assert [p.partition for p in failed.partitions] == list(FAILURE_STAGES)
    assert {p.index for p in failed.partitions} == {"ByFailure"}
    assert [p.partition for p in plan(ArticleQuery(stage="fetch")).partitions] == ["fetch"]
    # Failures of one site: the site index, filtered (the failure index is not partitioned by site).
    assert [(p.index, p.status) for p in plan(ArticleQuery(site="x.org", status="failed")).partitions] == [
        ("BySite", "failed")
    ]
    with pytest.raises(QueryError):
        plan(ArticleQuery(site="x.org", stage="fetch"))


class FakeIndex:
    """DynamoDB Query semantics that paging depends on: newest first, Limit counts items *evaluated*
    (before the filter), LastEvaluatedKey whenever Limit was reached, ties in any fixed order."""

    def __init__(self, partitions: dict[str, list[dict[str, Any]]]) -> None:
        # Ties in time ordered by a key other than the id, so the reader cannot rely on id order.
        self.partitions = {
            name: sorted(items, key=lambda i: (i["published_at"], i["tie"]), reverse=True)
            for name, items in partitions.items()
        }
        self.calls = 0

    def __call__(self, part: PartitionQuery, start: dict[str, Any] | None, limit: int) -> PartitionPage:
        self.calls += 1
        rows = [
            i
            for i in self.partitions[part.partition]
            if (part.since is None or i["published_at"] >= part.since)
            and (part.until is None or i["published_at"] < part.until)
        ]
        if start is not None:
            at = next(n for n, i in enumerate(rows) if i["article_id"] == start["article_id"])
            rows = rows[at + 1 :]
        evaluated = rows[:limit]
        last = evaluated[-1] if len(evaluated) == limit else None
        matched = [i for i in evaluated if part.status is None or i["status"] == part.status]
        last_key = (
            {
                "article_id": last["article_id"],
                "time_shard": part.partition,
                "published_at": last["published_at"],
            }
            if last
            else None
        )
        return PartitionPage([dict(i) for i in matched], last_key)


item_strategy = st.builds(
    dict,
    published_at=st.sampled_from([f"2024-05-{d:02d}T0{h}:00:00Z" for d in (10, 11, 12) for h in (0, 5, 9)]),
    status=st.sampled_from(["ok", "failed"]),
    tie=st.integers(0, 3),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.tuples(st.integers(0, keys.TIME_SHARDS - 1), item_strategy), max_size=40),
    limit=st.integers(1, 7),
    status=st.sampled_from([None, "ok"]),  # (status=failed reads the failure index)
    since=st.sampled_from([None, "2024-05-11T00:00:00Z"]),
)
def test_paging_returns_every_match_once_newest_first(
    rows: list[tuple[int, dict[str, Any]]], limit: int, status: str | None, since: str | None
) -> None:
    partitions: dict[str, list[dict[str, Any]]] = {str(n): [] for n in range(keys.TIME_SHARDS)}
    for n, (shard, row) in enumerate(rows):
        partitions[str(shard)].append({**row, "article_id": f"id{n:03d}", "time_shard": str(shard)})
    index = FakeIndex(partitions)
    query = ArticleQuery(status=status, since=since, limit=limit)
    the_plan = plan(query)
    seen: list[dict[str, Any]] = []
    positions = None
    for _ in range(200):
        page = run_plan(the_plan, index, positions)
        assert len(page.items) <= limit
        assert page.queries <= MAX_ROUNDS * len(the_plan.partitions)
        seen.extend(page.items)
        if not page.positions:
            break
        # The positions travel in the cursor between requests.
        positions = cursors.decode(cursors.encode(query.fingerprint, page.positions), query.fingerprint)
    expected = [
        i
        for items in partitions.values()
        for i in items
        if (status is None or i["status"] == status) and (since is None or i["published_at"] >= since)
    ]
    assert sorted(i["article_id"] for i in seen) == sorted(i["article_id"] for i in expected)
    stamps = [i["published_at"] for i in seen]
    assert stamps == sorted(stamps, reverse=True)  # newest first across pages and partitions


def test_cursor_is_bound_to_its_query_and_refuses_tampering() -> None:
    query = ArticleQuery(site="tass.com")
    positions = {
        "BySite:tass.com": {"article_id": "a", "site": "tass.com", "published_at": "2024-05-11T00:00:00Z"}
    }
    token = cursors.encode(query.fingerprint, positions)
    assert cursors.decode(token, query.fingerprint) == positions
    with pytest.raises(QueryError, match="another query"):
        cursors.decode(token, ArticleQuery(site="other.org").fingerprint)
    for bad in ("not a cursor", token[:-4], "eyJ2IjoyfQ", "x" * 5000):
        with pytest.raises(QueryError):
            cursors.decode(bad, query.fingerprint)
    with pytest.raises(QueryError):  # a position for a partition the query does not read
        run_plan(plan(ArticleQuery()), lambda *_: PartitionPage([], None), positions)


def test_a_page_waits_for_a_partition_whose_matches_are_still_unread() -> None:
    """Shard 0's first items are filtered out, so its page is empty but not finished: shard 1's older
    items must not be returned before shard 0's newer match (a later page would go back in time)."""

    def row(n: int, day: int, status: str, shard: str) -> dict[str, Any]:
        return {
            "article_id": f"id{n}",
            "published_at": f"2024-05-{day:02d}T00:00:00Z",
            "status": status,
            "time_shard": shard,
            "tie": 0,
        }

    index = FakeIndex(
        {
            "0": [row(1, 20, "failed", "0"), row(2, 19, "failed", "0"), row(3, 18, "ok", "0")],
            "1": [row(4, 17, "ok", "1"), row(5, 16, "ok", "1")],
            "2": [],
            "3": [],
        }
    )
    query = ArticleQuery(status="ok", limit=2)
    page = run_plan(plan(query), index)
    assert [i["article_id"] for i in page.items] == ["id3", "id4"]
