"""The iCalendar feeds: RFC 5545 as calendar apps read it, and cheap to poll."""

import datetime as dt
import re

import icalendar
import pytest
import vobject
from django.contrib.auth import get_user_model
from django.urls import reverse

from attendees.models import AgendaEntry, AgendaFeed
from schedule.ics import session_uid
from schedule.models import Session
from tests.schedule.test_admin import session_form

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


@pytest.fixture
def ada(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")


@pytest.fixture
def ada_feed(ada, demo_conference, gemma):
    AgendaEntry.objects.create(user=ada, session=gemma)
    return AgendaFeed.objects.create(user=ada, conference=demo_conference)


def feed_url(feed):
    return reverse(
        "attendees:feed", kwargs={"conference": feed.conference.slug, "token": feed.token}
    )


def events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def assert_rfc5545_shape(response):
    body = response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = body.split(b"\r\n")
    assert lines[-1] == b""
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    calendar = icalendar.Calendar.from_ical(body)
    for name in (
        "PRODID",
        "VERSION",
        "CALSCALE",
        "METHOD",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
    ):
        assert name in calendar, name
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    for event in calendar.walk("VEVENT"):
        for name in (
            "UID",
            "DTSTAMP",
            "DTSTART",
            "DTEND",
            "SUMMARY",
            "LOCATION",
            "DESCRIPTION",
            "URL",
            "LAST-MODIFIED",
            "SEQUENCE",
            "STATUS",
        ):
            assert name in event, name
        assert event["DTSTART"].dt.tzinfo is not None and event[
            "DTSTART"
        ].dt.utcoffset() == dt.timedelta(0)
    # An independent parser, validating.
    for component in vobject.readComponents(body.decode()):
        component.validate()
        assert component.vevent_list


def test_schedule_feed_is_well_formed_and_validates(client, demo_conference):
    assert_rfc5545_shape(client.get(f"{CONF}/schedule.ics"))


def test_session_feed_is_well_formed_and_validates(client, gemma):
    assert_rfc5545_shape(client.get(f"{CONF}/sessions/{gemma.slug}.ics"))


def test_agenda_feed_is_well_formed_and_validates(client, ada_feed):
    assert_rfc5545_shape(client.get(feed_url(ada_feed)))


@pytest.mark.parametrize("tz", ["Europe/Paris", "Pacific/Kiritimati", "America/St_Johns", "UTC"])
def test_feeds_give_utc_starts_whatever_the_web_view_timezone(client, gemma, tz):
    client.cookies["tz"] = tz

    event = events(client.get(f"{CONF}/schedule.ics", {"tz": tz}))[gemma.title]

    assert event["DTSTART"].dt == dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC)
    assert event["DTEND"].dt == dt.datetime(2026, 4, 8, 8, 5, tzinfo=dt.UTC)


def test_event_describes_place_speakers_and_link(client, gemma):
    event = events(client.get(f"{CONF}/sessions/{gemma.slug}.ics"))[gemma.title]

    assert str(event["LOCATION"]) == "Master Stage, Station F, Paris"
    speaker = gemma.speakers.first()
    assert f"Speakers: {speaker.name}" in str(event["DESCRIPTION"])
    assert str(event["URL"]) == f"http://testserver{CONF}/sessions/{gemma.slug}/"
    assert [str(c) for c in event["CATEGORIES"].cats] == [
        part.name for part in (gemma.track, gemma.session_type) if part
    ]


def test_uid_is_the_same_for_every_request_and_every_user(client, ada_feed, gemma):
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "another passphrase 2")
    AgendaEntry.objects.create(user=bob, session=gemma)
    bob_feed = AgendaFeed.objects.create(user=bob, conference=gemma.conference)

    uids = {
        str(events(client.get(url))[gemma.title]["UID"])
        for url in (
            f"{CONF}/schedule.ics",
            f"{CONF}/schedule.ics",
            f"{CONF}/sessions/{gemma.slug}.ics",
            feed_url(ada_feed),
            feed_url(bob_feed),
        )
    }

    assert uids == {session_uid(gemma)}
    assert str(gemma.uuid) in session_uid(gemma)


def test_sequence_and_last_modified_go_up_when_an_organiser_moves_a_session(
    client, admin_client, ada_feed, gemma, time_machine
):
    before = events(client.get(feed_url(ada_feed)))[gemma.title]
    time_machine.move_to(dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC))

    response = admin_client.post(
        reverse("admin:schedule_session_change", args=[gemma.pk]),
        session_form(
            gemma.conference,
            gemma.stage,
            day="2026-04-08",
            start="10:00",
            end="10:15",
            title=gemma.title,
            slug=gemma.slug,
        ),
    )
    assert response.status_code == 302

    after = events(client.get(feed_url(ada_feed)))[gemma.title]
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTART"].dt == dt.datetime(2026, 4, 8, 8, 0, tzinfo=dt.UTC)


def test_cancelled_session_stays_in_the_feed_marked_cancelled(client, ada_feed, gemma):
    gemma.status = Session.Status.CANCELLED
    gemma.save()

    event = events(client.get(feed_url(ada_feed)))[f"Cancelled: {gemma.title}"]

    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert event["X-CONFSCHEDULE-TITLE"] == gemma.title


def test_feed_answers_304_when_nothing_changed(client, ada_feed, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 20, 9, 0, 0, 300000, tzinfo=dt.UTC), tick=False)
    first = client.get(feed_url(ada_feed))
    time_machine.shift(2)

    second = client.get(feed_url(ada_feed), headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 304
    assert second.content == b""
    # Dated once the second it was written in has passed (tests/public/test_feeds.py).
    assert second["Last-Modified"] == "Fri, 20 Mar 2026 09:00:01 GMT"


def test_feed_etag_changes_when_the_agenda_changes(client, ada_feed, demo_conference):
    first = client.get(feed_url(ada_feed))
    other = (
        Session.objects.filter(conference=demo_conference).exclude(title__contains="Gemma").first()
    )
    AgendaEntry.objects.create(user=ada_feed.user, session=other)

    second = client.get(feed_url(ada_feed), headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 200
    assert other.title in events(second)


def test_made_up_token_is_a_404(client, demo_conference):
    response = client.get(f"{CONF}/agenda/{'x' * 43}.ics")

    assert response.status_code == 404


def test_reset_link_revokes_the_old_address(client, ada_feed):
    old_url = feed_url(ada_feed)
    client.force_login(ada_feed.user)

    client.post(f"{CONF}/agenda/reset-link/")

    assert client.get(old_url).status_code == 404
    new_feed = AgendaFeed.objects.get(user=ada_feed.user)
    assert new_feed.token != ada_feed.token
    assert client.get(feed_url(new_feed)).status_code == 200


def test_feed_token_has_at_least_128_bits(ada_feed):
    assert len(ada_feed.token) >= 43  # 32 random bytes in URL-safe base64


def test_agenda_feed_reveals_only_the_sessions(client, ada_feed):
    body = client.get(feed_url(ada_feed)).content.decode()

    assert ada_feed.user.email not in body
    assert not re.search(r"\bada\b", body, flags=re.I)
