"""What an import promises whatever happens to it or whatever is in the file:

- killed with SIGKILL in the middle of its transaction, it leaves nothing behind, and the same
  file then imports completely (SQLite and PostgreSQL, in a database of the test's own);
- markup in a file's titles, abstracts, names and stage, track and type names is shown as text
  on every page and kept as data in every export, never run;
- entity bombs, external entities and external DTDs are refused, naming the problem, with
  nothing written and nothing fetched.
"""

import contextlib
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import re
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import icalendar
import psycopg
import pytest
from allauth.account.models import EmailAddress
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client

from attendees.models import AgendaFeed, Registration
from conference.models import Conference
from schedule.models import Session
from speakers.models import Speaker
from tests.schedule.formats.conftest import fingerprint
from tests.services import ROOT, manage, postgres_copy, postgres_database, production_env

# --- Killed mid-transaction ------------------------------------------------------------------

BIG_SESSIONS = 2050  # not a multiple of 100: the last progress step is printed only at the end
BIG_COLUMNS = [
    "uuid",
    "title",
    "start_utc",
    "end_utc",
    "stage",
    "track",
    "type",
    "speakers",
    "abstract",
]
COUNTED = {
    "sessions": "schedule_session",
    "stages": "conference_stage",
    "tracks": "conference_track",
    "types": "conference_sessiontype",
    "speakers": "speakers_speaker",
    "speaker_links": "schedule_sessionspeaker",
}


