"""What the Dockerfile runs, run here: collectstatic, the entrypoint, gunicorn serving."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.once
VENV_BIN = str(Path(sys.executable).parent)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def production_env(tmp_path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "k" * 60,
        "ALLOWED_HOSTS": "schedule.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "TRUST_X_FORWARDED_PROTO": "true",
        "WEB_CONCURRENCY": "2",
    }


def get(port, path, headers=None):
    """One request, redirects not followed."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_entrypoint_migrates_collects_and_serves_with_gunicorn(production_env, tmp_path):
    entrypoint = str(settings.BASE_DIR / "docker" / "entrypoint.sh")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=production_env,
        check=True,
        timeout=120,
    )
    subprocess.run(
        [entrypoint, "migrate"], env=production_env, check=True, timeout=120, capture_output=True
    )
    port = free_port()
    server = subprocess.Popen(
        [entrypoint, "serve"],
        env={**production_env, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Up to 30 s: in `make test` two suites and their servers share two cores.
        for _ in range(300):
            try:
                status, _, body = get(port, "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")

        # Probed by IP over plain HTTP: answered, neither refused as a bad host nor redirected.
        assert (status, body) == (200, b'{"status": "ok", "database": "ok"}')

        # Any other plain-HTTP request is sent to HTTPS.
        status, headers, _ = get(port, "/", {"Host": "schedule.example.org"})
        assert status == 301
        assert headers["Location"] == "https://schedule.example.org/"

        # Behind the TLS proxy, whitenoise serves the hashed, compressed stylesheet.
        manifest = (tmp_path / "static" / "staticfiles.json").read_text()
        assert "css/site.css" in manifest
        hashed = next(
            line.split('"')[3] for line in manifest.split(",") if '"css/site.css"' in line
        )
        status, headers, body = get(
            port,
            f"/static/{hashed}",
            {
                "Host": "schedule.example.org",
                "X-Forwarded-Proto": "https",
                "Accept-Encoding": "gzip",
            },
        )
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=10)
