"""The public changelog (/<conf>/changes/), its Atom feed and JSON, and the marks on changed
sessions in the schedule and on session pages."""

import datetime as dt
import json
import re

import pytest
from defusedxml import ElementTree

from schedule import versions
from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, StageFactory

pytestmark = pytest.mark.django_db

NINE = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris, 12:45 in Kathmandu
CONF = "/versioned"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def conference():
    return ConferenceFactory(slug="versioned", publish_every_save=False)


@pytest.fixture
def schedule(conference):
    """v1 with three sessions; then the keynote moved from 09:00 to 11:30 (Paris) and the
    workshop cancelled, in the draft."""
    main, side = (
        StageFactory(conference=conference, name="Main"),
        StageFactory(conference=conference, name="Side"),
    )
    sessions = {
        "keynote": SessionFactory(conference=conference, title="Keynote", stage=main, start=NINE),
        "workshop": SessionFactory(
            conference=conference,
            title="Workshop",
            stage=side,
            start=NINE + dt.timedelta(hours=1),
        ),
        "lightning": SessionFactory(
            conference=conference,
            title="Lightning talks",
            stage=side,
            start=NINE + dt.timedelta(hours=3),
        ),
    }
    versions.publish(conference, name="First programme")
    keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
    keynote.start, keynote.end = (
        NINE + dt.timedelta(hours=2, minutes=30),
        NINE + dt.timedelta(hours=3),
    )
    keynote.save()
    workshop = Session.all_objects.get(pk=sessions["workshop"].pk)
    workshop.status = Session.Status.CANCELLED
    workshop.save()
    return sessions


def publish_v2(conference):
    return versions.publish(conference, name="Keynote later")


def changelog_items(html):
    """{version anchor: [session titles listed]} of a changelog page."""
    found = {}
    for part in html.split('<li class="changelog-version" id="')[1:]:
        anchor, body = part.split('"', 1)
        found[anchor] = re.findall(
            r'<h3 class="changelog-title">(?:<a href="[^"]*">)?([^<]*)', body
        )
    return found


def test_the_changelog_lists_exactly_the_moved_and_the_cancelled_session_in_paris(
    client, conference, schedule
):
    publish_v2(conference)

    html = client.get(f"{CONF}/changes/?tz=Europe/Paris").content.decode()

    assert changelog_items(html) == {"v2": ["Workshop", "Keynote"], "v1": []}
    assert "v2 — Keynote later" in html
    assert "First published schedule: 3 sessions." in html
    assert "Moved from 09:00 to 11:30" in html
    assert '<strong class="change-label">Changed:</strong> Cancelled' in html
    assert f'<a href="{CONF}/sessions/keynote/?tz=Europe%2FParis">Keynote</a>' in html


def test_the_changelog_gives_the_times_in_the_viewers_timezone_kathmandu(
    client, conference, schedule
):
    publish_v2(conference)

    html = client.get(f"{CONF}/changes/?tz=Asia/Kathmandu").content.decode()

    assert changelog_items(html)["v2"] == ["Workshop", "Keynote"]
    assert "Moved from 12:45 to 15:15" in html
    assert "Moved from 09:00" not in html


def test_the_timezone_cookie_chooses_the_changelogs_times_too(client, conference, schedule):
    publish_v2(conference)
    client.cookies["tz"] = "Asia/Kathmandu"

    html = client.get(f"{CONF}/changes/").content.decode()

    assert "Moved from 12:45 to 15:15" in html


def test_the_draft_is_invisible_to_the_public_until_it_is_published(client, conference, schedule):
    keynote_url = f"{CONF}/sessions/keynote/"
    day_url = f"{CONF}/schedule/2026-04-08/?layout=list"

    changes = client.get(f"{CONF}/changes/").content.decode()
    session = client.get(keynote_url).content.decode()
    day = client.get(day_url).content.decode()

    assert changelog_items(changes) == {"v1": []}
    assert "11:30" not in session and "Changed:" not in session
    assert "09:00–09:25" in session
    assert "Changed:" not in day and "Cancelled" not in day

    publish_v2(conference)

    session = client.get(keynote_url).content.decode()
    day = client.get(day_url).content.decode()
    assert "Moved from 09:00 to 11:30" in session
    assert f'<a href="{CONF}/changes/">All schedule changes</a>' in session
    assert day.count('class="change-mark"') == 2
    assert "Moved from 09:00 to 11:30" in day


def test_the_grid_carries_the_marks_in_words(client, conference, schedule):
    publish_v2(conference)

    html = client.get(f"{CONF}/schedule/2026-04-08/?layout=grid").content.decode()

    marks = re.findall(r'<p class="change-mark">(.*?)</p>', html)
    assert marks == [
        '<strong class="change-label">Changed:</strong> Cancelled',
        '<strong class="change-label">Changed:</strong> Moved from 09:00 to 11:30',
    ]


