"""The public pages against a static file from the same server: the figures of issue 16.

In one run, with services of its own (a database on the shared PostgreSQL server, dropped
afterwards, and a Redis server on a free port): loads the demo conference and a generated
2,000-session one, logs an attendee in through the real login form over HTTP (five sessions
of the demo day in their agenda), serves the site with gunicorn as in production (2 workers)
and measures with wrk on loopback, for each page, its req/s and those of a static file of the
same size served by the same workers (whitenoise), the two in turns: their ratio is the figure to
compare across machines. Then, per page: bytes as served with and without
`Accept-Encoding: gzip`, the SQL queries and Redis commands of a cache hit (in-process, Django's
test client, after a warm-up request), and Lighthouse mobile performance and LCP of the two day
pages.

wrk sends no Accept-Encoding (pages and static files both go out uncompressed) and no
User-Agent, so the day pages are the grid; Lighthouse is a phone, so it gets the list.

    .venv/bin/python bench/static_ratio.py [--duration 10] [--rounds 2] [--connections 50]
                                           [--workers 2] [--no-lighthouse]

Prints Markdown tables, ready to paste into the README. About 4 minutes with the defaults.
"""

import argparse
import datetime
import http.client
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from inprocess import DEMO, busiest_day  # noqa: E402

from tests.services import (  # noqa: E402
    RedisServer,
    gunicorn,
    postgres_database,
    production_env,
    wait_until,
)

RESULTS = ROOT / "bench" / "results"
BIG = "bench-2000"
EMAIL = "bench-attendee@example.org"
PASSWORD = "a long bench passphrase 1"
AGENDA_SIZE = 5
SIGNED_IN_MARK = b'action="/accounts/logout/"'
GZIP = {"Accept-Encoding": "gzip"}
# What Chromium on a phone says without JavaScript: the day page is then the list.
PHONE = {"Sec-CH-UA-Mobile": "?1"}


class Target:
    """One page measured: its address, who asks (anonymous or signed in) and its goal."""

    def __init__(self, name, path, goal, signed_in=False, lighthouse=False, javascript=False):
        self.name, self.path, self.goal = name, path, goal
        self.signed_in, self.lighthouse = signed_in, lighthouse
        # A browser with JavaScript says so (the personal_parts cookie): it is given the shared
        # page and fetches its own parts after it.
        self.javascript = javascript
        self.body = b""
        self.gzip_bytes = self.phone_bytes = self.phone_gzip_bytes = None
        self.rate = self.static_rate = None
        self.p99 = self.errors = ""
        self.queries = self.redis_commands = None
        self.score = self.lcp = None

    def cookies(self, signed_in_cookies):
        """What this visitor sends: the attendee's cookies if signed in, and the cookie of a
        browser with JavaScript; None for a first-time visitor."""
        cookies = dict(signed_in_cookies) if self.signed_in else {}
        if self.javascript:
            cookies["personal_parts"] = "1"
        return cookies or None

    @property
    def ratio(self):
        return self.rate / self.static_rate if self.rate and self.static_rate else None

    @property
    def slug(self):
        return re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")

    @property
    def static_name(self):
        return f"bench-same-size-{self.slug}.html"


# Django is set up in this process once the database exists (setup_django), so the imports
# that need it come inside the functions below.


def setup_django(env):
    os.environ.update({**env, "ALLOWED_HOSTS": "127.0.0.1,testserver"})
    import django

    django.setup()


