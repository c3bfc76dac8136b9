import datetime as dt

import pytest
from django.core.cache import cache

from conference.models import SHARED_PAGES_GENERATION_KEY
from conference.timezones import LocalClock, get_zone
from schedule import versions
from schedule.models import ScheduleVersion, Session
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory

pytestmark = pytest.mark.django_db

NINE = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris


@pytest.fixture
def conference():
    return ConferenceFactory(slug="versioned", publish_every_save=False)


def listed(conference):
    return {session.title: session for session in Session.objects.for_conference(conference)}


def test_a_conference_that_publishes_every_save_shows_a_move_at_once():
    session = SessionFactory(conference=ConferenceFactory(slug="small"), start=NINE)
    session.start += dt.timedelta(hours=1)
    session.end += dt.timedelta(hours=1)
    session.save()
    assert Session.objects.get(pk=session.pk).start == NINE + dt.timedelta(hours=1)
    assert Session.objects.get(pk=session.pk).draft is None


def test_a_move_waits_in_the_draft_until_the_next_version_is_published(conference):
    session = SessionFactory(conference=conference, title="Keynote", start=NINE)
    versions.publish(conference, name="First programme")
    session = Session.all_objects.get(pk=session.pk)
    revision = session.revision

    session.start, session.end = NINE + dt.timedelta(hours=2), NINE + dt.timedelta(hours=3)
    session.save()

    public = listed(conference)["Keynote"]
    assert (public.start, public.revision) == (NINE, revision)
    planned = Session.all_objects.with_draft().get(pk=session.pk)
    assert planned.start == NINE + dt.timedelta(hours=2)
    assert session.start == NINE + dt.timedelta(hours=2)  # the saved instance shows the draft

    version = versions.publish(conference, name="Keynote later")

    public = listed(conference)["Keynote"]
    assert public.start == NINE + dt.timedelta(hours=2)
    assert public.revision == revision + 1
    assert public.draft is None
    assert (version.number, version.label) == (2, "v2 — Keynote later")
    [change] = version.changes
    assert change["kinds"] == ["moved"]
    assert change["before"]["start"] == NINE.isoformat()
    assert change["after"]["start"] == (NINE + dt.timedelta(hours=2)).isoformat()


def test_moving_a_session_back_where_the_public_sees_it_leaves_no_draft(conference):
    session = SessionFactory(conference=conference, start=NINE)
    versions.publish(conference)
    session = Session.all_objects.get(pk=session.pk)
    session.start += dt.timedelta(minutes=30)
    session.end += dt.timedelta(minutes=30)
    session.save()
    session.start -= dt.timedelta(minutes=30)
    session.end -= dt.timedelta(minutes=30)
    session.save()
    assert Session.all_objects.get(pk=session.pk).draft is None
    assert not versions.has_draft(conference)


def test_a_new_session_and_a_cancellation_stay_private_until_published(conference):
    kept = SessionFactory(conference=conference, title="Kept", start=NINE)
    versions.publish(conference)
    added = SessionFactory(conference=conference, title="Added", start=NINE)
    kept = Session.all_objects.get(pk=kept.pk)
    kept.status = Session.Status.CANCELLED
    kept.save()

    assert Session.all_objects.get(pk=added.pk).awaiting_publication
    assert set(listed(conference)) == {"Kept"}
    assert not listed(conference)["Kept"].is_cancelled
    pending = versions.draft_changes(conference)
    assert sorted(kind for change in pending for kind in change["kinds"]) == ["cancelled", "new"]

    version = versions.publish(conference)

    assert set(listed(conference)) == {"Kept", "Added"}
    assert listed(conference)["Kept"].is_cancelled
    assert sorted(kind for c in version.changes for kind in c["kinds"]) == ["cancelled", "new"]


def test_a_rename_waits_for_the_next_version_and_speakers_show_at_once(conference):
    session = SessionFactory(conference=conference, title="Old title", abstract="Old", start=NINE)
    versions.publish(conference)
    session = Session.all_objects.get(pk=session.pk)
    session.title = "New title"
    session.abstract = "New"
    session.save()
    session.speakers.add(SpeakerFactory(conference=conference, name="Ada"))

    assert set(listed(conference)) == {"Old title"}
    assert listed(conference)["Old title"].abstract == "Old"
    assert [s.speakers.get().name for s in Session.objects.for_conference(conference)] == ["Ada"]
    version = versions.publish(conference)
    assert set(listed(conference)) == {"New title"}
    assert listed(conference)["New title"].abstract == "New"
    [change] = version.changes
    assert change["kinds"] == ["renamed", "speakers"]
    assert change["before"]["title"] == "Old title"
    assert change["after"]["speakers"] == ["Ada"]


def test_a_room_change_and_a_removal_are_named(conference):
    first, second = StageFactory(conference=conference), StageFactory(conference=conference)
    moved = SessionFactory(conference=conference, title="Moved", stage=first, start=NINE)
    gone = SessionFactory(conference=conference, title="Gone", stage=first, start=NINE)
    versions.publish(conference)
    moved = Session.all_objects.get(pk=moved.pk)
    moved.stage = second
    moved.save()
    Session.all_objects.get(pk=gone.pk).delete()

    version = versions.publish(conference)
    kinds = {change["title"]: change["kinds"] for change in version.changes}
    assert kinds == {"Moved": ["room"], "Gone": ["removed"]}
    assert next(c for c in version.changes if c["title"] == "Moved")["after"]["stage"] == (
        second.name
    )


