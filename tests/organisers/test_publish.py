"""Publishing the schedule as versions: the publish page with each change's reach, the draft
preview, board moves held as a draft, imports published in the same step, and the feeds."""

import datetime as dt

import icalendar
import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command

from attendees.models import AgendaEntry, Reservation, VisitorInterest
from schedule import versions
from schedule.importing import import_schedule
from schedule.models import ScheduleVersion, Session
from tests.attendees.conftest import make_attendee
from tests.factories import ConferenceFactory, SessionFactory, StageFactory
from tests.organisers.test_board import move
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

PARIS_10 = dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)  # 10:00 in Paris
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def conference():
    return ConferenceFactory(name="Versioned Conf", publish_every_save=False)


@pytest.fixture
def stage(conference):
    return StageFactory(conference=conference, name="Main", capacity=100)


@pytest.fixture
def published(conference, stage):
    """Two sessions, published as v1."""
    keynote = SessionFactory(
        conference=conference, stage=stage, title="Keynote", start=PARIS_10, end=PARIS_10 + HOUR
    )
    panel = SessionFactory(
        conference=conference,
        stage=stage,
        title="Panel",
        start=PARIS_10 + 2 * HOUR,
        end=PARIS_10 + 3 * HOUR,
    )
    versions.publish(conference, name="First programme")
    return Session.all_objects.get(pk=keynote.pk), Session.all_objects.get(pk=panel.pk)


def organiser(client, *, staff=True, permission=True):
    user = User.objects.create_user("organiser", "o@example.org", is_staff=staff)
    if permission:
        user.user_permissions.add(
            Permission.objects.get(codename="change_session", content_type__app_label="schedule")
        )
    client.force_login(user)
    return user


def publish_url(conference):
    return f"/admin/board/{conference.slug}/publish/"


def move_later(session, hours=1):
    session.start += hours * HOUR
    session.end += hours * HOUR
    session.save()


def test_the_publish_page_says_how_many_people_each_change_reaches(client, conference, published):
    keynote, panel = published
    for number in range(3):
        AgendaEntry.objects.create(
            user=make_attendee(conference, f"a{number}@example.org"), session=keynote
        )
    VisitorInterest.objects.create(session=keynote, visitors=2)
    Reservation.objects.create(user=make_attendee(conference, "seat@example.org"), session=keynote)
    move_later(keynote)
    panel.status = Session.Status.CANCELLED
    panel.save()
    organiser(client)

    page = text(client.get(publish_url(conference)))

    assert "Keynote Moved from 10:00 to 11:00 in 5 agendas, 1 reservation" in page
    assert "Panel Cancelled in 0 agendas" in page
    assert "Publish v2" in page


def test_a_conference_on_a_12_hour_clock_reads_its_changes_on_it(client, stage, published):
    """The publish page and the calendar feed, the same for everyone, use the conference's
    clock (en-US: 12-hour)."""
    conference = stage.conference
    conference.locale = "en-US"
    conference.save()
    keynote, _panel = published
    move_later(keynote)
    organiser(client)

    assert "Keynote Moved from 10:00 AM to 11:00 AM" in text(client.get(publish_url(conference)))
    versions.publish(conference)
    feed = client.get(f"/{conference.slug}/schedule.ics").content.decode()
    assert "Moved from 10:00 AM to 11:00 AM" in " ".join(feed.replace("\r\n ", "").split())


def test_publishing_from_the_page_makes_the_draft_public(client, conference, published):
    keynote, _panel = published
    move_later(keynote)
    user = organiser(client)

    response = client.post(publish_url(conference), {"name": "Keynote later"})

    assert response.status_code == 302
    version = versions.latest_version(conference)
    assert (version.label, version.published_by) == ("v2 — Keynote later", user)
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10 + HOUR


def test_publishing_nothing_new_is_refused_with_a_reason(client, conference, published):
    organiser(client)
    response = client.post(publish_url(conference), {"name": "Again"})
    assert response.status_code == 400
    assert "Nothing has changed since the latest version" in text(response)
    assert versions.latest_number(conference) == 1


