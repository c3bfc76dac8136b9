"""The seat race over real HTTP: gunicorn with four workers on PostgreSQL, fifty people at once.

tests/attendees/test_seats_concurrency.py runs the race in one process; here every request
goes through the login form, CSRF, the seat view and a worker process of its own choosing, as
in production. The database is a PostgreSQL database of the test's own, whatever database the
rest of the suite runs on: SQLite takes one writer at a time, so it could not lose this race.

Each person connects from a loopback address of their own (127.0.0.10, 127.0.0.11, …), as fifty
people would: the login form allows 30 logins a minute from one address.
"""

import http.client
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import psycopg
import pytest

from tests.services import answers, gunicorn, manage, postgres_database, production_env, wait_until

CONF = "seat-race"
SLUG = "triton-workshop"
SEAT_URL = f"/{CONF}/sessions/{SLUG}/seat/"
LIMIT = 10
PEOPLE = 50
PASSWORD = "a long passphrase for the race"
CHURN_ROUNDS = 4

SETUP = f"""
import datetime as dt
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from attendees.models import Registration
from tests.factories import ConferenceFactory, SessionFactory

conference = ConferenceFactory(name="Seat Race", slug="{CONF}")
start = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)
SessionFactory(conference=conference, title="Triton workshop", slug="{SLUG}", start=start,
               end=start + dt.timedelta(hours=1), seat_limit={LIMIT})
# One hash for everyone: fifty would take half a minute, and logging in checks it anyway.
password = make_password({PASSWORD!r})
User = get_user_model()
users = User.objects.bulk_create(
    User(username=f"person{{n}}", email=f"person{{n}}@example.org", password=password)
    for n in range({PEOPLE})
)
EmailAddress.objects.bulk_create(
    EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
)
Registration.objects.bulk_create(
    Registration(conference=conference, email=user.email, name=user.username, ticket_id=user.email)
    for user in users
)
"""


