"""Production settings for benchmarks that run the app in this process: its own database
(DATABASE_URL when set, else an SQLite file in bench/results/), collected static files."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEMO = "pytorch-conference-europe-2026"


def setup():
    sys.path.insert(0, str(ROOT))
    RESULTS.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{RESULTS / 'bench.sqlite3'}")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="ERROR",
        STATIC_ROOT=str(RESULTS / "static"),
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)

    from conference.models import Conference

    if not Conference.objects.filter(slug=DEMO).exists():
        call_command("loaddata", str(ROOT / "fixtures" / f"{DEMO}.json"), verbosity=0)


def generated_conference(size):
    """The synthetic conference of `size` sessions that the benchmarks share, generated the
    first time (a few minutes for 10,000 sessions), the same every time."""
    from django.core.management import call_command

    from conference.models import Conference
    from schedule.models import Session

    slug = f"bench-{size}"
    if Session.objects.filter(conference__slug=slug).count() != size:
        days = max(2, min(5, size // 700 + 1))
        call_command(
            "generate_conference",
            slug=slug,
            sessions=size,
            stages=max(5, min(40, size // (days * 30) + 1)),
            days=days,
            speakers=max(10, size * 3 // 4),
            timezone="America/New_York",
            seed=1,
            replace=True,
            verbosity=0,
        )
    return Conference.objects.get(slug=slug)


def busiest_day(conference):
    from schedule.models import Session

    sessions = Session.objects.for_conference(conference)
    return max(
        conference.days,
        key=lambda day: sessions.on_local_day(day, conference.zone).count(),
    )
