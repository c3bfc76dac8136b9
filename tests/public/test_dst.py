"""Days on which the clocks change: 23 and 25 hours long, shown without an hour out of place."""

import datetime as dt
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from conference.models import Conference
from conference.timezones import LocalClock, get_zone
from public.grid import STEP, build_grid
from tests.factories import ConferenceFactory, SessionFactory, StageFactory
from tests.public.pages import (
    cards,
    day_tabs,
    grid_cells,
    grid_ticks,
    local_day,
    local_range,
    text,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FIRST_ROW = 2  # the header takes row 1


def generate(slug, zone_name, start_date):
    call_command(
        "generate_conference",
        slug=slug,
        sessions=40,
        stages=2,
        days=3,
        speakers=10,
        timezone=zone_name,
        start_date=start_date,
        seed=3,
        verbosity=0,
    )
    return Conference.objects.get(slug=slug)


@pytest.fixture
def london_spring(db):
    """28–30 March 2026: the clocks go forward from 01:00 GMT to 02:00 BST on the 29th."""
    return generate("london-spring", "Europe/London", "2026-03-28")


@pytest.fixture
def new_york_spring(db):
    """7–9 March 2026: the clocks go forward from 02:00 EST to 03:00 EDT on the 8th."""
    return generate("new-york-spring", "America/New_York", "2026-03-07")


def day_page(client, conference, day, **params):
    return client.get(f"/{conference.slug}/schedule/{day.isoformat()}/", params)


def elapsed_rows(earlier, later):
    """Five-minute rows of real time between two instants."""
    return (later - earlier) // STEP


def assert_no_overlap_on_a_stage(placements):
    """[(row, span, column)]: rows of sessions in one column, span-all ones in every column."""
    columns = {column for _row, _span, column in placements if column is not None}
    for column in columns:
        rows = sorted(
            (row, row + span) for row, span, other in placements if other in (column, None)
        )
        for (_start, end), (next_start, _end) in pairwise(rows):
            assert end <= next_start, (column, rows)


@pytest.mark.parametrize(
    ("conference_fixture", "viewer"),
    [
        ("london_spring", None),
        ("london_spring", "America/New_York"),
        ("london_spring", "Asia/Kolkata"),
        ("new_york_spring", None),
        ("new_york_spring", "Europe/London"),
        ("new_york_spring", "Pacific/Kiritimati"),
    ],
)
def test_every_session_prints_its_true_local_time_on_its_local_day(
    client, request, conference_fixture, viewer
):
    conference = request.getfixturevalue(conference_fixture)
    zone_name = viewer or conference.timezone
    sessions = {session.slug: session for session in conference.sessions.all()}
    params = {"layout": "list", "clock": "24", **({"tz": viewer} if viewer else {})}
    first_day = min(local_day(session, zone_name) for session in sessions.values())
    first = day_page(client, conference, first_day, **params)

    listed = {
        day: cards(day_page(client, conference, day, **params)) for day, _href in day_tabs(first)
    }

    assert sorted(slug for day_cards in listed.values() for slug, _when in day_cards) == sorted(
        sessions
    )
    for day, day_cards in listed.items():
        for slug, when in day_cards:
            session = sessions[slug]
            assert (day, when.split(" · ")[0]) == (
                local_day(session, zone_name),
                local_range(session, zone_name),
            ), slug


@pytest.mark.parametrize(
    ("conference_fixture", "day"),
    [("london_spring", dt.date(2026, 3, 29)), ("new_york_spring", dt.date(2026, 3, 8))],
)
def test_grid_of_a_23_hour_day_puts_sessions_at_rows_of_real_elapsed_time(
    request, conference_fixture, day
):
    conference = request.getfixturevalue(conference_fixture)
    zone = get_zone(conference.timezone)
    sessions = list(conference.sessions.on_local_day(day, zone).select_related("session_type"))
    first = min(session.start for session in sessions)
    local_first = first.astimezone(ZoneInfo(conference.timezone))
    origin = first - dt.timedelta(minutes=local_first.minute % 30)

    grid = build_grid(sessions, LocalClock(zone))

    placements = {p.session.pk: p for _start, row in grid.rows for p in row}
    assert sorted(placements) == sorted(session.pk for session in sessions)
    for session in sessions:
        placement = placements[session.pk]
        assert (placement.row, placement.span) == (
            FIRST_ROW + elapsed_rows(origin, session.start),
            elapsed_rows(session.start, session.end),
        ), session.title
    assert_no_overlap_on_a_stage([(p.row, p.span, p.column) for p in placements.values()])


@pytest.mark.parametrize(
    ("conference_fixture", "day"),
    [("london_spring", dt.date(2026, 3, 29)), ("new_york_spring", dt.date(2026, 3, 8))],
)
def test_grid_page_of_a_23_hour_day_matches_real_elapsed_time(
    client, request, conference_fixture, day
):
    conference = request.getfixturevalue(conference_fixture)
    sessions = list(conference.sessions.on_local_day(day, get_zone(conference.timezone)))
    first = min(session.start for session in sessions)
    local_first = first.astimezone(ZoneInfo(conference.timezone))
    origin = first - dt.timedelta(minutes=local_first.minute % 30)

    cells = grid_cells(day_page(client, conference, day, layout="grid"))

    assert {slug: (row, span) for slug, (row, span, _column) in cells.items()} == {
        session.slug: (
            FIRST_ROW + elapsed_rows(origin, session.start),
            elapsed_rows(session.start, session.end),
        )
        for session in sessions
    }
    assert_no_overlap_on_a_stage(list(cells.values()))


@pytest.fixture
def night_of_the_spring_change(db):
    """Two sessions on one stage in London, either side of the hour the clocks skip."""
    conference = ConferenceFactory(
        slug="spring-night",
        timezone="Europe/London",
        start_date=dt.date(2026, 3, 29),
        end_date=dt.date(2026, 3, 29),
        locale="en-GB",
    )
    stage = StageFactory(conference=conference, name="Hall A")
    # 00:30 GMT for an hour (until 02:30 BST), then 03:00 BST for an hour.
    before = dt.datetime(2026, 3, 29, 0, 30, tzinfo=LONDON)
    after = dt.datetime(2026, 3, 29, 3, 0, tzinfo=LONDON)
    for title, start in (("Before the change", before), ("After the change", after)):
        SessionFactory(
            conference=conference,
            stage=stage,
            title=title,
            start=start,
            end=start.astimezone(dt.UTC) + dt.timedelta(hours=1),
        )
    return conference


@pytest.fixture
def night_of_the_autumn_change(db):
    """Two sessions on one stage in London, at 00:30 BST and at the second 01:30, in GMT."""
    conference = ConferenceFactory(
        slug="autumn-night",
        timezone="Europe/London",
        start_date=dt.date(2026, 10, 25),
        end_date=dt.date(2026, 10, 25),
        locale="en-GB",
    )
    stage = StageFactory(conference=conference, name="Hall A")
    before = dt.datetime(2026, 10, 25, 0, 30, tzinfo=LONDON)
    second_half_past_one = dt.datetime(2026, 10, 25, 1, 30, fold=1, tzinfo=LONDON)
    for title, start in (("Before the change", before), ("After the change", second_half_past_one)):
        SessionFactory(
            conference=conference,
            stage=stage,
            title=title,
            start=start,
            end=start.astimezone(dt.UTC) + dt.timedelta(hours=1),
        )
    return conference


def half_hour_labels(origin, row_count):
    """(row, 'HH:MM') every 30 minutes of real time from origin, read on London's clocks."""
    return [
        (FIRST_ROW + step, (origin + step * STEP).astimezone(LONDON).strftime("%H:%M"))
        for step in range(0, row_count, 6)
    ]


def test_sessions_either_side_of_the_skipped_hour_are_an_hour_and_a_half_apart(
    night_of_the_spring_change,
):
    sessions = list(night_of_the_spring_change.sessions.order_by("start"))

    grid = build_grid(sessions, LocalClock(get_zone("Europe/London")))

    placements = [p for _start, row in grid.rows for p in row]
    assert [(p.session.title, p.row, p.span) for p in placements] == [
        ("Before the change", 2, 12),
        ("After the change", 2 + 18, 12),
    ]
    origin = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    expected = half_hour_labels(origin, grid.row_count)
    assert [label for _row, label in expected] == ["00:30", "02:00", "02:30", "03:00", "03:30"]
    assert [(tick.row, tick.label) for tick in grid.ticks] == expected


def test_grid_page_of_the_spring_change_night_skips_the_missing_hour(
    client, night_of_the_spring_change
):
    response = day_page(client, night_of_the_spring_change, dt.date(2026, 3, 29), layout="grid")

    assert grid_cells(response) == {
        "before-the-change": (2, 12, 2),
        "after-the-change": (20, 12, 2),
    }
    assert grid_ticks(response) == [
        (2, "00:30"),
        (8, "02:00"),
        (14, "02:30"),
        (20, "03:00"),
        (26, "03:30"),
    ]


def test_list_page_of_the_spring_change_night_prints_wall_clock_times(
    client, night_of_the_spring_change
):
    response = day_page(client, night_of_the_spring_change, dt.date(2026, 3, 29), layout="list")

    assert cards(response) == [
        ("before-the-change", "00:30–02:30 · Hall A"),
        ("after-the-change", "03:00–04:00 · Hall A"),
    ]
    assert "Sunday 29 March 2026" in text(response)


def test_sessions_either_side_of_the_repeated_hour_are_two_hours_apart(
    night_of_the_autumn_change,
):
    sessions = list(night_of_the_autumn_change.sessions.order_by("start"))

    grid = build_grid(sessions, LocalClock(get_zone("Europe/London")))

    placements = [p for _start, row in grid.rows for p in row]
    assert [(p.session.title, p.row, p.span) for p in placements] == [
        ("Before the change", 2, 12),
        ("After the change", 2 + 24, 12),
    ]
    origin = dt.datetime(2026, 10, 24, 23, 30, tzinfo=dt.UTC)
    expected = half_hour_labels(origin, grid.row_count)
    assert [label for _row, label in expected] == [
        "00:30",
        "01:00",
        "01:30",
        "01:00",
        "01:30",
        "02:00",
    ]
    assert [(tick.row, tick.label) for tick in grid.ticks] == expected


def test_list_page_of_the_autumn_change_night_lists_both_sessions_on_the_25_hour_day(
    client, night_of_the_autumn_change
):
    response = day_page(client, night_of_the_autumn_change, dt.date(2026, 10, 25), layout="list")

    assert cards(response) == [
        ("before-the-change", "00:30–01:30 · Hall A"),
        ("after-the-change", "01:30–02:30 · Hall A"),
    ]
    assert [day for day, _href in day_tabs(response)] == [dt.date(2026, 10, 25)]