class Person:
    """Just enough of a browser for one person: a cookie jar and an address of their own."""

    def __init__(self, port, address, email):
        self.port = port
        self.address = address
        self.email = email
        self.cookies = {}
        self.responses = []  # (action, status) of every request

    def request(self, method, path, fields=None, action=None):
        headers = {
            "Host": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "Referer": f"https://127.0.0.1{path}",
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.address, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read().decode(errors="replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.coded_value
        self.responses.append((action or f"{method} {path}", response.status))
        return response.status, content

    def log_in(self):
        self.request("GET", "/accounts/login/")
        status, page = self.request(
            "POST", "/accounts/login/", {"login": self.email, "password": PASSWORD}
        )
        assert status == 302, f"{self.email} could not log in ({status}): {page[:500]}"
        assert "sessionid" in self.cookies

    def seat(self, action):
        status, _page = self.request("POST", SEAT_URL, {"action": action}, action=action)
        return status


def all_at_once(tasks):
    """Run the (person, [actions]) tasks in threads released together by a barrier."""
    barrier = threading.Barrier(len(tasks))
    errors = []

    def run(person, actions):
        try:
            barrier.wait(timeout=30)
            for action in actions:
                person.seat(action)
        except Exception as error:
            errors.append(f"{person.email} {actions}: {error!r}")

    threads = [threading.Thread(target=run, args=task) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert not any(thread.is_alive() for thread in threads)


class Seats:
    """The session's reservations and waitlist, read straight from the database."""

    def __init__(self, database_url):
        with psycopg.connect(database_url) as db:
            session_id, self.limit = db.execute(
                "SELECT s.id, s.seat_limit FROM schedule_session s "
                "JOIN conference_conference c ON c.id = s.conference_id "
                "WHERE c.slug = %s AND s.slug = %s",
                (CONF, SLUG),
            ).fetchone()
            emails = dict(db.execute("SELECT id, email FROM auth_user").fetchall())
            self.reserved = [
                emails[user_id]
                for (user_id,) in db.execute(
                    "SELECT user_id FROM attendees_reservation WHERE session_id = %s ORDER BY id",
                    (session_id,),
                )
            ]
            # (email, position, id, joined), in waitlist order
            self.waitlist = [
                (emails[user_id], position, pk, joined)
                for user_id, position, pk, joined in db.execute(
                    "SELECT user_id, position, id, created FROM attendees_waitlistentry "
                    "WHERE session_id = %s ORDER BY position, created, id",
                    (session_id,),
                )
            ]

    @property
    def waiting(self):
        return [email for email, *_rest in self.waitlist]

    @property
    def positions(self):
        return {email: position for email, position, *_rest in self.waitlist}

    def check(self):
        """What holds after any mix of requests: never overbooked, one place per person, and a
        waitlist in the order people joined it that moves by itself."""
        assert len(self.reserved) <= self.limit, self.reserved
        assert len(set(self.reserved)) == len(self.reserved)
        assert set(self.reserved).isdisjoint(self.waiting), set(self.reserved) & set(self.waiting)
        assert len(set(self.waiting)) == len(self.waiting)
        positions = [position for _email, position, *_rest in self.waitlist]
        assert len(set(positions)) == len(positions), positions
        # Waitlist order is join order: positions rise with the rows' ids and join times.
        ids = [pk for *_rest, pk, _joined in self.waitlist]
        joined = [joined for *_rest, joined in self.waitlist]
        assert ids == sorted(ids), self.waitlist
        assert joined == sorted(joined), self.waitlist
        if self.waiting:
            assert len(self.reserved) == self.limit, "a seat is free while people wait"


def prepare(env):
    """Migrate, load the conference and its fifty attendees, and collect static files (at the
    same time: they do not touch the database)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        collected = pool.submit(manage, env, ["collectstatic", "--noinput", "-v0"])
        manage(env, ["migrate", "-v0"], ["shell", "-c", SETUP])
        collected.result()


def healthy(port):
    try:
        return Person(port, "127.0.0.1", "-").request("GET", "/healthz")[0] == 200
    except OSError:
        return False


@pytest.mark.once
def test_fifty_people_over_http_get_ten_seats_a_waitlist_in_join_order_and_no_overbooking(
    tmp_path,
):
    assert answers(5432), "PostgreSQL must answer on 127.0.0.1:5432 for this test (see .ci/run)"
    rng = random.Random(13)
    with postgres_database("seat_race") as database_url:
        env = production_env(
            tmp_path,
            CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
            DATABASE_URL=database_url,
            TRUST_X_FORWARDED_PROTO="true",
            REDIS_URL="",
        )
        prepare(env)
        with gunicorn(env, workers=4) as port:
            # Four workers importing Django on a busy machine take their time.
            assert wait_until(lambda: healthy(port), timeout=90), "gunicorn did not answer /healthz"
            people = [
                Person(port, f"127.0.0.{10 + n}", f"person{n}@example.org") for n in range(PEOPLE)
            ]
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(pool.map(Person.log_in, people))
            by_email = {person.email: person for person in people}

            # (a) Fifty people press Reserve at the same moment: exactly ten seats.
            all_at_once([(person, ["reserve"]) for person in people])
            seats = Seats(database_url)
            seats.check()
            assert len(seats.reserved) == LIMIT
            assert seats.waiting == []

            # (b) The forty others join the waitlist at once: forty distinct places.
            others = [p for p in people if p.email not in seats.reserved]
            all_at_once([(person, ["join"]) for person in others])
            seats = Seats(database_url)
            seats.check()
            assert sorted(seats.waiting) == sorted(p.email for p in others)
            assert sorted(seats.positions.values()) == list(range(1, PEOPLE - LIMIT + 1))

            # (c) Churn: some give their seat back, some leave the waitlist, those outside
            # try to reserve and then join, and some waiting try to jump the queue.
            for _round in range(CHURN_ROUNDS):
                before = seats
                outside = [
                    email
                    for email in by_email
                    if email not in before.reserved and email not in before.waiting
                ]
                cancelling = rng.sample(before.reserved, 3)
                leaving = rng.sample(before.waiting[5:], 2)
                jumping = rng.sample([e for e in before.waiting if e not in leaving], 3)
                tasks = [
                    *((by_email[e], ["cancel"]) for e in cancelling),
                    *((by_email[e], ["leave"]) for e in leaving),
                    *((by_email[e], ["reserve"]) for e in jumping),
                    *((by_email[e], ["reserve", "join"]) for e in outside),
                ]
                all_at_once(tasks)
                seats = Seats(database_url)
                seats.check()
                assert not set(cancelling) & set(seats.reserved)
                assert not set(leaving) & set(seats.waiting)
                # Freed seats went to the people waiting longest, not to anyone pushing in.
                promoted = [e for e in seats.reserved if e not in before.reserved]
                assert len(promoted) == len(cancelling)
                still_waiting = [e for e in before.waiting if e in seats.waiting]
                for email in promoted:
                    assert email in before.waiting, f"{email} got a seat without waiting"
                    assert all(
                        before.positions[email] < before.positions[other] for other in still_waiting
                    ), (email, before.waitlist)
                # Those still waiting keep their places; newcomers queue behind them.
                assert all(seats.positions[e] == before.positions[e] for e in still_waiting)
                newcomers = [e for e in seats.waiting if e not in before.waiting]
                assert sorted(newcomers) == sorted(outside)
                assert all(
                    seats.positions[new] > max(before.positions.values()) for new in newcomers
                )

        responses = [
            (person.email, action, status)
            for person in people
            for action, status in person.responses
            if action in {"reserve", "join", "cancel", "leave"}
        ]
        assert [r for r in responses if r[2] >= 500] == []
        assert {status for _email, _action, status in responses} == {302}
