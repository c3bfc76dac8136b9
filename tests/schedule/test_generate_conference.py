import datetime as dt
import io
from collections import Counter, defaultdict
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Prefetch
from hypothesis import given, settings
from hypothesis import strategies as st

from conference import timezones
from conference.models import Conference, SessionType, Track
from schedule.models import Session, SessionSpeaker

# Small enough to keep each test well under a second.
SMALL = {
    "sessions": 200,
    "stages": 20,
    "days": 2,
    "speakers": 120,
    "timezone": "Europe/Zurich",
    "seed": 7,
}


def generate(slug="demo", **options):
    call_command("generate_conference", slug=slug, stdout=io.StringIO(), **{**SMALL, **options})
    return Conference.objects.get(slug=slug)


def sessions_of(conference):
    return (
        Session.objects.for_conference(conference)
        .select_related("stage", "track", "session_type")
        .prefetch_related(
            Prefetch(
                "speaker_links",
                queryset=SessionSpeaker.objects.select_related("speaker").order_by("position"),
            )
        )
        .order_by("start", "stage__position", "slug")
    )


def content_of(conference, *, with_uuids=True):
    """Everything the generator decides, in a stable order."""
    sessions = [
        (
            session.title,
            session.slug,
            session.abstract,
            session.start,
            session.end,
            session.stage.slug,
            session.track.slug if session.track else None,
            session.session_type.slug,
            session.status,
            session.seat_limit,
            str(session.uuid) if with_uuids else None,
            tuple(link.speaker.slug for link in session.speaker_links.all()),
        )
        for session in sessions_of(conference)
    ]
    speakers = list(
        conference.speakers.order_by("slug").values_list("slug", "name", "role", "company", "bio")
    )
    stages = list(conference.stages.values_list("slug", "name", "capacity", "position"))
    about = (conference.name, conference.start_date, conference.end_date, conference.venue)
    return {"conference": about, "stages": stages, "speakers": speakers, "sessions": sessions}


def local_start(session, conference):
    return timezones.to_local(session.start, conference.zone)


def contrast_with_white(colour):
    """The WCAG contrast ratio of white text on a #rrggbb background."""

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[index : index + 2], 16)) for index in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


@pytest.mark.django_db
def test_generate_conference_creates_exactly_the_sizes_asked_for():
    conference = generate(
        "big", sessions=2000, stages=20, days=3, speakers=1500, timezone="America/New_York", seed=1
    )

    local_days = {local_start(session, conference).date() for session in conference.sessions.all()}
    assert conference.sessions.count() == 2000
    assert conference.speakers.count() == 1500
    assert conference.stages.count() == 20
    assert (conference.start_date, conference.end_date) == (
        dt.date(2026, 6, 2),
        dt.date(2026, 6, 4),
    )
    assert local_days == set(conference.days)
    assert sorted(conference.stages.values_list("position", flat=True)) == list(range(20))


@pytest.mark.django_db
def test_generate_conference_starts_on_the_start_date_given():
    conference = generate(days=3, start_date="2026-10-30")

    local_days = {local_start(session, conference).date() for session in conference.sessions.all()}
    assert conference.days == [dt.date(2026, 10, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 1)]
    assert local_days == set(conference.days)


@pytest.mark.django_db
def test_generate_conference_gives_the_same_conference_for_the_same_seed():
    first = content_of(generate())

    second = content_of(generate(replace=True))

    assert second == first


@pytest.mark.django_db
def test_generate_conference_gives_another_conference_for_another_seed():
    first = content_of(generate("first", seed=7))

    second = content_of(generate("second", seed=8))

    assert second["sessions"] != first["sessions"]
    assert second["speakers"] != first["speakers"]


@pytest.mark.django_db
def test_generate_conference_from_one_seed_into_two_slugs_differs_only_in_uuids():
    first = generate("first")
    second = generate("second")

    first_uuids = set(first.sessions.values_list("uuid", flat=True))
    second_uuids = set(second.sessions.values_list("uuid", flat=True))
    assert content_of(second, with_uuids=False) == content_of(first, with_uuids=False)
    assert not first_uuids & second_uuids