def test_versions_are_numbered_per_conference():
    one, two = ConferenceFactory(slug="one"), ConferenceFactory(slug="two")

    def publish_a_new_session():
        SessionFactory(conference=one, start=NINE)
        return versions.publish(one).number

    assert [publish_a_new_session() for _ in range(3)] == [1, 2, 3]
    assert versions.publish(two).number == 1
    assert versions.latest_number(one) == 3
    assert ScheduleVersion.objects.for_conference(one).count() == 3


def test_publishing_again_with_nothing_new_makes_no_empty_version(conference):
    """A second click on "Publish", sent before the page said the first one was done."""
    SessionFactory(conference=conference, start=NINE)
    first = versions.publish(conference, name="Programme")

    again = versions.publish(conference, name="Programme")

    assert again == first
    assert ScheduleVersion.objects.for_conference(conference).count() == 1


def test_a_preview_shows_the_draft_and_keeps_nothing(conference):
    session = SessionFactory(conference=conference, title="Keynote", start=NINE)
    versions.publish(conference)
    session = Session.all_objects.get(pk=session.pk)
    session.start += dt.timedelta(hours=1)
    session.end += dt.timedelta(hours=1)
    session.save()
    before = conference.schedule_version
    cache.set(SHARED_PAGES_GENERATION_KEY, "the site's shared pages")

    with versions.previewing(conference):
        assert listed(conference)["Keynote"].start == NINE + dt.timedelta(hours=1)
        assert conference.cache_key("anything") is None

    # The site's shared pages stay: the preview's writes were never made.
    assert cache.get(SHARED_PAGES_GENERATION_KEY) == "the site's shared pages"

    assert listed(conference)["Keynote"].start == NINE
    assert Session.all_objects.get(pk=session.pk).draft is not None
    conference.refresh_from_db()
    assert conference.schedule_version >= before
    assert conference.cache_key("anything") is not None
    assert versions.latest_number(conference) == 1


@pytest.mark.parametrize(
    ("zone", "hour24", "expected"),
    [
        ("Europe/Paris", True, "Moved from 09:00 to 11:30"),
        ("Asia/Kathmandu", True, "Moved from 12:45 to 15:15"),
        (
            "America/Los_Angeles",
            False,
            "Moved from 12:00\N{NO-BREAK SPACE}AM to 2:30\N{NO-BREAK SPACE}AM",
        ),
        ("Pacific/Auckland", True, "Moved from 19:00 to 21:30"),
    ],
)
def test_a_move_is_told_in_the_viewers_timezone(conference, zone, hour24, expected):
    session = SessionFactory(conference=conference, start=NINE)
    versions.publish(conference)
    session = Session.all_objects.get(pk=session.pk)
    session.start += dt.timedelta(hours=2, minutes=30)
    session.end += dt.timedelta(hours=2, minutes=30)
    session.save()
    [change] = versions.publish(conference).changes
    assert versions.change_notes(change, LocalClock(get_zone(zone), hour24)) == [expected]


def test_a_move_to_another_day_names_both_days(conference):
    session = SessionFactory(conference=conference, start=NINE)
    versions.publish(conference)
    session = Session.all_objects.get(pk=session.pk)
    session.start -= dt.timedelta(days=1)
    session.end -= dt.timedelta(days=1)
    session.save()
    [change] = versions.publish(conference).changes
    clock = LocalClock(get_zone("Europe/Paris"))
    assert versions.change_notes(change, clock) == ["Moved from Wed 8 Apr 09:00 to Tue 7 Apr 09:00"]


def test_a_save_from_a_copy_without_the_draft_keeps_the_draft(conference):
    session = SessionFactory(conference=conference, start=NINE)
    versions.publish(conference)
    planned = Session.all_objects.with_draft().get(pk=session.pk)
    planned.start += dt.timedelta(hours=1)
    planned.end += dt.timedelta(hours=1)
    planned.save()

    elsewhere = Session.all_objects.get(pk=session.pk)  # as the seats page loads it
    elsewhere.seat_limit = 40
    elsewhere.save()

    saved = Session.all_objects.with_draft().get(pk=session.pk)
    assert (saved.seat_limit, saved.start) == (40, NINE + dt.timedelta(hours=1))


def test_the_draft_is_read_in_as_many_queries_however_many_sessions_change_stage(conference):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = StageFactory(conference=conference), StageFactory(conference=conference)
    made = [SessionFactory(conference=conference, stage=first, start=NINE) for _ in range(6)]
    versions.publish(conference)

    def queries_with_moves(count):
        for session in Session.all_objects.filter(pk__in=[s.pk for s in made[:count]]):
            session.stage = second
            session.save()
        with CaptureQueriesContext(connection) as queries:
            snapshot = versions.draft_snapshot(conference)
        assert sum(s["stage"] == second.name for s in snapshot.values()) == count
        return len(queries)

    assert queries_with_moves(1) == queries_with_moves(5)
