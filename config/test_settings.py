"""The test suite's settings: the site's own settings, with what only tests need."""

import os
import secrets
import tempfile
from pathlib import Path

# A key of the test run's own when none is given: tests never need the development key.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))

from config.settings import *  # noqa: F403
from config.settings import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: an in-memory database shared between threads locks whole tables.
    # One per test run, so two runs on one machine (two checkouts, say) never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"confschedule-test-{os.getpid()}.sqlite3")
    }

# Background tasks use the database backend, as everywhere: tests that need a task run run the
# worker itself (`db_worker --batch`), in-process or as a process of its own.
