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
        DJANGO_SETTINGS_MODULE="conference.settings",
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
