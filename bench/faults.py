"""The site under faults: gunicorn on PostgreSQL and Redis of its own, broken on purpose.

Starts a Redis server on a free port and reaches a PostgreSQL database of its own on the local
server through a TCP proxy (tests/services.py), serves the demo conference with gunicorn
(2 workers, production settings), and measures, for each condition:
- logins: how many of N succeed, and their latency;
- the schedule page: median and p99 latency and status codes over M requests;
then, with PostgreSQL frozen and cut off, the time until a page and /healthz answer 503, and
the time until pages answer 200 again once the database is back.

    .venv/bin/python bench/faults.py [--logins 20] [--pages 60]
"""

import argparse
import http.client
import statistics
import sys
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.services import (  # noqa: E402
    RedisServer,
    TcpProxy,
    gunicorn,
    manage,
    postgres_database,
    production_env,
    wait_until,
)

SCHEDULE = "/pytorch-conference-europe-2026/schedule/"
PASSWORD = "a long passphrase 1"
CREATE_PEOPLE = """
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
for number in range({count}):
    email = f"person{{number}}@example.org"
    user = get_user_model().objects.create_user(f"person{{number}}", email, "{password}")
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
"""


def request(port, method, path, body=None, cookies=None):
    """(status, seconds, Set-Cookie values); a hang shows as None after the 40 s timeout."""
    headers = {
        "Host": "127.0.0.1",
        "Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items()),
    }
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": "http://127.0.0.1/",
        }
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=40)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        set_cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return response.status, time.monotonic() - started, set_cookies
    except OSError:
        return None, time.monotonic() - started, []
    finally:
        conn.close()


def log_in(port, number):
    """GET the login form for a CSRF cookie, then POST the credentials: (succeeded, seconds)."""
    status, _seconds, set_cookies = request(port, "GET", "/accounts/login/")
    token = next(
        (c.split(";")[0].split("=", 1)[1] for c in set_cookies if c.startswith("csrftoken=")), ""
    )
    body = urllib.parse.urlencode(
        {"login": f"person{number}@example.org", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, seconds, _cookies = request(
        port, "POST", "/accounts/login/", body, {"csrftoken": token}
    )
    return status == 302, seconds


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(label, port, logins, pages, first_person):
    results = [log_in(port, first_person + number) for number in range(logins)]
    page_runs = [request(port, "GET", SCHEDULE) for _page in range(pages)]
    latencies = [seconds * 1000 for _status, seconds, _c in page_runs]
    login_ms = [seconds * 1000 for _ok, seconds in results]
    print(
        f"{label:<22} logins {sum(ok for ok, _s in results):>3}/{logins}"
        f" (median {statistics.median(login_ms):7.0f} ms)"
        f"   page median {statistics.median(latencies):7.1f} ms, p99 {percentile(latencies, 0.99):7.1f} ms"
        f"   statuses {dict(Counter(status for status, _s, _c in page_runs))}"
    )


def time_to(port, path, wanted, limit=60):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if request(port, "GET", path)[0] == wanted:
            return time.monotonic() - started
        time.sleep(0.1)
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=20)
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args()
    workdir = ROOT / "bench" / "results" / "faults"
    workdir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(workdir).start()
    proxy = TcpProxy(5432).start()
    try:
        with postgres_database("faults_bench") as url:
            env = production_env(
                workdir, DATABASE_URL=url, REDIS_URL=redis.url, LOG_LEVEL="CRITICAL"
            )
            manage(
                env,
                ["migrate", "--noinput"],
                ["load_demo"],
                ["collectstatic", "--noinput"],
                ["shell", "-c", CREATE_PEOPLE.format(count=4 * args.logins, password=PASSWORD)],
            )
            through_proxy = url.replace(":5432/", f":{proxy.port}/")
            with gunicorn({**env, "DATABASE_URL": through_proxy}) as port:
                assert wait_until(lambda: request(port, "GET", "/healthz")[0] == 200, timeout=30)
                run_faults(port, redis, proxy, args)
    finally:
        proxy.stop()
        redis.stop()


def run_faults(port, redis, proxy, args):
    measure("normal", port, args.logins, args.pages, 0)
    redis.freeze()
    measure("Redis frozen", port, args.logins, args.pages, args.logins)
    redis.thaw()
    redis.kill()
    measure("Redis down", port, args.logins, args.pages, 2 * args.logins)
    redis.start()
    measure("Redis back", port, args.logins, args.pages, 3 * args.logins)
    for fault, break_it, mend in (
        ("frozen", proxy.freeze, proxy.thaw),
        ("cut off", proxy.cut, proxy.restore),
    ):
        break_it()
        page = time_to(port, SCHEDULE, 503)
        health = time_to(port, "/healthz", 503)
        mend()
        recovery = time_to(port, SCHEDULE, 200)
        print(
            f"PostgreSQL {fault:<8} page 503 after {page:4.1f} s, /healthz 503 after {health:4.1f} s,"
            f" pages 200 again {recovery:4.1f} s after it came back"
        )


if __name__ == "__main__":
    main()
