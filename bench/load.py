"""Load: gunicorn with N workers on PostgreSQL and Redis, driven by wrk on loopback.

Serves the schedule day page of a 2,000-session conference and, in the same run, a static
file of the same size (whitenoise), at 50 and 200 concurrent connections for 30 s each.
Absolute numbers depend on the machine and what else runs on it; the ratio to the static
file does not, much.

    .venv/bin/python bench/load.py [--workers 5] [--duration 30] [--connections 50,200]
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VENV_BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/confschedule_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
SLUG = "bench-2000"


def environment(port=None):
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ['PATH']}",
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "STATIC_ROOT": str(RESULTS / "static"),
        "LOG_LEVEL": "WARNING",
    }
    if port:
        env["PORT"] = str(port)
    return env


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment(), check=True)


def create_database():
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url, connections, duration):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "30s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Requests/sec" not in output:
        sys.exit(f"wrk failed:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = re.search(r"50%\s+([\d.]+\w+)", output)[1]
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)[1]
    errors = re.search(r"Socket errors: (.+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, p50, p99, (errors[1] if errors else "none"), int(non_2xx[1]) if non_2xx else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--connections", default="50,200")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it)")

    create_database()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage(
        "generate_conference",
        "--slug",
        SLUG,
        "--sessions",
        "2000",
        "--stages",
        "20",
        "--days",
        "3",
        "--speakers",
        "1500",
        "--timezone",
        "America/New_York",
        "--seed",
        "1",
        "--replace",
        "-v0",
    )

    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint.sh"), "serve"],
        env={**environment(port), "WEB_CONCURRENCY": str(args.workers)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        page = f"{base}/{SLUG}/schedule/2026-06-03/?layout=grid"
        for _ in range(100):
            try:
                body = urllib.request.urlopen(page, timeout=30).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")
        # A static file of the same size, served by the same workers through whitenoise.
        # whitenoise indexes STATIC_ROOT at start, so the file is written before a restart.
        same_size = RESULTS / "static" / "bench-same-size.html"
        same_size.write_bytes(body)
        os.kill(server.pid, signal.SIGHUP)
        static = f"{base}/static/bench-same-size.html"
        for _ in range(100):
            time.sleep(0.2)
            try:
                if len(urllib.request.urlopen(static, timeout=10).read()) == len(body):
                    break
            except OSError:
                pass
        else:
            sys.exit("the static file was not served after the reload")

        print(
            f"gunicorn: {args.workers} workers; PostgreSQL and Redis; page {len(body):,} bytes; "
            f"{args.duration} s per run"
        )
        print(
            f"{'target':<16}{'conns':>6}{'req/s':>10}{'p50':>10}{'p99':>10}{'non-2xx':>9}  socket errors"
        )
        for connections in [int(c) for c in args.connections.split(",")]:
            results = {}
            for name, url in (("schedule page", page), ("static file", static)):
                rate, p50, p99, errors, non_2xx = wrk(url, connections, args.duration)
                results[name] = rate
                print(
                    f"{name:<16}{connections:>6}{rate:>10.1f}{p50:>10}{p99:>10}{non_2xx:>9}  {errors}"
                )
            print(
                f"{'ratio':<16}{connections:>6}{results['schedule page'] / results['static file']:>10.2f}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
