"""Page weight of the schedule page: HTML, CSS and JS bytes, raw and gzip-compressed.

.venv/bin/python bench/weight.py
"""

import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
RESULTS.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
os.environ.update(
    DJANGO_SETTINGS_MODULE="conference.settings",
    DEBUG="false",
    SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
    ALLOWED_HOSTS="testserver",
    SECURE_SSL_REDIRECT="false",
    LOG_LEVEL="ERROR",
    STATIC_ROOT=str(RESULTS / "static"),
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from conference.models import Conference  # noqa: E402

DEMO = "pytorch-conference-europe-2026"


def main():
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if not Conference.objects.filter(slug=DEMO).exists():
        call_command("loaddata", str(ROOT / "fixtures" / f"{DEMO}.json"), verbosity=0)
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
