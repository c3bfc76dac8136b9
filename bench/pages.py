"""Server-side time and query count of the public pages, by conference size.

Runs the app in-process (Django's test client, production settings, no network) against
its own database: DATABASE_URL when set, else an SQLite file in bench/results/.
Prints median and p95 milliseconds and the SQL query count of each page, uncached
(caches cleared before every request) and cached (warm cache), and the per-session cost
so the growth with conference size can be read off.

    .venv/bin/python bench/pages.py [--sizes 200,2000,10000] [--runs 15]
"""

import argparse
import statistics
import time

from inprocess import DEMO, busiest_day, generated_conference, setup

setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from conference.models import Conference  # noqa: E402
from schedule.models import Session  # noqa: E402


def pages(slug):
    conference = Conference.objects.get(slug=slug)
    day = busiest_day(conference)
    session = Session.objects.filter(conference=conference, speakers__isnull=False).first()
    base = f"/{slug}"
    return conference, [
        ("day grid", f"{base}/schedule/{day}/?layout=grid"),
        ("day list", f"{base}/schedule/{day}/?layout=list"),
        ("speakers", f"{base}/speakers/"),
        ("session", f"{base}/sessions/{session.slug}/"),
        ("agenda", f"{base}/agenda/"),  # signed in, ten sessions
        ("schedule.ics", f"{base}/schedule.ics"),
        ("schedule.xml", f"{base}/schedule.xml"),
        ("schedule.json", f"{base}/schedule.json"),
    ]


def attendee_client(conference):
    """A signed-in attendee with ten sessions in the agenda, for the agenda page."""
    from django.contrib.auth import get_user_model

    from attendees.models import AgendaEntry

    user, _ = get_user_model().objects.get_or_create(
        username="bench-attendee", defaults={"email": "bench@example.org"}
    )
    for session in Session.objects.for_conference(conference).order_by("start")[:10]:
        AgendaEntry.objects.get_or_create(user=user, session=session)
    client = Client()
    client.force_login(user)
    return client


def measure(client, url, runs, cached):
    timings, queries, status = [], 0, None
    if cached:
        client.get(url)
    for _ in range(runs):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return statistics.median(timings), p95, queries, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,2000,10000")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    for size in sizes:
        generated_conference(size)
    client = Client()
    print(
        f"database: {connection.vendor}; cache: {cache.__class__.__name__}; runs per figure: {args.runs}"
    )
    print(
        f"{'conference':<16}{'sessions':>9}  {'page':<14}{'uncached med':>13}{'p95':>8}"
        f"{'cached med':>12}{'p95':>8}{'queries':>9}"
    )
    for slug in [DEMO, *(f"bench-{size}" for size in sizes)]:
        conference, urls = pages(slug)
        count = conference.sessions.count()
        runs = args.runs if count <= 2000 else max(5, args.runs // 3)
        attendee = attendee_client(conference)
        for name, url in urls:
            who = attendee if name == "agenda" else client
            cold = measure(who, url, runs, cached=False)
            warm = measure(who, url, runs, cached=True)
            if cold[3] != 200:
                print(f"{slug:<16}{count:>9}  {name:<14} HTTP {cold[3]}")
                continue
            print(
                f"{slug:<16}{count:>9}  {name:<14}{cold[0]:>11.1f}ms{cold[1]:>6.1f}ms"
                f"{warm[0]:>10.1f}ms{warm[1]:>6.1f}ms{cold[2]:>9}"
            )


if __name__ == "__main__":
    main()