@pytest.mark.django_db
def test_generated_sessions_never_overlap_on_a_stage():
    conference = generate()

    by_stage = defaultdict(list)
    for session in conference.sessions.order_by("start"):
        by_stage[session.stage_id].append(session)
    assert len(by_stage) == 20
    for sessions in by_stage.values():
        for earlier, later in pairwise(sessions):
            assert earlier.end <= later.start


@pytest.mark.django_db
def test_generated_days_have_breaks_and_lunch_across_all_stages():
    conference = generate()
    first_stage = conference.stages.get(position=0)

    pauses = conference.sessions.filter(session_type__spans_all_stages=True)
    for day in conference.days:
        pauses_of_day = [p for p in pauses if local_start(p, conference).date() == day]
        assert sorted(p.session_type.name for p in pauses_of_day) == ["Break", "Break", "Lunch"]
        for pause in pauses_of_day:
            assert pause.stage == first_stage
            assert list(conference.sessions.overlapping(pause.start, pause.end)) == [pause]


@pytest.mark.django_db
def test_generated_pauses_are_at_the_same_local_time_each_day():
    conference = generate(days=3)

    pause_times = Counter(
        (pause.title, local_start(pause, conference).time())
        for pause in conference.sessions.filter(session_type__spans_all_stages=True)
    )
    assert pause_times == {
        ("Morning coffee break", dt.time(10, 30)): 3,
        ("Lunch", dt.time(12, 30)): 3,
        ("Afternoon coffee break", dt.time(15, 30)): 3,
    }


@pytest.mark.django_db
def test_generated_keynotes_open_each_day_on_the_first_stage():
    conference = generate()

    keynotes = conference.sessions.filter(session_type__name="Keynote").select_related("stage")
    assert [local_start(keynote, conference) for keynote in keynotes] == [
        dt.datetime.combine(day, dt.time(8), tzinfo=conference.zone) for day in conference.days
    ]
    assert {keynote.stage.position for keynote in keynotes} == {0}


@pytest.mark.django_db
def test_generated_speakers_share_sessions():
    conference = generate()

    sessions_per_speaker = Counter(
        dict(conference.speakers.annotate(n=Count("sessions")).values_list("slug", "n"))
    )
    speakers_per_session = Counter(
        conference.sessions.annotate(n=Count("speakers")).values_list("n", flat=True)
    )
    assert min(sessions_per_speaker.values()) >= 1
    assert max(sessions_per_speaker.values()) >= 3
    assert {2, 3, 4} <= set(speakers_per_session)


@pytest.mark.django_db
def test_generated_speakers_are_never_in_two_places_at_once():
    conference = generate()

    by_speaker = defaultdict(list)
    for link in SessionSpeaker.objects.filter(session__conference=conference).select_related(
        "session"
    ):
        by_speaker[link.speaker_id].append(link.session)
    for sessions in by_speaker.values():
        sessions.sort(key=lambda session: session.start)
        for earlier, later in pairwise(sessions):
            assert earlier.end <= later.start


@pytest.mark.django_db
def test_generated_titles_and_names_include_unicode_and_long_titles():
    conference = generate()

    titles = list(conference.sessions.values_list("title", flat=True))
    slugs = list(conference.sessions.values_list("slug", flat=True))
    names = list(conference.speakers.values_list("name", flat=True))
    assert any(not title.isascii() for title in titles)
    assert any(len(title) > 150 for title in titles)
    assert max(len(title) for title in titles) <= 300
    assert any(not name.isascii() for name in names)
    assert len(set(slugs)) == len(slugs)
    assert all(slug.isascii() and len(slug) <= 200 for slug in slugs)