def test_a_new_abstract_alone_is_listed_and_published_but_is_no_news(client, conference, published):
    keynote, _panel = published
    AgendaEntry.objects.create(user=make_attendee(conference, "a@example.org"), session=keynote)
    keynote.abstract = "Now with a demo of the new compiler."
    keynote.save()
    organiser(client)

    assert Session.objects.get(pk=keynote.pk).abstract != keynote.abstract  # the public's
    assert "Keynote New abstract in 1 agenda" in text(client.get(publish_url(conference)))
    response = client.post(publish_url(conference), {"name": "Keynote described"})

    assert response.status_code == 302
    assert Session.objects.get(pk=keynote.pk).abstract == "Now with a demo of the new compiler."
    assert versions.latest_version(conference).changes == []  # no mark, no e-mail


def test_the_publish_page_tells_when_versions_were_published_on_the_conference_clock(
    client, django_assert_max_num_queries
):
    import time_machine

    kathmandu = ConferenceFactory(timezone="Asia/Kathmandu", publish_every_save=False)
    for hour in (3, 4, 5):
        SessionFactory(conference=kathmandu, start=PARIS_10)
        with time_machine.travel(dt.datetime(2026, 4, 6, hour, 0, tzinfo=dt.UTC)):
            versions.publish(kathmandu, name=f"At {hour}")
    organiser(client)

    with django_assert_max_num_queries(12):  # whatever the number of versions
        page = text(client.get(publish_url(kathmandu)))

    assert "Latest version: v3 — At 5, published Mon 6 Apr 2026, 10:45 +0545." in page
    assert "v1 — At 3 — Mon 6 Apr 2026, 08:45 +0545" in page


def test_only_organisers_who_may_change_sessions_publish(client, conference, published):
    organiser(client, permission=False)
    assert client.post(publish_url(conference), {"name": "x"}).status_code == 403
    assert versions.latest_number(conference) == 1


def test_the_draft_preview_is_for_organisers_with_the_conference_link(
    client, conference, published
):
    keynote, _panel = published
    move_later(keynote, hours=3)
    url = f"/{conference.slug}/schedule/2026-04-07/?layout=list&preview={conference.preview_token}"

    assert client.get(url).status_code == 403  # a visitor, even with the link
    organiser(client)
    assert client.get(url.replace(conference.preview_token, "wrong")).status_code == 404
    preview = client.get(url)

    assert preview.status_code == 200
    assert "Draft preview" in text(preview)
    assert "13:00" in text(preview) and "Keynote" in text(preview)
    assert "Moved from 10:00 to 13:00" in text(preview)  # the mark publishing will make
    assert "no-store" in preview["Cache-Control"]
    # The public page, asked right after by the same organiser, shows the published time.
    public = client.get(url.split("&preview")[0])
    assert "Draft preview" not in text(public)
    assert "10:00" in text(public)
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10


def test_the_draft_stays_out_of_public_pages_and_feeds_until_published(
    client, conference, published
):
    keynote, _panel = published
    move_later(keynote, hours=3)
    SessionFactory(conference=conference, title="Surprise", start=PARIS_10, end=PARIS_10 + HOUR)

    def feed():
        calendar = icalendar.Calendar.from_ical(
            client.get(f"/{conference.slug}/schedule.ics").content
        )
        return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}

    day = text(client.get(f"/{conference.slug}/schedule/2026-04-07/?layout=list"))
    assert "Surprise" not in day
    assert set(feed()) == {"Keynote", "Panel"}
    assert feed()["Keynote"]["DTSTART"].dt == PARIS_10
    assert client.get(f"/{conference.slug}/sessions/surprise/").status_code == 404

    versions.publish(conference)

    assert set(feed()) == {"Keynote", "Panel", "Surprise"}
    assert feed()["Keynote"]["DTSTART"].dt == PARIS_10 + 3 * HOUR


