import datetime as dt
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def test_home_redirects_to_the_only_conference(client):
    conference = ConferenceFactory(slug="pycon-demo")

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"/{conference.slug}/schedule/"


def test_home_lists_conferences_when_there_are_several(client):
    ConferenceFactory(
        name="Spring Summit", start_date=dt.date(2099, 4, 1), end_date=dt.date(2099, 4, 2)
    )
    ConferenceFactory(
        name="Autumn Forum", start_date=dt.date(2099, 10, 1), end_date=dt.date(2099, 10, 2)
    )

    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Spring Summit") < content.index("Autumn Forum")


def test_unknown_conference_is_a_404(client):
    response = client.get("/no-such-conference/schedule/")

    assert response.status_code == 404


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


HEALTHZ_WITH_DEAD_DATABASE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client().get("/healthz")
print(response.status_code, response.json()["database"])
"""


def test_healthz_is_503_when_the_database_does_not_answer():
    # Nothing listens on port 9: the connection is refused, as when the database is down.
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/test", "DEBUG": "true"}

    result = subprocess.run(
        [sys.executable, "-c", HEALTHZ_WITH_DEAD_DATABASE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == "503 unreachable", result.stderr


PAGE_WITH_DEAD_DATABASE = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
response = Client(raise_request_exception=False).get("/pytorch-conference-europe-2026/schedule/")
print(response.status_code, response["Retry-After"], "Traceback" in response.content.decode())
"""


def test_pages_answer_503_not_a_traceback_when_the_database_is_down():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:9/test",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "k" * 60,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
    }

    result = subprocess.run(
        [sys.executable, "-c", PAGE_WITH_DEAD_DATABASE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == "503 30 False", result.stderr[-2000:]
