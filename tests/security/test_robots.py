"""robots.txt: respected by default, fetched through the same guarded client, cached per origin."""

from __future__ import annotations

from dataclasses import replace

import pytest
from newsdigest.errors import FetchError, TransientError
from newsdigest.fetch import RobotsCache, fetch_url

from tests.security.hostile_servers import html, raw, raw_location, redirect

ROBOTS = "User-agent: *\nDisallow: /private\n\nUser-agent: newsdigest\nDisallow: /no-bots\n"


@pytest.fixture
def polite(strict):
    return replace(strict, respect_robots=True)


def _robots(body: str, status: int = 200):
    return raw(status, body.encode(), {"Content-Type": "text/plain"})


def test_default_settings_respect_robots() -> None:
    from newsdigest.fetch.policy import FetchSettings

    defaults = FetchSettings()
    assert defaults.respect_robots is True
    assert defaults.allow_private_addresses is False


@pytest.mark.parametrize("path", ["/no-bots/story", "/no-bots"])
def test_disallowed_for_our_agent(path, origin, polite, dns, override, robots_cache) -> None:
    origin.routes["/robots.txt"] = _robots(ROBOTS)
    origin.routes[path] = html()
    with pytest.raises(FetchError) as info:
        fetch_url(
            f"http://news.example{path}",
            polite,
            resolver=dns,
            connect_override=override,
            robots_cache=robots_cache,
        )
    assert info.value.reason == "robots_disallowed"
    assert origin.hits[path] == 0


def test_allowed_path_fetched_and_robots_cached(origin, polite, dns, override, robots_cache) -> None:
    origin.routes["/robots.txt"] = _robots(ROBOTS)
    origin.routes["/news/1"] = html()
    origin.routes["/news/2"] = html()
    for path in ("/news/1", "/news/2"):
        fetch_url(
            f"http://news.example{path}",
            polite,
            resolver=dns,
            connect_override=override,
            robots_cache=robots_cache,
        )
    assert origin.hits["/robots.txt"] == 1
    assert origin.requests[0][1]["user-agent"] == polite.user_agent


def test_robots_can_be_switched_off(origin, strict, dns, override, robots_cache) -> None:
    origin.routes["/robots.txt"] = _robots("User-agent: *\nDisallow: /\n")
    origin.routes["/"] = html()
    assert (
        fetch_url(
            "http://news.example/", strict, resolver=dns, connect_override=override, robots_cache=robots_cache
        ).status
        == 200
    )
    assert origin.hits["/robots.txt"] == 0


@pytest.mark.parametrize("status", [404, 410, 401, 403])
def test_missing_robots_allows(status, origin, polite, dns, override, robots_cache) -> None:
    origin.routes["/robots.txt"] = _robots("User-agent: *\nDisallow: /\n", status)
    origin.routes["/"] = html()
    assert (
        fetch_url(
            "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
        ).status
        == 200
    )


def test_unreachable_robots_is_transient_and_page_untouched(
    origin, polite, dns, override, robots_cache
) -> None:
    origin.routes["/robots.txt"] = raw(503, b"", {})
    origin.routes["/"] = html()
    with pytest.raises(TransientError) as info:
        fetch_url(
            "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
        )
    assert info.value.reason == "robots_unavailable"
    assert origin.hits["/"] == 0


@pytest.mark.parametrize(
    "location", ["http://169.254.169.254/robots.txt", "http://127.0.0.1:{t}/robots.txt", "file:///etc/passwd"]
)
def test_robots_redirect_into_private_space_is_not_followed(
    location, origin, target, polite, dns, override, robots_cache, network_guard
) -> None:
    origin.routes["/robots.txt"] = redirect(location.replace("{t}", str(target.port)))
    origin.routes["/"] = html()
    result = fetch_url(
        "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
    )
    assert result.status == 200
    assert target.total_hits == 0
    assert set(network_guard.ports()) == {origin.port}


def test_robots_redirect_to_public_host_is_followed(
    origin, origin2, polite, dns, override, robots_cache
) -> None:
    origin.routes["/robots.txt"] = redirect("http://other.example/robots.txt", 301)
    origin2.routes["/robots.txt"] = _robots("User-agent: *\nDisallow: /\n")
    origin.routes["/"] = html()
    with pytest.raises(FetchError) as info:
        fetch_url(
            "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
        )
    assert info.value.reason == "robots_disallowed"
    assert origin.hits["/"] == 0


def test_huge_robots_is_truncated_not_refused(origin, polite, dns, override, robots_cache) -> None:
    settings = replace(polite, robots_max_bytes=1000)
    body = "User-agent: *\nDisallow: /private\n" + "# padding\n" * 100_000 + "Disallow: /\n"
    origin.routes["/robots.txt"] = _robots(body)
    origin.routes["/ok"] = html()
    # The trailing "Disallow: /" is past the cap and therefore ignored.
    assert (
        fetch_url(
            "http://news.example/ok",
            settings,
            resolver=dns,
            connect_override=override,
            robots_cache=robots_cache,
        ).status
        == 200
    )


def test_redirect_target_host_robots_is_checked(origin, origin2, polite, dns, override, robots_cache) -> None:
    origin.routes["/"] = redirect("http://other.example/no-bots/story")
    origin2.routes["/robots.txt"] = _robots(ROBOTS)
    origin2.routes["/no-bots/story"] = html()
    with pytest.raises(FetchError) as info:
        fetch_url(
            "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
        )
    assert info.value.reason == "robots_disallowed"
    assert origin2.hits["/no-bots/story"] == 0


