"""Every URL pattern, fed hostile values: never a 500, never markup reflected unescaped."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert(1)</script>"
HOSTILE_VALUES = [
    "no-such-thing",
    "x" * 3000,
    "2026-13-45",
    "0000-00-00",
    "' OR 1=1 --",
    "1;DROP TABLE schedule_session",
    MARKUP,
    '"><img src=x onerror=alert(1)>',
    "%ZZ",
    "%00",
    "..%2F..%2Fetc%2Fpasswd",
    "😀",
]
HOSTILE_QUERIES = [
    {"q": MARKUP},
    {"q": "x" * 10_000},
    {"q": "%"},
    {"q": "_"},
    {"stage": MARKUP},
    {"track": "' OR 1=1 --"},
    {"speaker": "x" * 500},
    {"tz": MARKUP},
    {"tz": "../../etc/passwd"},
    {"layout": MARKUP},
    {"clock": "25"},
    {"next": "https://evil.example/"},
    {"full": MARKUP},
    {"mine": MARKUP},
]


def route_templates(patterns=None, prefix=""):
    """Every route of the site as text, e.g. '<slug:conference>/schedule/<isodate:day>/'."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "accounts/")):
                continue
            yield from route_templates(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def fill(route, value, conference):
    def replace(match):
        return conference if match[1] == "conference" and conference else value

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", replace, route).lstrip("^").rstrip("$")


def assert_safe(response, url):
    assert response.status_code < 500, url
    body = response.content.decode(errors="replace")
    assert MARKUP not in body, url
    assert "onerror=alert(1)>" not in body, url


def test_every_route_survives_hostile_path_values(client, demo_conference):
    routes = [r for r in route_templates() if "<" in r]
    assert len(routes) >= 10
    for route in routes:
        for value in HOSTILE_VALUES:
            for conference in (demo_conference.slug, None):
                url = fill(route, value, conference)
                for method in ("get", "post", "put", "delete"):
                    assert_safe(getattr(client, method)(url), f"{method.upper()} {url}")


def test_every_page_survives_hostile_query_strings(client, demo_conference):
    routes = list(route_templates())
    for route in routes:
        url = fill(route, "no-such-thing", demo_conference.slug)
        for params in HOSTILE_QUERIES:
            assert_safe(client.get(url, params), f"GET {url} {params}")


def test_feeds_and_pages_escape_a_hostile_title(client, demo_conference):
    session = demo_conference.sessions.first()
    session.title = MARKUP
    session.abstract = '"><img src=x onerror=alert(1)>'
    session.save()

    for url in (
        f"/{demo_conference.slug}/schedule/?layout=list",
        f"/{demo_conference.slug}/sessions/{session.slug}/",
        f"/{demo_conference.slug}/speakers/",
    ):
        assert_safe(client.get(url), url)
    ics = client.get(f"/{demo_conference.slug}/schedule.ics").content.decode()
    assert "SUMMARY:<script>alert(1)</script>" in ics  # plain text in a text/calendar file