def load_data():
    """The demo, the 2,000-session conference (as bench/pages.py has it) and an attendee
    with a verified address and five sessions of the demo's busiest day in the agenda."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from inprocess import generated_conference

    from attendees.models import AgendaEntry
    from conference.models import Conference
    from schedule.models import Session

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    big = generated_conference(2000)
    demo = Conference.objects.get(slug=DEMO)
    user = get_user_model().objects.create_user("bench-attendee", EMAIL, PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    demo_day, big_day = busiest_day(demo), busiest_day(big)
    on_demo_day = Session.objects.for_conference(demo).on_local_day(demo_day, demo.zone)
    for session in on_demo_day.order_by("start")[:AGENDA_SIZE]:
        AgendaEntry.objects.create(user=user, session=session)
    session = Session.objects.filter(conference=demo, speakers__isnull=False).first()
    big_count = Session.objects.for_conference(big).on_local_day(big_day, big.zone).count()
    return [
        Target("anonymous day page", f"/{DEMO}/schedule/{demo_day}/", 0.5, lighthouse=True),
        Target(
            "signed-in day page, with JavaScript (the shared page)",
            f"/{DEMO}/schedule/{demo_day}/",
            0.15,
            signed_in=True,
            javascript=True,
        ),
        Target(
            "signed-in personal parts, with JavaScript (after the page)",
            f"/{DEMO}/agenda/personal-parts/?next=/{DEMO}/schedule/{demo_day}/&seats=",
            0.15,
            signed_in=True,
            javascript=True,
        ),
        Target(
            "signed-in day page, without JavaScript (rendered for them)",
            f"/{DEMO}/schedule/{demo_day}/",
            None,
            signed_in=True,
        ),
        Target("session page", f"/{DEMO}/sessions/{session.slug}/", 0.25),
        Target("schedule.ics", f"/{DEMO}/schedule.ics", 0.5),
        Target("schedule.json", f"/{DEMO}/schedule.json", 0.5),
        Target(
            f"busiest day, 2,000 sessions ({big_count})",
            f"/{BIG}/schedule/{big_day}/",
            0.25,
            lighthouse=True,
        ),
    ]


def request(port, path, cookies=None, headers=None, method="GET", body=None):
    """(status, headers as a list, body as served): no decompression, no redirects."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = {"Host": f"127.0.0.1:{port}", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def set_cookies(headers):
    pairs = (v.split(";", 1)[0].split("=", 1) for k, v in headers if k.lower() == "set-cookie")
    return dict(pairs)