def test_specific_group_overrides_star_group(origin, polite, dns, override, robots_cache) -> None:
    """RFC 9309: the group naming our product token replaces the "*" group entirely."""
    origin.routes["/robots.txt"] = _robots(ROBOTS)
    origin.routes["/private/x"] = html()
    assert (
        fetch_url(
            "http://news.example/private/x",
            polite,
            resolver=dns,
            connect_override=override,
            robots_cache=robots_cache,
        ).status
        == 200
    )


def test_cache_expires_and_is_bounded() -> None:
    now = [0.0]
    cache = RobotsCache(ttl=10, max_entries=2, clock=lambda: now[0])
    from newsdigest.fetch.robots import rules_from_response

    rules = rules_from_response(404, b"")
    cache.put("http://a", rules)
    cache.put("http://b", rules)
    cache.put("http://c", rules)
    assert cache.get("http://a") is None
    assert cache.get("http://c") is rules
    now[0] = 11
    assert cache.get("http://c") is None


# --- RFC 9309 matching: longest match, "*" and "$" ---------------------------------------------------

RFC_9309 = (
    "User-agent: *\n"
    "Disallow: /news/\n"
    "Allow: /news/public/\n"
    "Disallow: /*.pdf$\n"
    "Disallow: /tmp*/cache\n"
    "Allow: /$\n"
    "Disallow: /\n"
)


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/a/file.pdf", False),  # "*" and "$": urllib.robotparser read them literally and let it through
        ("/a/file.pdf?page=2", False),  # "Disallow: /" is the longest match left
        ("/news/public/story", True),  # the longer Allow wins over the earlier, shorter Disallow
        ("/news/story", False),
        ("/tmp-files/x/cache", False),
        ("/", True),  # "Allow: /$" matches the root only
    ],
)
def test_rules_follow_rfc_9309(path, allowed, origin, polite, dns, override, robots_cache) -> None:
    origin.routes["/robots.txt"] = _robots(RFC_9309)
    origin.routes[path] = html()
    fetch = lambda: fetch_url(  # noqa: E731
        f"http://news.example{path}",
        polite,
        resolver=dns,
        connect_override=override,
        robots_cache=robots_cache,
    )
    if allowed:
        assert fetch().status == 200
    else:
        with pytest.raises(FetchError) as info:
            fetch()
        assert info.value.reason == "robots_disallowed"
        assert origin.hits[path] == 0


@pytest.mark.parametrize(
    ("path", "allowed"), [("/a/file.pdf", False), ("/a/file.pdf?x=1", True), ("/a/pdf", True)]
)
def test_a_wildcard_and_an_end_anchor_are_honoured(
    path, allowed, origin, polite, dns, override, robots_cache
) -> None:
    """The issue's own case: urllib.robotparser let /a/file.pdf through "Disallow: /*.pdf$"."""
    origin.routes["/robots.txt"] = _robots("User-agent: *\nDisallow: /*.pdf$\n")
    origin.routes[path] = html()
    try:
        fetch_url(
            f"http://news.example{path}",
            polite,
            resolver=dns,
            connect_override=override,
            robots_cache=robots_cache,
        )
    except FetchError as exc:
        assert not allowed and exc.reason == "robots_disallowed"
    else:
        assert allowed


def test_groups_match_our_product_token_not_our_whole_user_agent() -> None:
    from newsdigest.fetch.robots import product_token, rules_from_response

    ua = "newsdigest/0.1 (+https://github.com/newsdigest/newsdigest)"
    assert product_token(ua) == "newsdigest"
    # "github" appears in our User-Agent header but is not our product token.
    rules = rules_from_response(200, b"User-agent: github\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n")
    assert rules.can_fetch(ua, "http://news.example/story")
    assert not rules.can_fetch(ua, "http://news.example/x")


@pytest.mark.parametrize("location", ["http://[", "http://[::1:\u2026/", "//[x]y/"])
def test_robots_redirect_to_no_url_at_all_leaves_no_rules(
    location, origin, polite, dns, override, robots_cache
) -> None:
    """Any site can send it; the file is then unreadable (as when its redirect leaves policy), so
    the page is fetched on its own merits instead of the fetch raising ValueError."""
    origin.routes["/robots.txt"] = raw_location(location)
    origin.routes["/"] = html()
    result = fetch_url(
        "http://news.example/", polite, resolver=dns, connect_override=override, robots_cache=robots_cache
    )
    assert result.status == 200


def test_rules_carry_crawl_delay_and_sitemaps_for_discovery() -> None:
    from newsdigest.discovery.robots import crawl_delay, sitemap_urls
    from newsdigest.fetch.robots import rules_from_response

    body = b"User-agent: *\nCrawl-delay: 2\n\nUser-agent: newsdigest\nCrawl-delay: 5\nSitemap: https://x.example/s.xml\n"
    rules = rules_from_response(200, body)
    assert crawl_delay(rules, "newsdigest/0.1 (+https://github.com/newsdigest/newsdigest)") == 5.0
    assert sitemap_urls(rules) == ["https://x.example/s.xml"]
