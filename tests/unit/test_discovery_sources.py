"""Sources without AWS: what is refused when added (and why, in words a user can act on), what a
valid spec becomes, and the seed and file formats."""

from __future__ import annotations

from typing import Any

import pytest
from newsdigest.discovery import limits
from newsdigest.discovery.sources import CrawlSource, SourceError, parse_every, validate_source
from newsdigest.fetch.policy import FetchSettings
from newsdigest.pipeline.discover import parse_source_specs, public_address_check

PUBLIC = "https://93.184.215.14/news/feed.xml"


def _names(host: str, port: int) -> list[str]:
    """A resolver with no network: one name points inside, one outside, one at both."""
    return {
        "intranet.example": ["10.1.2.3"],
        "news.example": ["93.184.215.14"],
        "split.example": ["93.184.215.14", "192.168.0.7"],
    }.get(host, [])


CHECK = public_address_check(FetchSettings(allow_private_addresses=False), resolver=_names)


def _refusal(spec: dict[str, Any]) -> SourceError:
    with pytest.raises(SourceError) as caught:
        validate_source(spec, check_address=CHECK)
    return caught.value


@pytest.mark.parametrize(
    ("url", "reason", "says"),
    [
        ("not a url", "bad_url", "no scheme"),
        ("http://", "bad_url", "no host"),
        ("http://exa mple.com/", "bad_url", "whitespace"),
        ("http://[::1", "bad_url", "unparseable"),
        ("http://example.com:99999/", "bad_url", "port"),
        ("https://user:pw@example.com/feed", "bad_url", "credentials"),
        ("", "bad_url", "needs a 'url'"),
    ],
)
def test_an_unparseable_url_is_refused_saying_what_is_wrong(url: str, reason: str, says: str) -> None:
    error = _refusal({"url": url})
    assert error.reason == reason and says in str(error)
    assert error.permanent


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)"])
def test_a_scheme_other_than_http_is_refused(url: str) -> None:
    error = _refusal({"url": url})
    assert error.reason == "scheme_not_allowed" and "scheme" in str(error)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.0.0.8/feed.xml", "private"),
        ("http://127.0.0.1/", "loopback"),
        ("http://0x7f000001/", "loopback"),  # 127.0.0.1 in another spelling
        ("http://[::1]:8080/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://localhost:8000/", "loopback"),
        ("https://intranet.example/feed", "private"),  # a name that resolves inside
        ("https://split.example/feed", "private"),  # one inside answer is enough
    ],
)
def test_a_private_address_is_refused(url: str, says: str) -> None:
    error = _refusal({"url": url})
    assert error.reason == "address_not_allowed" and says in str(error)


def test_private_addresses_pass_only_when_the_caller_allows_them() -> None:
    assert public_address_check(FetchSettings(allow_private_addresses=True)) is None
    assert validate_source({"url": "http://127.0.0.1:8765/"}).url == "http://127.0.0.1:8765/"
    assert validate_source({"url": "https://news.example/feed"}, check_address=CHECK).url


@pytest.mark.parametrize(
    "every",
    ["1m", 4, "rate(4 minutes)", "8d", "rate(169 hours)", 0, -5, "soon", "15 fortnights", "", True, 2.5],
)
def test_a_schedule_out_of_range_or_not_a_rate_is_refused(every: Any) -> None:
    error = _refusal({"url": PUBLIC, "every": every})
    assert error.reason == "bad_schedule"
    assert "rate" in str(error) or "out of range" in str(error)


@pytest.mark.parametrize(
    ("every", "minutes"),
    [(5, 5), ("15m", 15), ("2h", 120), ("1d", 1440), ("rate(15 minutes)", 15), ("rate(1 day)", 1440),
     (" 30 ", 30), ("7d", limits.MAX_EVERY_MINUTES)],
)  # fmt: skip
def test_schedules_in_every_form_a_user_writes(every: Any, minutes: int) -> None:
    assert parse_every(every) == minutes
    assert validate_source({"url": PUBLIC, "every": every}, check_address=CHECK).every_minutes == minutes


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("max_new_per_run", 0, "bad_max_new_per_run"),
        ("max_new_per_run", limits.MAX_MAX_NEW_PER_RUN + 1, "bad_max_new_per_run"),
        ("max_new_per_run", "many", "bad_max_new_per_run"),
        ("requests_per_minute", 0, "bad_requests_per_minute"),
        ("requests_per_minute", limits.MAX_REQUESTS_PER_MINUTE + 1, "bad_requests_per_minute"),
        ("requests_per_minute", 1.5, "bad_requests_per_minute"),
        ("include", ["(unclosed"], "bad_pattern"),
        ("exclude", ["x" * (limits.MAX_PATTERN_LENGTH + 1)], "bad_pattern"),
        ("include", ["a"] * (limits.MAX_PATTERNS + 1), "bad_pattern"),
        ("kind", "podcast", "bad_kind"),
        ("enabled", "yes", "bad_enabled"),
        ("colour", "blue", "bad_source"),
    ],
)
def test_limits_patterns_and_fields_out_of_range_are_refused(field: str, value: Any, reason: str) -> None:
    assert _refusal({"url": PUBLIC, field: value}).reason == reason


def test_a_valid_spec_becomes_a_canonical_source_with_one_id_however_it_is_written() -> None:
    source = validate_source(
        {"url": "HTTPS://93.184.215.14:443/news/feed.xml?utm_source=x#top", "every": "1h",
         "include": ["/news/"], "exclude": ["/live/"], "requests_per_minute": 10},
        check_address=CHECK,
    )  # fmt: skip
    assert source.url == PUBLIC
    assert source.id == validate_source({"url": PUBLIC}, check_address=CHECK).id
    assert source.every_minutes == 60 and source.min_interval == 6.0
    site = "https://93.184.215.14"
    assert source.wants(f"{site}/news/a") and not source.wants(f"{site}/news/live/a")
    assert not source.wants(f"{site}/sport/a")  # include given: one must match
    assert CrawlSource.from_item(source.to_item()) == source


def test_defaults_and_state_survive_the_item_round_trip() -> None:
    source = validate_source({"url": PUBLIC}, check_address=CHECK).with_state(next_due_at=123, errors=[])
    assert (source.kind, source.every_minutes, source.enabled) == ("auto", limits.DEFAULT_EVERY_MINUTES, True)
    back = CrawlSource.from_item(source.to_item())
    assert back == source and back.state == {"next_due_at": 123, "errors": []}


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ('["https://a.example/", {"url": "https://b.example/feed", "every": "1h"}]',
         ["https://a.example/", "https://b.example/feed"]),
        ('{"sources": ["https://a.example/"]}', ["https://a.example/"]),
        ('{"url": "https://a.example/"}', ["https://a.example/"]),
        ("", []),
    ],
)  # fmt: skip
def test_seed_and_file_formats(text: str, urls: list[str]) -> None:
    assert [spec["url"] for spec in parse_source_specs(text)] == urls


@pytest.mark.parametrize("text", ["[not json", '"https://a.example/"', "42"])
def test_seed_text_that_is_no_list_of_sources_is_refused(text: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_source_specs(text)
    assert caught.value.reason == "bad_source"
