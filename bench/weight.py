"""Page weight of the schedule page: HTML, CSS and JS bytes, raw and gzip-compressed.

.venv/bin/python bench/weight.py
"""

import gzip
import re
from pathlib import Path

from inprocess import DEMO, setup

setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from conference.models import Conference  # noqa: E402


def main():
    client = Client()
    slugs = [
        DEMO,
        *Conference.objects.filter(slug__startswith="bench-").values_list("slug", flat=True),
    ]
    print(f"{'page':<44}{'kind':<6}{'raw':>10}{'gzip':>10}")
    for slug in slugs:
        for layout in ("grid", "list"):
            url = (
                f"/{slug}/schedule/{Conference.objects.get(slug=slug).start_date}/?layout={layout}"
            )
            html = client.get(url).content
            assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
            assets += re.findall(rb'href="(/[^"]+/colours\.css)"', html)
            rows = [("html", html)]
            for asset in assets:
                path = asset.decode()
                if path.startswith(
                    settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
                ):
                    body = (Path(settings.STATIC_ROOT) / path.removeprefix("/static/")).read_bytes()
                else:
                    body = client.get(path).content
                rows.append(("css" if path.endswith(".css") else "js", body))
            total_raw = sum(len(body) for _kind, body in rows)
            total_gzip = sum(len(gzip.compress(body, 6)) for _kind, body in rows)
            for kind in ("html", "css", "js"):
                raw = sum(len(b) for k, b in rows if k == kind)
                packed = sum(len(gzip.compress(b, 6)) for k, b in rows if k == kind)
                print(f"{slug + ' ' + layout:<44}{kind:<6}{raw:>10,}{packed:>10,}")
            print(f"{slug + ' ' + layout:<44}{'total':<6}{total_raw:>10,}{total_gzip:>10,}")


if __name__ == "__main__":
    main()
