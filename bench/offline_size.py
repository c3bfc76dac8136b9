"""Size of the offline copy the service worker keeps (public/static/js/sw.js): every address of
/<conference>/offline.json and the static files the schedule page loads, as a browser's Cache
Storage holds them (bodies uncompressed), for the demo and a generated conference of 2,000
sessions; as a desktop (grid) and a phone (list) asks. Also the requests it costs the server
and their time in this process, for the first visitor (nothing cached) and the next one.

.venv/bin/python bench/offline_size.py [--sizes 2000]
"""

import argparse
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
    headers = {"User-Agent": PHONE, "Sec-CH-UA-Mobile": "?1"} if phone else {}
    client = Client(headers=headers)
    listing = client.get(f"/{slug}/offline.json").json()
    first_page = client.get(listing["pages"][0]).content
    assets = sorted({match.decode() for match in ASSET.findall(first_page)})
    sizes = {}
    timings = []
    for path in [*listing["pages"], *listing["assets"], *assets]:
        started = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - started)
        body = b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, (path, response.status_code)
        kind = "static files" if path.startswith("/static/") else kind_of(path, slug)
        count, total, largest = sizes.get(kind, (0, 0, 0))
        sizes[kind] = (count + 1, total + len(body), max(largest, len(body)))
    return sizes, timings


def report(slug, sessions):
    for phone in (False, True):
        cache.clear()
        sizes, cold = measure(slug, phone)
        _sizes, warm = measure(slug, phone)
        total = sum(total for _count, total, _largest in sizes.values())
        count = sum(count for count, _total, _largest in sizes.values())
        name = f"{slug} ({sessions} sessions), {'phone: list' if phone else 'desktop: grid'}"
        print(f"\n{name}: {count} addresses, {total / 1e6:.1f} MB")
        for kind, (n, size, largest) in sorted(sizes.items()):
            print(
                f"  {kind:<14}{n:>6} × {size / n / 1e3:6.1f} KB = {size / 1e6:6.2f} MB   largest {largest / 1e3:.0f} KB"
            )
        print(
            f"  server time for the whole copy, in-process: first visitor {sum(cold):.1f} s, "
            f"the next (shared pages cached) {sum(warm):.1f} s"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000])
    options = parser.parse_args()
    conferences = [Conference.objects.get(slug=DEMO)]
    conferences += [generated_conference(size) for size in options.sizes]
    for conference in conferences:
        report(conference.slug, conference.sessions.count())


if __name__ == "__main__":
    main()
