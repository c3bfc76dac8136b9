"""Size of the offline copy the service worker keeps (public/static/js/sw.js): every address of
/<conference>/offline.json and the static files the schedule page loads, as a browser's Cache
Storage holds them (bodies uncompressed), for the demo and a generated conference of 2,000
sessions; as a desktop (grid) and a phone (list) asks. Also the server time of a whole copy in
this process (nothing cached), and how many addresses a one-session change makes the service
worker take again (the others it checks by HEAD and keeps).

.venv/bin/python bench/offline_size.py [--sizes 2000]
"""

import argparse
import gzip
import re
import time

from inprocess import DEMO, generated_conference, setup

setup()

from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from conference.models import Conference  # noqa: E402

PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Mobile Safari/537.36"
)
ASSET = re.compile(rb'(?:href|src)="(/static/[^"]+)"')


def kind_of(path, slug):
    rest = path.removeprefix(f"/{slug}/")
    if rest.startswith("schedule/"):
        return "days"
    if rest.startswith("sessions/"):
        return "sessions"
    if rest.startswith("speakers/"):
        return "speakers"
    return "other pages"


def measure(slug, phone):
    """{kind: (count, bytes, largest, gzip bytes)}, {address: ETag digest}, server seconds per request."""
    headers = {"User-Agent": PHONE, "Sec-CH-UA-Mobile": "?1"} if phone else {}
    client = Client(headers=headers)
    listing = client.get(f"/{slug}/offline.json").json()
    first_page = client.get(listing["pages"][0]).content
    assets = sorted({match.decode() for match in ASSET.findall(first_page)})
    sizes, digests, timings = {}, {}, []
    for path in [*listing["pages"], *listing["assets"], *assets]:
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        body = b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, (path, response.status_code)
        digests[path] = response.get("ETag", "").strip('W/"').partition("-")[2] or len(body)
        kind = "static files" if path.startswith("/static/") else kind_of(path, slug)
        count, total, largest, packed = sizes.get(kind, (0, 0, 0, 0))
        sizes[kind] = (
            count + 1,
            total + len(body),
            max(largest, len(body)),
            packed + len(gzip.compress(body, 6)),
        )
    return sizes, digests, timings


def one_session_renamed(conference):
    """Rename a session of the busiest hour and put it back: what a new version costs."""
    session = conference.sessions.order_by("start", "pk")[conference.sessions.count() // 2]
    title = session.title
    session.title = f"{title} (moved)"
    session.save()
    return session, title


def report(conference):
    slug, sessions = conference.slug, conference.sessions.count()
    for phone in (False, True):
        cache.clear()
        sizes, digests, cold = measure(slug, phone)
        total = sum(row[1] for row in sizes.values())
        count = sum(row[0] for row in sizes.values())
        packed = sum(row[3] for row in sizes.values())
        name = f"{slug} ({sessions} sessions), {'phone: list' if phone else 'desktop: grid'}"
        print(
            f"\n{name}: {count} addresses, {total / 1e6:.1f} MB kept "
            f"({packed / 1e6:.1f} MB over the network with gzip)"
        )
        for kind, (n, size, largest, _packed) in sorted(sizes.items()):
            print(
                f"  {kind:<14}{n:>6} × {size / n / 1e3:6.1f} KB = {size / 1e6:6.2f} MB"
                f"   largest {largest / 1e3:.0f} KB"
            )
        print(f"  server time for the whole copy, in-process, nothing cached: {sum(cold):.1f} s")
        if phone:
            continue
        session, title = one_session_renamed(conference)
        try:
            _sizes, after, _timings = measure(slug, phone)
        finally:
            session.title = title
            session.save()
        changed = [path for path in digests if after.get(path) != digests[path]]
        print(
            f"  one session renamed: {len(changed)} of {count} addresses changed bytes and are "
            f"taken again; the others are checked by HEAD (ETag only)"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000])
    options = parser.parse_args()
    conferences = [Conference.objects.get(slug=DEMO)]
    conferences += [generated_conference(size) for size in options.sizes]
    for conference in conferences:
        report(conference)


if __name__ == "__main__":
    main()
