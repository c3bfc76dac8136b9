"""Two app servers on one database and one Redis behave as one site (stateless workers)."""

import http.client
import re
from http.cookies import SimpleCookie

import pytest
from django.db import connection

from tests.config.test_cache import redis_answers
from tests.services import ROOT, gunicorn, manage, postgres_database, production_env

CONF = "/pytorch-conference-europe-2026"
FORM = "application/x-www-form-urlencoded"
BOUNDARY = "----two-servers-boundary"


@pytest.fixture
def shared_database(tmp_path):
    """A database of its own, of the kind this suite run uses: PostgreSQL or an SQLite file."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    with postgres_database("two_servers") as url:
        yield url


class Browser:
    """Just enough of a browser: one cookie jar for both servers, as they share a host name."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, body=None, content_type=FORM):
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1{path}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = content_type
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        content = response.read().decode()
        conn.close()
        return response.status, content


def two_server_env(shared_database, tmp_path):
    return production_env(
        tmp_path,
        SECRET_KEY="two-servers-test-" + "s" * 50,
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        DATABASE_URL=shared_database,
        # Its own Redis database per suite run: the SQLite and PostgreSQL runs go side by side.
        REDIS_URL=f"redis://127.0.0.1:6379/{14 if connection.vendor == 'sqlite' else 13}",
        TRUST_X_FORWARDED_PROTO="true",
        SECURE_SSL_REDIRECT="true",
    )


def test_a_login_and_an_agenda_change_on_one_server_show_on_the_other(shared_database, tmp_path):
    assert redis_answers(), "Redis must run on 127.0.0.1:6379 for this test (see .ci/run)"
    env = two_server_env(shared_database, tmp_path)
    manage(
        env,
        ["migrate"],
        ["collectstatic", "--noinput"],
        ["loaddata", "fixtures/pytorch-conference-europe-2026.json"],
        [
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_user('ada', 'ada@example.org', 'a long passphrase 1')",
        ],
    )
    with gunicorn(env, workers=1) as first, gunicorn(env, workers=1) as second:
        browser = Browser()
        browser.request(first, "GET", "/accounts/login/")
        status, _ = browser.request(
            first,
            "POST",
            "/accounts/login/",
            f"login=ada%40example.org&password=a+long+passphrase+1&csrfmiddlewaretoken={browser.cookies['csrftoken']}",
        )
        assert status == 302

        status, page = browser.request(second, "GET", f"{CONF}/agenda/")
        assert status == 200
        assert "ada@example.org" in page  # signed in on the other server too
        assert 'id="agenda-count">0<' in page

        status, page = browser.request(second, "GET", f"{CONF}/schedule/2026-04-08/?layout=list")
        slug = re.search(rf'action="{CONF}/sessions/([^/]+)/agenda/"', page)[1]
        status, _ = browser.request(first, "POST", f"{CONF}/sessions/{slug}/agenda/", "action=add")
        assert status == 302

        status, page = browser.request(second, "GET", f"{CONF}/agenda/")
        assert 'id="agenda-count">1<' in page
        assert f'href="{CONF}/sessions/{slug}/"' in page


def multipart(fields, file_field, filename, data):
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_an_import_previewed_on_one_server_is_confirmed_on_the_other(shared_database, tmp_path):
    """The uploaded file waits in the database, not in one server's /tmp."""
    assert redis_answers(), "Redis must run on 127.0.0.1:6379 for this test (see .ci/run)"
    env = two_server_env(shared_database, tmp_path)
    manage(
        env,
        ["migrate"],
        ["collectstatic", "--noinput"],
        [
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "User.objects.create_superuser('org', 'org@example.org', 'a long passphrase 2')",
        ],
    )
    schedule = (ROOT / "fixtures" / "exchange" / "pretalx-rc3.json").read_bytes()
    # Two machines: each server its own temporary directory.
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    with (
        gunicorn({**env, "TMPDIR": str(tmp_path / "first")}, workers=1) as first,
        gunicorn({**env, "TMPDIR": str(tmp_path / "second")}, workers=1) as second,
    ):
        browser = Browser()
        browser.request(first, "GET", "/admin/login/")
        token = browser.cookies["csrftoken"]
        status, _ = browser.request(
            first,
            "POST",
            "/admin/login/?next=/admin/",
            f"username=org%40example.org&password=a+long+passphrase+2&csrfmiddlewaretoken={token}",
        )
        assert status == 302

        url = "/admin/conference/conference/import/"
        body = multipart(
            {"csrfmiddlewaretoken": browser.cookies["csrftoken"], "slug": "rc3"},
            "file",
            "schedule.json",
            schedule,
        )
        status, page = browser.request(
            first, "POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
        )
        assert status == 200
        assert "48 created" in page
        pending = re.search(r'name="token" value="([^"]+)"', page)[1]

        status, _ = browser.request(
            second,
            "POST",
            url,
            f"token={pending}&csrfmiddlewaretoken={browser.cookies['csrftoken']}",
        )
        assert status == 302
        status, page = browser.request(second, "GET", "/rc3/schedule/2020-12-27/?layout=list")
        assert status == 200
        assert "Der faule Admin automatisiert" in page

        # Confirmed once: the same token again imports nothing and says so.
        status, _ = browser.request(
            first,
            "POST",
            url,
            f"token={pending}&csrfmiddlewaretoken={browser.cookies['csrftoken']}",
        )
        assert status == 302