def test_feeds_keep_cancelled_sessions_and_say_what_changed(client, conference, published):
    keynote, panel = published
    sequence = keynote.revision
    move_later(keynote)
    panel.status = Session.Status.CANCELLED
    panel.save()
    versions.publish(conference, name="Afternoon")

    calendar = icalendar.Calendar.from_ical(client.get(f"/{conference.slug}/schedule.ics").content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}

    moved, cancelled = events["Keynote"], events["Cancelled: Panel"]
    assert str(moved["UID"]) == f"{keynote.uuid}@schedule.invalid"
    assert int(moved["SEQUENCE"]) == sequence + 1
    assert str(moved["DESCRIPTION"]).startswith(
        "Changed in v2 — Afternoon: Moved from 10:00 to 11:00"
    )
    assert cancelled["STATUS"] == "CANCELLED"
    assert str(cancelled["DESCRIPTION"]).startswith("Changed in v2 — Afternoon: Cancelled")


def test_our_own_feed_read_back_keeps_titles_and_abstracts(client, conference, published):
    keynote, panel = published
    panel.status = Session.Status.CANCELLED
    panel.save()
    Session.all_objects.filter(pk=keynote.pk).update(abstract="What comes next.")
    move_later(Session.all_objects.get(pk=keynote.pk))
    versions.publish(conference)
    feed = client.get(f"/{conference.slug}/schedule.ics").content

    report = import_schedule(conference_slug="copy", source=feed, dry_run=False)

    assert report.ok, report.rejected
    copied = {s.title: s for s in Session.objects.filter(conference__slug="copy")}
    assert set(copied) == {"Keynote", "Panel"}
    assert copied["Keynote"].abstract == "What comes next."
    assert copied["Panel"].is_cancelled


def test_a_board_move_waits_in_the_draft(client, conference, published, stage):
    keynote, _panel = published
    organiser(client)

    response = move(client, keynote, "2026-04-07T15:00", "2026-04-07T16:00", stage, version=1)

    assert response.status_code in (200, 302)
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10
    planned = Session.all_objects.with_draft().get(pk=keynote.pk)
    assert planned.start == dt.datetime(2026, 4, 7, 13, 0, tzinfo=dt.UTC)
    board = text(client.get(f"/admin/board/{conference.slug}/?day=2026-04-07"))
    assert "15:00" in board
    versions.publish(conference)
    assert Session.objects.get(pk=keynote.pk).start == dt.datetime(2026, 4, 7, 13, 0, tzinfo=dt.UTC)


def test_an_import_waits_in_the_draft_or_is_published_in_the_same_step(conference, published):
    keynote, _panel = published
    export = call_command_output(conference)
    moved = export.replace(b"DTSTART:20260407T080000Z", b"DTSTART:20260407T090000Z").replace(
        b"DTEND:20260407T090000Z", b"DTEND:20260407T100000Z", 1
    )

    report = import_schedule(conference_slug=conference.slug, source=moved, dry_run=False)
    assert report.ok, report.rejected
    assert report.version is None
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10
    assert Session.all_objects.get(pk=keynote.pk).draft is not None

    report = import_schedule(
        conference_slug=conference.slug, source=moved, dry_run=False, publish_as="From the CfP"
    )
    assert report.version.label == "v2 — From the CfP"
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10 + HOUR
    assert [c["kinds"] for c in report.version.changes] == [["moved"]]
    assert ScheduleVersion.objects.for_conference(conference).count() == 2


def call_command_output(conference):
    from schedule.formats import FORMATS

    sessions = Session.objects.for_conference(conference).select_related(
        "stage", "track", "session_type"
    )
    return FORMATS["ics"].write(conference, list(sessions), absolute_url=lambda p: f"https://x{p}")


def test_switching_to_publish_every_save_makes_the_draft_public(conference, published):
    keynote, _panel = published
    move_later(keynote)
    conference.publish_every_save = True
    conference.save()
    assert Session.objects.get(pk=keynote.pk).start == PARIS_10 + HOUR
    assert not versions.has_draft(conference)


def test_the_demo_is_served_with_its_first_version_published(db):
    call_command("load_demo", verbosity=0)
    version = ScheduleVersion.objects.get()
    assert version.label == "v1 — First programme"
    assert version.session_count == Session.objects.filter(conference=version.conference).count()