def log_in(port):
    """Through the login form, as a browser does: the cookies of the signed-in attendee."""
    status, headers, page = request(port, "/accounts/login/")
    cookies = set_cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not token:
        sys.exit(f"the login form did not come (HTTP {status})")
    form = {"login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token[1].decode()}
    status, headers, _body = request(
        port,
        "/accounts/login/",
        cookies,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
        method="POST",
        body=urllib.parse.urlencode(form),
    )
    signed_in = set_cookies(headers)
    if status != 302 or not signed_in:
        sys.exit(f"logging in failed (HTTP {status})")
    # "You have signed in" waits in a cookie for the next page, which shows it and deletes it.
    signed_in.pop("messages", None)
    return cookies | signed_in


class NotServed(Exception):
    pass


def served_bytes(port, path, cookies, headers=None):
    """(bytes without gzip, bytes with gzip or None when the server did not compress)."""
    status, _headers, body = request(port, path, cookies, headers)
    if status != 200:
        raise NotServed(f"HTTP {status} for {path}")
    _status, sent, packed = request(port, path, cookies, {**(headers or {}), **GZIP})
    encoding = {k.lower(): v for k, v in sent}.get("content-encoding", "")
    return body, len(packed) if "gzip" in encoding else None


def followed(port, path, cookies):
    """The address a visitor ends up at, after the site's own redirects."""
    for _hop in range(5):
        status, headers, _body = request(port, path, cookies)
        location = {k.lower(): v for k, v in headers}.get("location")
        if status not in (301, 302, 303, 307, 308) or not location:
            return path
        path = urllib.parse.urlsplit(location)._replace(scheme="", netloc="").geturl()
    return path


def fetch(port, targets, cookies, static_root, notes):
    """Each page as served, with and without gzip (day pages also as a phone asks for them),
    and a static file of the same size beside it: the pages that answered 200."""
    served = []
    for target in targets:
        who = target.cookies(cookies)
        redirected = followed(port, target.path, who)
        if redirected != target.path:
            notes.append(f"{target.name}: {target.path} redirects; measured {redirected}")
            target.path = redirected
        try:
            target.body, target.gzip_bytes = served_bytes(port, target.path, who)
            if target.lighthouse:
                phone, target.phone_gzip_bytes = served_bytes(port, target.path, who, PHONE)
                target.phone_bytes = len(phone)
        except NotServed as problem:
            notes.append(f"{target.name}: not measured, {problem}")
            continue
        if target.signed_in and not target.javascript and SIGNED_IN_MARK not in target.body:
            notes.append(f"{target.name}: the HTML as served has no log-out form")
        # The page itself as the static file: the same size, served by the same workers.
        (static_root / target.static_name).write_bytes(target.body)
        served.append(target)
    return served


def wrk(port, path, connections, duration, cookies=None):
    """(req/s, p99, errors) of wrk against one address, after a warm-up request."""
    request(port, path, cookies)
    threads = min(2, connections)  # wrk wants at least one connection per thread
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["--latency", f"http://127.0.0.1:{port}{path}"]
    if cookies:
        command += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rate:
        sys.exit(f"wrk failed:\n{output}")
    p99 = re.search(r"99%\s+([\d.]+\w+)", output)
    socket_errors = re.search(r"Socket errors: (.+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = [f"{non_2xx[1]} non-2xx"] if non_2xx else []
    errors += [socket_errors[1]] if socket_errors else []
    return float(rate[1]), p99[1] if p99 else "?", "; ".join(errors) or "none"


def page_and_static(port, target, static, cookies, args):
    """The page and its static file taken in turns, in slices of the duration, so that
    whatever else runs on the machine weighs on both alike."""
    slice_seconds = max(1, args.duration // args.rounds)
    who = target.cookies(cookies)
    pages, statics = [], []
    for _round in range(args.rounds):
        pages.append(wrk(port, target.path, args.connections, slice_seconds, who))
        statics.append(wrk(port, static, args.connections, slice_seconds))
    target.rate = sum(rate for rate, _p99, _errors in pages) / args.rounds
    target.static_rate = sum(rate for rate, _p99, _errors in statics) / args.rounds
    target.p99 = max((p99 for _rate, p99, _errors in pages), key=seconds)
    errors = [errors for _rate, _p99, errors in pages if errors != "none"]
    target.errors = "; ".join(errors) or "none"


def seconds(duration):
    """wrk's '812.33ms', '1.20s', '950.00us' in seconds."""
    parsed = re.fullmatch(r"([\d.]+)(us|ms|s|m)", duration)
    if not parsed:
        return 0.0
    return float(parsed[1]) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[parsed[2]]


def cache_hit_costs(targets, cookies):
    """SQL queries and Redis commands of the second request for each page, in-process: an
    anonymous visitor is a new client every time (no cookies), as wrk's requests are."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def redis_commands():
        client = cache._cache.get_client()
        return client.info("stats")["total_commands_processed"]

    def visitor(target):
        client = Client()
        for name, value in (target.cookies(cookies) or {}).items():
            client.cookies[name] = value
        return client

    for target in targets:
        visitor(target).get(target.path)
        client = visitor(target)
        before = redis_commands()
        with CaptureQueriesContext(connection) as captured:
            status = client.get(target.path).status_code
        # The second INFO is counted by Redis before it answers; the first is not.
        target.redis_commands = redis_commands() - before - 1
        target.queries = len(captured) if status == 200 else f"HTTP {status}"
    connection.close()


def lighthouse(port, target, reports):
    """Lighthouse mobile (its default: a mid-range phone on a throttled 4G, simulated)."""
    npx = shutil.which("npx")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not npx:
        return "npx is missing (make bench installs Node.js and npm)"
    report = reports / f"lighthouse-{target.slug}.json"
    command = [npx, "--yes", "lighthouse@12", f"http://127.0.0.1:{port}{target.path}"]
    command += ["--only-categories=performance", "--output=json", f"--output-path={report}"]
    command += ["--chrome-flags=--headless --no-sandbox --disable-gpu", "--quiet"]
    try:
        run = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": chromium},
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        return "Lighthouse did not finish in 180 s"
    if run.returncode != 0 or not report.exists():
        return "Lighthouse failed: " + (run.stderr.strip().splitlines() or ["no output"])[-1]
    result = json.loads(report.read_text())
    score = result["categories"]["performance"]["score"]
    if score is None:
        problem = result.get("runtimeError", {}).get("message", "no score")
        return f"Lighthouse gave no score: {problem}"
    target.score = round(score * 100)
    target.lcp = result["audits"]["largest-contentful-paint"]["numericValue"] / 1000
    return None


def compressed(size):
    return f"{size:,}" if size is not None else "not compressed"


def print_tables(targets, args, notes):
    today = datetime.date.today().isoformat()
    print(
        f"\n{today}, {os.cpu_count()} cores, gunicorn {args.workers} workers on PostgreSQL and "
        f"Redis, wrk {args.connections} connections for {args.duration} s per address "
        f"(in {args.rounds} turns with its static file), "
        f"no Accept-Encoding; load average before the run {args.load_before:.1f}.\n"
    )
    print(
        "| page | req/s | same-size static file req/s | ratio | goal | met | p99 | errors |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    for t in targets:
        ratio = f"{t.ratio:.2f}" if t.ratio is not None else "–"
        if t.goal is None:
            met, goal = "–", "–"
        else:
            met = (
                "yes" if t.ratio is not None and t.ratio >= t.goal and t.errors == "none" else "no"
            )
            goal = f"≥ {t.goal}"
        print(
            f"| {t.name} | {t.rate:,.0f} | {t.static_rate:,.0f} | {ratio} | {goal} | {met} "
            f"| {t.p99} | {t.errors} |"
        )
    print(
        "\n| page | HTML bytes | with gzip | phone (list): HTML bytes | with gzip "
        "| SQL queries, cache hit | Redis commands, cache hit | Lighthouse mobile | LCP |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    for t in targets:
        score = str(t.score) if t.score is not None else "–"
        lcp = f"{t.lcp:.1f} s" if t.lcp is not None else "–"
        phone = f"{t.phone_bytes:,}" if t.phone_bytes is not None else "–"
        phone_packed = compressed(t.phone_gzip_bytes) if t.phone_bytes is not None else "–"
        print(
            f"| {t.name} | {len(t.body):,} | {compressed(t.gzip_bytes)} | {phone} "
            f"| {phone_packed} | {t.queries} | {t.redis_commands} | {score} | {lcp} |"
        )
    print("\nGoal for SQL queries of an anonymous cache hit: 0.")
    for note in notes:
        print(note)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per address")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--rounds", type=int, default=2, help="turns of page and static file, sharing --duration"
    )
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    args.load_before = os.getloadavg()[0]
    if args.load_before > 1:
        print(
            f"Load average {args.load_before:.1f}: other processes share the "
            f"{os.cpu_count()} cores, so req/s (and less so the ratios) come out low."
        )
    with tempfile.TemporaryDirectory(prefix="static-ratio-") as workdir:
        workdir = Path(workdir)
        redis = RedisServer(workdir).start()
        try:
            with postgres_database("static_ratio_bench") as url:
                env = production_env(workdir, DATABASE_URL=url, REDIS_URL=redis.url)
                setup_django(env)
                targets = load_data()
                print(f"data loaded in {time.monotonic() - started:.0f} s", flush=True)
                measure(targets, env, workdir / "static", args)
        finally:
            redis.stop()
    print(f"\n(whole run: {time.monotonic() - started:.0f} s)")


def measure(targets, env, static_root, args):
    notes = []
    # whitenoise indexes STATIC_ROOT when a worker starts: the same-size files are written
    # while a first server answers, then a second one serves them beside the pages.
    with gunicorn(env, workers=args.workers) as port:
        assert wait_until(lambda: request(port, "/healthz")[0] == 200, timeout=30)
        cookies = log_in(port)
        targets = fetch(port, targets, cookies, static_root, notes)
    cache_hit_costs(targets, cookies)
    with gunicorn(env, workers=args.workers) as port:
        for target in targets:
            static = f"/static/{target.static_name}"
            status, _headers, body = request(port, static)
            if status != 200 or len(body) != len(target.body):
                sys.exit(f"the static file {static} was not served (HTTP {status})")
            page_and_static(port, target, static, cookies, args)
            print(f"{target.name}: {target.rate:.0f} against {target.static_rate:.0f} req/s")
        for target in targets:
            if target.lighthouse and not args.no_lighthouse:
                problem = lighthouse(port, target, RESULTS)
                if problem:
                    notes.append(f"{target.name}: {problem}")
                    print(notes[-1])
    print_tables(targets, args, notes)


if __name__ == "__main__":
    main()