@pytest.mark.django_db
def test_generated_speakers_have_roles_companies_and_bios_of_varying_length():
    conference = generate()

    speakers = list(conference.speakers.all())
    assert any(speaker.role and speaker.company for speaker in speakers)
    assert any(len(speaker.bio) > 400 for speaker in speakers)
    assert any(0 < len(speaker.bio) < 200 for speaker in speakers)


@pytest.mark.django_db
def test_generated_sessions_have_one_percent_cancelled_and_three_percent_seat_limits():
    conference = generate()

    assert conference.sessions.filter(status=Session.Status.CANCELLED).count() == 2
    assert conference.sessions.filter(seat_limit__isnull=False).count() == 6


@pytest.mark.django_db
def test_generated_sessions_last_the_usual_lengths():
    conference = generate()

    minutes = {
        session.duration // dt.timedelta(minutes=1)
        for session in conference.sessions.filter(session_type__spans_all_stages=False)
    }
    assert minutes == {10, 25, 40, 55, 90}


@pytest.mark.django_db
def test_generated_colours_are_dark_enough_for_white_text():
    generate()

    colours = [
        *Track.objects.values_list("colour", flat=True),
        *SessionType.objects.values_list("colour", flat=True),
    ]
    assert len(colours) == 13
    for colour in colours:
        assert contrast_with_white(colour) >= 4.5, colour


@pytest.mark.django_db
@settings(max_examples=15, deadline=None)
@given(
    zone_name=st.sampled_from(timezones.timezone_names()),
    start_date=st.dates(dt.date(2025, 1, 1), dt.date(2030, 12, 31)),
)
def test_generated_sessions_start_between_8_and_20_local_time(zone_name, start_date):
    conference = generate(
        sessions=40,
        stages=3,
        days=3,
        speakers=10,
        timezone=zone_name,
        start_date=start_date.isoformat(),
        replace=True,
    )

    local_starts = [local_start(session, conference) for session in conference.sessions.all()]
    assert all(dt.time(8) <= start.time() <= dt.time(20) for start in local_starts)
    assert {start.date() for start in local_starts} == set(conference.days)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("zone_name", "locale", "venue"),
    [
        ("America/New_York", "en-US", "New York Convention Center"),
        ("Europe/Zurich", "en-GB", "Zurich Convention Centre"),
    ],
)
def test_generated_conference_speaks_the_locale_of_its_timezone(zone_name, locale, venue):
    conference = generate(timezone=zone_name)

    assert (conference.timezone, conference.locale, conference.venue) == (zone_name, locale, venue)


@pytest.mark.django_db
def test_generate_conference_reports_what_it_created():
    stdout = io.StringIO()

    call_command("generate_conference", slug="demo", stdout=stdout, **SMALL)

    assert stdout.getvalue().startswith(
        "Created 200 sessions, 120 speakers and 20 stages for “demo” in "
    )


@pytest.mark.django_db
def test_generate_conference_refuses_an_unknown_timezone():
    with pytest.raises(CommandError, match=r"“Mars/Olympus” is not a timezone we know\."):
        generate(timezone="Mars/Olympus")

    assert not Conference.objects.exists()


@pytest.mark.django_db
def test_generate_conference_refuses_an_existing_slug_without_replace():
    generate()

    with pytest.raises(CommandError, match="add --replace to replace it"):
        generate(seed=8)

    assert Conference.objects.count() == 1


@pytest.mark.django_db
def test_generate_conference_replaces_an_existing_conference():
    old = generate(sessions=100, speakers=50)

    new = generate(replace=True)

    assert list(Conference.objects.values_list("pk", flat=True)) == [new.pk]
    assert not Session.objects.filter(conference_id=old.pk).exists()
    assert (new.sessions.count(), new.speakers.count()) == (200, 120)


@pytest.mark.django_db
def test_generate_conference_refuses_more_sessions_than_the_days_hold():
    with pytest.raises(CommandError, match="10000 sessions do not fit in 2 days on 20 stages"):
        generate(sessions=10_000)

    assert not Conference.objects.exists()