def big_csv(path, sessions, *, title="Talk number {n}", abstract="A long enough abstract. " * 10):
    """A schedule large enough for the command's progress bar (over 256 KB)."""
    start = dt.datetime(2026, 4, 7, 7, 0, tzinfo=dt.UTC)
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(BIG_COLUMNS)
        for n in range(sessions):
            begins = start + dt.timedelta(days=n % 2, minutes=30 * ((n // 20) % 20))
            writer.writerow(
                [
                    f"00000000-0000-4000-8000-{n:012d}",
                    title.format(n=n),
                    f"{begins:%Y-%m-%dT%H:%M:%SZ}",
                    f"{begins + dt.timedelta(minutes=25):%Y-%m-%dT%H:%M:%SZ}",
                    f"Hall {n % 20}",
                    f"Track {n % 10}",
                    "Talk",
                    "; ".join(f"Speaker {(n * 3 + k) % 1500}" for k in range(3)),
                    abstract,
                ]
            )
    assert path.stat().st_size > 256 * 1024
    return path


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def migrated_template(request, tmp_path_factory):
    """A migrated database to copy, one per kind: migrating takes longer than copying."""
    folder = tmp_path_factory.mktemp("import-template")
    if request.param == "sqlite":
        database = contextlib.nullcontext(f"sqlite:///{folder / 'template.sqlite3'}")
    else:
        database = postgres_database("import_template")
    with database as url:
        manage(production_env(folder, DATABASE_URL=url, REDIS_URL=""), ["migrate", "-v0"])
        yield url


@pytest.fixture
def env(migrated_template, tmp_path):
    """manage.py's environment on an SQLite file or a PostgreSQL database of this test's own,
    already migrated."""
    if migrated_template.startswith("sqlite:"):
        copy = tmp_path / "import.sqlite3"
        shutil.copyfile(migrated_template.removeprefix("sqlite:///"), copy)
        database = contextlib.nullcontext(f"sqlite:///{copy}")
    else:
        database = postgres_copy(migrated_template, "import_kill")
    with database as url:
        yield production_env(tmp_path, DATABASE_URL=url, REDIS_URL="")


def connect(env, **sqlite_options):
    """A connection to the database the commands in env use."""
    database_url = env["DATABASE_URL"]
    if database_url.startswith("sqlite:"):
        return sqlite3.connect(database_url.removeprefix("sqlite:///"), **sqlite_options)
    return psycopg.connect(database_url)


def database_state(env):
    """Every table an import writes, read with SQL: the conferences, counts of the rest and a
    digest of every session's state."""
    with contextlib.closing(connect(env)) as db:
        state = {
            name: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
            for name, table in COUNTED.items()
        }
        state["conferences"] = [
            slug for (slug,) in db.execute("SELECT slug FROM conference_conference ORDER BY slug")
        ]
        rows = db.execute(
            'SELECT uuid, title, start, "end", stage_id, status, revision, removed_at '
            "FROM schedule_session ORDER BY uuid"
        ).fetchall()
    state["digest"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return state


def in_writing_transaction(env):
    """Whether some other connection has written in a transaction still open (the import)."""
    with contextlib.closing(connect(env, timeout=0, isolation_level=None)) as db:
        if isinstance(db, psycopg.Connection):
            (count,) = db.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
            ).fetchone()
            return count > 0
        try:
            db.execute("BEGIN IMMEDIATE")  # refused while another connection writes
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        db.execute("ROLLBACK")
        return False


def import_command(path):
    """manage.py import_schedule of that file into the conference "big"."""
    return [sys.executable, "manage.py", "import_schedule", str(path), "--conference", "big"]


def import_whole(env, path):
    """Import the file and let the import end: what it printed."""
    result = subprocess.run(
        import_command(path), cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def kill_import(env, path, *, at, of):
    """Import the file, stop the import as soon as its progress bar reaches `at` of the file's
    `of` sessions, check that it is inside a transaction that has written, and SIGKILL it."""
    process = subprocess.Popen(
        import_command(path),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    shown, writing, deadline = b"", None, time.monotonic() + 120
    try:
        with selectors.DefaultSelector() as selector:
            selector.register(process.stderr, selectors.EVENT_READ)
            while writing is None and time.monotonic() < deadline:
                if not selector.select(timeout=1):
                    continue
                chunk = os.read(process.stderr.fileno(), 65536)
                if not chunk:
                    break  # it ended by itself
                shown += chunk
                done = [int(n) for n in re.findall(rb"\] (\d+)/\d+", shown)]
                if done and max(done) >= at:
                    process.send_signal(signal.SIGSTOP)
                    writing = in_writing_transaction(env)
                    process.send_signal(signal.SIGKILL)
    finally:
        if writing is None and time.monotonic() >= deadline:
            process.kill()
        process.wait(timeout=60)
        process.stderr.close()
    code, shown = process.returncode, shown.decode(errors="replace")
    assert code == -signal.SIGKILL, f"the import ended by itself ({code}): {shown}"
    assert writing, "the import was not inside a transaction that had written"
    assert f"{of}/{of}" not in shown


@pytest.mark.once
def test_an_import_killed_mid_transaction_leaves_nothing_and_the_same_file_then_imports_whole(
    env, tmp_path
):
    schedule = big_csv(tmp_path / "big.csv", BIG_SESSIONS)
    empty = database_state(env)

    # The first progress step is printed once the conference, stages, tracks, types and
    # speakers are written (in the transaction) and the sessions are about to be.
    kill_import(env, schedule, at=100, of=BIG_SESSIONS)

    after = database_state(env)
    assert "big" not in after["conferences"]
    assert after == empty

    output = import_whole(env, schedule)

    assert f"{BIG_SESSIONS} created, 0 updated, 0 unchanged, 0 removed, 0 rejected" in output
    state = database_state(env)
    assert state["conferences"] == ["big"]
    assert (state["sessions"], state["stages"], state["tracks"], state["types"]) == (
        BIG_SESSIONS,
        20,
        10,
        1,
    )
    assert (state["speakers"], state["speaker_links"]) == (1500, 3 * BIG_SESSIONS)


@pytest.mark.once
def test_a_reimport_killed_halfway_through_its_updates_leaves_the_schedule_as_it_was(env, tmp_path):
    abstract = "A longer abstract, so that 500 sessions make a progress bar. " * 10
    first = big_csv(tmp_path / "first.csv", 500, abstract=abstract)
    renamed = big_csv(
        tmp_path / "renamed.csv", 500, title="Talk number {n}, renamed", abstract=abstract
    )
    import_whole(env, first)
    imported = database_state(env)

    # Each changed session is saved on its own (its revision goes up): killed after 250.
    kill_import(env, renamed, at=250, of=500)

    assert database_state(env) == imported

    output = import_whole(env, renamed)

    assert "0 created, 500 updated, 0 unchanged" in output
    state = database_state(env)
    assert state["digest"] != imported["digest"]
    assert {k: v for k, v in state.items() if k != "digest"} == {
        k: v for k, v in imported.items() if k != "digest"
    }


# --- Markup in an imported file ----------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
ICS_INJECTION = "Fine.\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:injected\r\nSUMMARY:Injected"
HOSTILE = {
    "conference": f"{SCRIPT} Conf {IMG}",
    "keynote": f"{SCRIPT} Keynote",
    "workshop": f"{IMG} Workshop",
    "formula": f'=HYPERLINK("{JS_URL}","click")',
    "js title": JS_URL,
    "stage": f"Hall {IMG}",
    "script track": f"{SCRIPT} Track",
    "js track": JS_URL,
    "formula track": "-2+3 Track",
    "img type": f"{IMG} Talk",
    "eve": f"Eve {SCRIPT}",
    "mallory": f"Mallory {IMG}",
    "js speaker": JS_URL,
    "formula speaker": "@SUM(1+1)*cmd|' /C calc'!A0",
    "abstract": (
        f'{SCRIPT}\n\n{IMG}\n\n<a href="{JS_URL}">click</a> {JS_URL} [link]({JS_URL})\n'
        f"<iframe src='{JS_URL}'></iframe><svg onload=alert(1)>"
    ),
    "bio": f"{IMG}\n<a href='{JS_URL}'>my site</a> {JS_URL} {SCRIPT}",
    "formula abstract": "+1+cmd|' /C calc'!A0",
}
# Attributes a browser follows or runs as a URL.
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "hx-get",
    "hx-post",
    "hx-push-url",
}


def hostile_schedule():
    """A c3voc schedule.json with markup and script URLs in every text it carries."""

    def event(number, title, time, room, *, track, kind, persons, abstract="", slug=""):
        return {
            "id": number,
            "guid": f"00000000-0000-4000-8000-0000000000{number:02d}",
            "date": f"2026-04-07T{time}:00+02:00",
            "duration": "01:00",
            "room": room,
            "title": title,
            "slug": slug,
            "track": track,
            "type": kind,
            "abstract": abstract,
            "url": JS_URL,
            "persons": persons,
        }

    people = {
        "eve": {"name": HOSTILE["eve"], "biography": HOSTILE["bio"]},
        "mallory": {"name": HOSTILE["mallory"], "biography": HOSTILE["bio"]},
        "js": {"name": HOSTILE["js speaker"], "biography": JS_URL},
        "formula": {"name": HOSTILE["formula speaker"]},
    }
    events = [
        event(
            1,
            HOSTILE["keynote"],
            "09:00",
            HOSTILE["stage"],
            track=HOSTILE["script track"],
            kind=HOSTILE["img type"],
            persons=[people["eve"], people["mallory"]],
            abstract=HOSTILE["abstract"],
            slug=JS_URL,
        ),
        event(
            2,
            HOSTILE["workshop"],
            "10:30",
            "Hall B",
            track=HOSTILE["js track"],
            kind="Workshop",
            persons=[people["js"]],
            abstract=ICS_INJECTION,
        ),
        event(
            3,
            HOSTILE["formula"],
            "12:00",
            "Hall B",
            track=HOSTILE["formula track"],
            kind="Talk",
            persons=[people["formula"], people["eve"]],
            abstract=HOSTILE["formula abstract"],
        ),
        event(
            4,
            HOSTILE["js title"],
            "14:00",
            HOSTILE["stage"],
            track=HOSTILE["script track"],
            kind="Talk",
            persons=[people["mallory"]],
        ),
    ]
    rooms = {}
    for item in events:
        rooms.setdefault(item["room"], []).append(item)
    return {
        "schedule": {
            "version": "1",
            "conference": {
                "acronym": "xss",
                "title": HOSTILE["conference"],
                "start": "2026-04-07",
                "end": "2026-04-07",
                "time_zone_name": "Europe/Paris",
                "tracks": [
                    {"name": HOSTILE["script track"], "color": "red;}</style><script>x()</script>"}
                ],
                "rooms": [{"name": name} for name in rooms],
                "days": [{"index": 1, "date": "2026-04-07", "rooms": rooms}],
            },
        }
    }


class Markup(HTMLParser):
    """What a browser would make of a page: its text, and anything in it that could run."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self.texts = []
        self.attribute_values = []
        self.in_script = False
        self.feed(page)
        self.close()

    @property
    def text(self):
        return "".join(self.texts)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            self.attribute_values.append(value or "")
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and re.match(
                r"\s*(javascript|data|vbscript):", value or "", re.I
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
        if tag == "script":
            self.in_script = True
            if not attributes.get("src"):
                self.problems.append("<script> without src")
        if tag in {"iframe", "object", "embed"} or (tag == "img" and attributes.get("src") == "x"):
            self.problems.append(f"<{tag} {attributes}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"script text {data[:80]!r}")
        self.texts.append(data)


def assert_shown_as_text(response, url, *shown):
    """The page answers, runs nothing from the file, and shows each value as plain text."""
    assert response.status_code == 200, url
    page = response.content.decode()
    assert SCRIPT not in page, url
    assert "<img src=x" not in page.lower(), url
    assert "onerror=alert(1)>" not in page, url
    assert "<svg onload" not in page.lower(), url
    markup = Markup(page)
    assert markup.problems == [], url
    for value in shown:
        assert value in markup.text or value in markup.attribute_values, (url, value)
        # Escaped where it is written: the raw markup never reaches the page.
        if "<" in value:
            assert html.escape(value, quote=False) in page or html.escape(value) in page, (
                url,
                value,
            )
    return markup


@pytest.fixture
def hostile_conference(db, tmp_path):
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(hostile_schedule()))
    out, err = io.StringIO(), io.StringIO()
    call_command("import_schedule", str(path), conference="xss", stdout=out, stderr=err)
    assert "4 created, 0 updated, 0 unchanged, 0 removed, 0 rejected" in out.getvalue(), (
        err.getvalue()
    )
    conference = Conference.objects.get(slug="xss")
    keynote = Session.objects.get(conference=conference, title=HOSTILE["keynote"])
    keynote.seat_limit = 5
    keynote.save()
    return conference


@pytest.fixture
def visitor(hostile_conference):
    """A registered attendee with a verified address, signed in."""
    user = get_user_model().objects.create_user("eve", "eve@example.org", "a long passphrase 1")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    Registration.objects.create(conference=hostile_conference, email=user.email, ticket_id="1")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return user, client


def test_markup_in_an_imported_file_is_shown_as_text_on_every_page(hostile_conference, visitor):
    _user, client = visitor
    conference = f"/{hostile_conference.slug}"
    sessions = {s.title: s for s in Session.objects.filter(conference=hostile_conference)}
    keynote, workshop = sessions[HOSTILE["keynote"]], sessions[HOSTILE["workshop"]]
    assert keynote.slug == "javascriptalert1"  # a slug, whatever the file gave
    for session in (keynote, workshop):
        response = client.post(f"{conference}/sessions/{session.slug}/agenda/", {"action": "add"})
        assert response.status_code == 302
    # A seat, with the confirmation message that names the session on the next page.
    response = client.post(f"{conference}/sessions/{keynote.slug}/seat/", {"action": "reserve"})
    assert response.status_code == 302
    assert_shown_as_text(
        client.get(response["Location"]),
        "session page with the seat message",
        f"Your seat in “{HOSTILE['keynote']}” is reserved and in your agenda.",
    )
    response = client.post(
        f"{conference}/sessions/{keynote.slug}/seat/",
        {"action": "cancel"},
        headers={"HX-Request": "true"},
    )
    assert_shown_as_text(response, "seat box swapped by htmx", HOSTILE["keynote"])
    client.post(f"{conference}/sessions/{keynote.slug}/seat/", {"action": "reserve"})

    titles = list(sessions)
    everything = [
        *titles,
        HOSTILE["stage"],
        HOSTILE["script track"],
        HOSTILE["js track"],
        HOSTILE["img type"],
        HOSTILE["eve"],
        HOSTILE["mallory"],
        HOSTILE["js speaker"],
    ]
    day = f"{conference}/schedule/2026-04-07/"
    for _twice in range(2):  # rendered, then from the cache with the visitor's parts filled in
        for layout in ("grid", "list"):
            assert_shown_as_text(client.get(day, {"layout": layout}), layout, *everything)
            assert_shown_as_text(
                client.get(day, {"layout": layout, "q": "alert"}, headers={"HX-Request": "true"}),
                f"{layout} filtered by htmx",
                *titles,
            )
            assert_shown_as_text(
                client.get(day, {"layout": layout, "mine": "1"}),
                f"{layout}, my agenda only",
                HOSTILE["keynote"],
                HOSTILE["workshop"],
            )
    assert_shown_as_text(client.get(f"{conference}/schedule/", follow=True), "schedule")
    assert_shown_as_text(client.get(f"{conference}/", follow=True), "conference home")
    assert_shown_as_text(
        client.get(f"{conference}/sessions/{keynote.slug}/"),
        "keynote page",
        HOSTILE["keynote"],
        HOSTILE["stage"],
        HOSTILE["script track"],
        HOSTILE["img type"],
        HOSTILE["eve"],
        HOSTILE["mallory"],
        SCRIPT,
        IMG,
    )
    for session in sessions.values():
        assert_shown_as_text(
            client.get(f"{conference}/sessions/{session.slug}/"), session.slug, session.title
        )
    speakers = list(Speaker.objects.filter(conference=hostile_conference))
    assert_shown_as_text(
        client.get(f"{conference}/speakers/"), "speakers", *(s.name for s in speakers)
    )
    for speaker in speakers:
        url = f"{conference}/speakers/{speaker.slug}/"
        assert_shown_as_text(client.get(url), url, speaker.name)
        assert_shown_as_text(client.get(f"{url}bio/"), f"{url}bio/")
    eve = Speaker.objects.get(conference=hostile_conference, name=HOSTILE["eve"])
    assert_shown_as_text(
        client.get(f"{conference}/speakers/{eve.slug}/"), "eve's page", SCRIPT, IMG, JS_URL
    )
    assert_shown_as_text(
        client.get(f"{conference}/agenda/"), "agenda", HOSTILE["keynote"], HOSTILE["workshop"]
    )
    assert_shown_as_text(client.get(f"{conference}/now/"), "now")
    assert_shown_as_text(client.get(f"{conference}/timezone/"), "timezone picker")
    colours = client.get(f"{conference}/colours.css").content.decode()
    assert "<" not in colours
    assert "script" not in colours


def test_markup_in_an_imported_file_stays_data_in_every_export(hostile_conference, visitor):
    user, client = visitor
    conference = f"/{hostile_conference.slug}"
    workshop = Session.objects.get(title=HOSTILE["workshop"])
    client.post(f"{conference}/sessions/{workshop.slug}/agenda/", {"action": "add"})
    titles = sorted(
        Session.objects.filter(conference=hostile_conference).values_list("title", flat=True)
    )
    assert titles == sorted(
        [HOSTILE["keynote"], HOSTILE["workshop"], HOSTILE["formula"], HOSTILE["js title"]]
    )

    response = client.get(f"{conference}/schedule.xml")
    assert response["Content-Type"].startswith("application/xml")
    assert b"<script>" not in response.content
    assert b"<img " not in response.content
    root = ElementTree.fromstring(response.content)
    assert sorted(e.findtext("title") for e in root.iter("event")) == titles
    assert root.findtext("conference/title") == HOSTILE["conference"]
    assert {p.text for p in root.iter("person")} == {
        HOSTILE["eve"],
        HOSTILE["mallory"],
        HOSTILE["js speaker"],
        HOSTILE["formula speaker"],
    }
    assert {room.get("name") for room in root.findall("day/room")} == {HOSTILE["stage"], "Hall B"}
    keynote = next(e for e in root.iter("event") if e.findtext("title") == HOSTILE["keynote"])
    assert keynote.findtext("abstract") == HOSTILE["abstract"]
    assert not keynote.findtext("url").startswith("javascript:")

    response = client.get(f"{conference}/schedule.json")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    document = json.loads(response.content)
    events = [
        event
        for day in document["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    assert sorted(event["title"] for event in events) == titles
    assert document["schedule"]["conference"]["title"] == HOSTILE["conference"]
    assert {event["track"] for event in events} == {
        HOSTILE["script track"],
        HOSTILE["js track"],
        HOSTILE["formula track"],
    }
    assert all(not event["url"].startswith("javascript:") for event in events)

    response = client.get(f"{conference}/schedule.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 4
    for row in rows:
        for column, cell in row.items():
            # Nothing a spreadsheet would run as a formula: such cells start with an apostrophe.
            assert not re.match(r"[=+\-@\t\r]", cell), (column, cell)
    by_title = {row["title"]: row for row in rows}
    formula = by_title["'" + HOSTILE["formula"]]
    assert formula["speakers"] == "'" + HOSTILE["formula speaker"] + "; " + HOSTILE["eve"]
    assert formula["abstract"] == "'" + HOSTILE["formula abstract"]
    assert formula["track"] == "'" + HOSTILE["formula track"]
    assert by_title[HOSTILE["keynote"]]["abstract"] == HOSTILE["abstract"]
    assert by_title[HOSTILE["keynote"]]["stage"] == HOSTILE["stage"]
    assert by_title[HOSTILE["workshop"]]["abstract"] == ICS_INJECTION

    feed = AgendaFeed.objects.for_person(user, hostile_conference)
    calendars = {
        "schedule.ics": (f"{conference}/schedule.ics", 4),
        "session .ics": (f"{conference}/sessions/{workshop.slug}.ics", 1),
        "agenda feed": (f"{conference}/agenda/{feed.token}.ics", 1),
    }
    for name, (url, count) in calendars.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/calendar"), name
        calendar = icalendar.Calendar.from_ical(response.content)
        events = calendar.walk("VEVENT")
        # The abstract's line breaks stay inside its DESCRIPTION: no event smuggled in.
        assert len(events) == count, name
        assert "injected" not in [str(event.get("uid")) for event in events], name
        assert all(str(event.get("summary")) in titles for event in events), name
        for event in events:
            if str(event.get("summary")) == HOSTILE["workshop"]:
                assert ICS_INJECTION.replace("\r\n", "\n") in str(event.get("description"))


# --- Entity bombs, external entities, external DTDs ------------------------------------------

EVENT = """<day index="1" date="2026-04-07"><room name="Hall A">
<event id="1" guid="00000000-0000-4000-8000-000000000001"><date>2026-04-07T09:00:00+02:00</date>
<duration>01:00</duration><room>Hall A</room><title>{title}</title><persons/></event>
</room></day>"""


def xml(doctype, title):
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f"{doctype}\n"
        "<schedule><version>1</version><conference><acronym>bomb</acronym>"
        f"<title>{title}</title><time_zone_name>Europe/Paris</time_zone_name></conference>"
        f"{EVENT.format(title=title)}</schedule>\n"
    )


def billion_laughs():
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    return xml(f"<!DOCTYPE schedule [\n{chr(10).join(levels)}\n]>", "&lol9;")


def quadratic_blowup():
    return xml(f'<!DOCTYPE schedule [<!ENTITY a "{"a" * 50_000}">]>', "&a;" * 20_000)


HOSTILE_XML = {
    "billion laughs": lambda server: billion_laughs(),
    "quadratic blowup": lambda server: quadratic_blowup(),
    "external entity": lambda server: xml(
        '<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"
    ),
    "external entity over http": lambda server: xml(
        f'<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "{server}/secret">]>', "&xxe;"
    ),
    "external parameter entity": lambda server: xml(
        f'<!DOCTYPE schedule [<!ENTITY % remote SYSTEM "{server}/evil.dtd"> %remote;]>',
        "Talk",
    ),
    "external dtd": lambda server: xml(
        f'<!DOCTYPE schedule SYSTEM "{server}/schedule.dtd">', "&title;"
    ),
    "public dtd": lambda server: xml(
        f'<!DOCTYPE schedule PUBLIC "-//Evil//DTD Schedule//EN" "{server}/schedule.dtd">',
        "Talk",
    ),
}


@pytest.fixture
def listening_server():
    """An HTTP server that records every request: an import must never fetch anything."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = b'<!ENTITY title "fetched">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("case", HOSTILE_XML)
def test_entity_bombs_external_entities_and_dtds_are_refused_with_nothing_written(
    demo_conference, listening_server, tmp_path, case
):
    url, requests = listening_server
    path = tmp_path / "schedule.xml"
    path.write_text(HOSTILE_XML[case](url))
    before = fingerprint()

    for slug in ("new-conference", demo_conference.slug):
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(CommandError) as refused:
            call_command("import_schedule", str(path), conference=slug, stdout=out, stderr=err)

        assert "Rejected: nothing was imported." in str(refused.value)
        assert "1 rejected" in str(refused.value)
        report = err.getvalue()
        assert re.search(
            r"line \d+: the file declares a DTD \(<!DOCTYPE>\); DTDs are refused for safety\.",
            report,
        ), report
        assert "root:" not in report + out.getvalue()
        assert fingerprint() == before
        assert not Conference.objects.filter(slug="new-conference").exists()
    assert requests == []