def test_the_schedule_links_to_the_changelog(client, conference, schedule):
    html = client.get(f"{CONF}/schedule/2026-04-08/").content.decode()

    assert f'<p class="changes-link"><a href="{CONF}/changes/">Schedule changes</a></p>' in html


def test_before_any_version_the_changelog_says_so(client):
    ConferenceFactory(slug="fresh", publish_every_save=False)

    html = client.get("/fresh/changes/").content.decode()

    assert "No version of this schedule has been published yet" in html


def test_the_changelog_page_links_its_atom_feed(client, conference, schedule):
    html = client.get(f"{CONF}/changes/").content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Schedule changes · ' + conference.name + f'" href="{CONF}/changes.atom">'
    ) in html


def test_the_atom_feed_has_one_entry_per_version_in_the_conferences_time(
    client, conference, schedule
):
    publish_v2(conference)

    response = client.get(f"{CONF}/changes.atom", headers={"Accept": "*/*"})

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "v2 — Keynote later",
        "v1 — First programme",
    ]
    assert entries[0].findtext(f"{ATOM}id") == "http://testserver/versioned/changes/#v2"
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "html"
    assert "Times in Europe/Paris (CEST)." in content.text
    assert (
        '<li><a href="http://testserver/versioned/sessions/keynote/">Keynote</a>: '
        "Moved from 09:00 to 11:30 (Wed 8 Apr, 11:30–12:00 · Main)</li>"
    ) in content.text
    assert "Workshop</a>: Cancelled" in content.text
    assert entries[1].find(f"{ATOM}content").text == "<p>First published schedule: 3 sessions</p>"


def test_the_json_lists_each_version_and_its_changes_in_utc(client, conference, schedule):
    publish_v2(conference)

    document = json.loads(client.get(f"{CONF}/changes.json").content)

    assert document["timezone"] == "Europe/Paris"
    latest, first = document["versions"]
    assert (latest["number"], latest["name"], first["number"]) == (2, "Keynote later", 1)
    assert latest["published_at"].endswith("Z")
    assert first["changes"] == []
    workshop, keynote = latest["changes"]
    assert keynote["slug"] == "keynote"
    assert keynote["url"] == "http://testserver/versioned/sessions/keynote/"
    assert keynote["kinds"] == ["moved"]
    assert (keynote["before"]["start"], keynote["after"]["start"]) == (
        "2026-04-08T07:00:00Z",
        "2026-04-08T09:30:00Z",
    )
    assert keynote["notes"] == ["Moved from 09:00 to 11:30"]
    assert (workshop["slug"], workshop["kinds"], workshop["notes"]) == (
        "workshop",
        ["cancelled"],
        ["Cancelled"],
    )


@pytest.mark.parametrize("path", ["changes.atom", "changes.json"])
def test_the_feeds_answer_304_until_the_next_version(client, conference, schedule, path):
    first = client.get(f"{CONF}/{path}")

    assert client.get(f"{CONF}/{path}", headers={"If-None-Match": first["ETag"]}).status_code == 304
    head = client.head(f"{CONF}/{path}")
    assert (head.status_code, head["ETag"], head.content) == (200, first["ETag"], b"")

    publish_v2(conference)

    changed = client.get(f"{CONF}/{path}", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def many_versions(conference, sessions, count):
    """`count` versions, each moving every session by five minutes."""
    made = [
        SessionFactory(conference=conference, title=f"Talk {n}", start=NINE)
        for n in range(sessions)
    ]
    versions.publish(conference)
    for step in range(1, count):
        for session in made:
            session = Session.all_objects.get(pk=session.pk)
            session.start += dt.timedelta(minutes=5)
            session.end += dt.timedelta(minutes=5)
            session.save()
        versions.publish(conference, name=f"Step {step}")


@pytest.mark.parametrize(("sessions", "count"), [(2, 2), (30, 24)])
def test_the_changelog_page_reads_the_same_queries_whatever_its_size(
    client, conference, django_assert_max_num_queries, sessions, count
):
    many_versions(conference, sessions, count)

    # The conference, the number of versions, a page of them, the sessions still listed.
    with django_assert_max_num_queries(4):
        response = client.get(f"{CONF}/changes/")

    assert response.status_code == 200
    assert len(changelog_items(response.content.decode())) == min(count, 20)


def test_the_changelog_is_paginated_by_twenty_versions(client, conference):
    many_versions(conference, 1, 23)

    first = client.get(f"{CONF}/changes/").content.decode()
    second = client.get(f"{CONF}/changes/?page=2").content.decode()

    assert list(changelog_items(first)) == [f"v{n}" for n in range(23, 3, -1)]
    assert list(changelog_items(second)) == ["v3", "v2", "v1"]
    assert '<a href="?page=2" rel="next">Older versions</a>' in first
    assert "Page 2 of 2" in second
    assert client.get(f"{CONF}/changes/?page=3").status_code == 404
    assert client.get(f"{CONF}/changes/?page=x").status_code == 404
