import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conference import timezones
from conference.timezones import (
    AmbiguousLocalTime,
    LocalClock,
    NonexistentLocalTime,
    UnknownTimezone,
    abbreviation,
    day_bounds,
    day_start,
    get_zone,
    local_date,
    long_name,
    offset_label,
    timezone_choices,
    to_utc,
)
from schedule.models import Session

UTC = dt.UTC
NBSP = "\N{NO-BREAK SPACE}"
MINUS = "\N{MINUS SIGN}"
# Mid-conference: 8 April 2026 at noon UTC, summer time in Europe and North America.
APRIL = dt.datetime(2026, 4, 8, 12, 0, tzinfo=UTC)
FIRST_INSTANT = dt.datetime(2000, 1, 1, tzinfo=UTC)
LAST_INSTANT = dt.datetime(2037, 12, 31, tzinfo=UTC)
ONE_MICROSECOND = dt.timedelta(microseconds=1)


def utc(*args):
    return dt.datetime(*args, tzinfo=UTC)


# to_utc


@pytest.mark.parametrize(
    ("zone_name", "wall_clock", "instant"),
    [
        ("Europe/Paris", dt.datetime(2026, 4, 8, 9, 50), utc(2026, 4, 8, 7, 50)),
        ("Europe/London", dt.datetime(2026, 3, 29, 0, 59), utc(2026, 3, 29, 0, 59)),
        ("Europe/London", dt.datetime(2026, 3, 29, 2, 0), utc(2026, 3, 29, 1, 0)),
        ("Europe/London", dt.datetime(2026, 10, 25, 2, 0), utc(2026, 10, 25, 2, 0)),
        ("America/New_York", dt.datetime(2026, 3, 8, 3, 0), utc(2026, 3, 8, 7, 0)),
        ("Asia/Kathmandu", dt.datetime(2026, 4, 8, 13, 35), utc(2026, 4, 8, 7, 50)),
        ("America/St_Johns", dt.datetime(2026, 4, 8, 5, 20), utc(2026, 4, 8, 7, 50)),
    ],
)
def test_to_utc_names_the_instant_of_a_wall_clock_time(zone_name, wall_clock, instant):
    assert to_utc(wall_clock, get_zone(zone_name)) == instant


@pytest.mark.parametrize(
    ("zone_name", "wall_clock"),
    [
        ("Europe/London", dt.datetime(2026, 3, 29, 1, 30)),
        ("America/New_York", dt.datetime(2026, 3, 8, 2, 30)),
    ],
)
def test_to_utc_refuses_a_time_the_clocks_skip(zone_name, wall_clock):
    with pytest.raises(NonexistentLocalTime) as error:
        to_utc(wall_clock, get_zone(zone_name))

    assert str(error.value) == (
        f"{wall_clock:%Y-%m-%d %H:%M} does not exist in {zone_name}: the clocks skip it for "
        "daylight saving time. Enter a time before or after the change."
    )


@pytest.mark.parametrize(
    ("zone_name", "wall_clock"),
    [
        ("Europe/London", dt.datetime(2026, 10, 25, 1, 30)),
        ("America/New_York", dt.datetime(2026, 11, 1, 1, 30)),
    ],
)
def test_to_utc_refuses_a_time_that_happens_twice(zone_name, wall_clock):
    with pytest.raises(AmbiguousLocalTime) as error:
        to_utc(wall_clock, get_zone(zone_name))

    assert str(error.value) == (
        f"{wall_clock:%Y-%m-%d %H:%M} happens twice in {zone_name}, when the clocks go back for "
        "the end of daylight saving time. Enter a time before or after the change."
    )


# day_bounds


@pytest.mark.parametrize(
    ("zone_name", "day", "start", "end"),
    [
        # The clocks go forward at 01:00 GMT: a 23-hour day.
        ("Europe/London", dt.date(2026, 3, 29), utc(2026, 3, 29, 0), utc(2026, 3, 29, 23)),
        # The clocks go back at 02:00 BST: a 25-hour day.
        ("Europe/London", dt.date(2026, 10, 25), utc(2026, 10, 24, 23), utc(2026, 10, 26, 0)),
        ("Europe/London", dt.date(2026, 3, 28), utc(2026, 3, 28, 0), utc(2026, 3, 29, 0)),
        ("Europe/London", dt.date(2026, 3, 30), utc(2026, 3, 29, 23), utc(2026, 3, 30, 23)),
        ("America/New_York", dt.date(2026, 3, 8), utc(2026, 3, 8, 5), utc(2026, 3, 9, 4)),
        ("America/New_York", dt.date(2026, 11, 1), utc(2026, 11, 1, 4), utc(2026, 11, 2, 5)),
        ("Europe/Paris", dt.date(2026, 4, 8), utc(2026, 4, 7, 22), utc(2026, 4, 8, 22)),
        ("Pacific/Kiritimati", dt.date(2026, 4, 9), utc(2026, 4, 8, 10), utc(2026, 4, 9, 10)),
        ("Asia/Kathmandu", dt.date(2026, 4, 8), utc(2026, 4, 7, 18, 15), utc(2026, 4, 8, 18, 15)),
        # Midnight happens twice when Cuba goes back from 01:00 to 00:00: the day starts
        # at the first midnight and lasts 25 hours.
        ("America/Havana", dt.date(2026, 11, 1), utc(2026, 11, 1, 4), utc(2026, 11, 2, 5)),
    ],
)
def test_day_bounds_are_the_local_day_in_utc(zone_name, day, start, end):
    assert day_bounds(day, get_zone(zone_name)) == (start, end)


@pytest.mark.parametrize(
    ("zone_name", "day", "hours"),
    [
        ("Europe/London", dt.date(2026, 3, 29), 23),
        ("Europe/London", dt.date(2026, 10, 25), 25),
        ("Europe/London", dt.date(2026, 6, 1), 24),
        ("America/New_York", dt.date(2026, 3, 8), 23),
        ("America/New_York", dt.date(2026, 11, 1), 25),
        ("Asia/Kolkata", dt.date(2026, 3, 29), 24),
        ("UTC", dt.date(2026, 3, 29), 24),
    ],
)
def test_day_bounds_last_23_24_or_25_hours(zone_name, day, hours):
    start, end = day_bounds(day, get_zone(zone_name))

    assert end - start == dt.timedelta(hours=hours)


def dates_whose_midnight_is_skipped(year):
    """(zone, date) of every local midnight of a year that a DST change skips, per zoneinfo."""
    found = []
    for name in timezones.timezone_names():
        zone = ZoneInfo(name)
        day = dt.date(year, 1, 1)
        while day.year == year:
            midnight = dt.datetime.combine(day, dt.time())
            seen = midnight.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            if seen.replace(tzinfo=None) != midnight:
                found.append((name, day))
            day += dt.timedelta(days=1)
    return found


def test_a_day_whose_midnight_is_skipped_starts_at_its_first_instant():
    skipped = dates_whose_midnight_is_skipped(2026)

    # Chile, Cuba, Lebanon and the Azores move their clocks from 00:00 to 01:00.
    assert {
        ("America/Santiago", dt.date(2026, 9, 6)),
        ("America/Havana", dt.date(2026, 3, 8)),
        ("Asia/Beirut", dt.date(2026, 3, 29)),
        ("Atlantic/Azores", dt.date(2026, 3, 29)),
    } <= set(skipped)
    for name, day in skipped:
        zone = get_zone(name)
        start = day_start(day, zone)
        assert local_date(start, zone) == day, name
        assert local_date(start - ONE_MICROSECOND, zone) == day - dt.timedelta(days=1), name


@pytest.mark.parametrize(
    ("zone_name", "day", "start", "local_start"),
    [
        ("America/Santiago", dt.date(2026, 9, 6), utc(2026, 9, 6, 4), dt.datetime(2026, 9, 6, 1)),
        ("America/Havana", dt.date(2026, 3, 8), utc(2026, 3, 8, 5), dt.datetime(2026, 3, 8, 1)),
        ("Asia/Beirut", dt.date(2026, 3, 29), utc(2026, 3, 28, 22), dt.datetime(2026, 3, 29, 1)),
        ("Atlantic/Azores", dt.date(2026, 3, 29), utc(2026, 3, 29, 1), dt.datetime(2026, 3, 29, 1)),
    ],
)
def test_a_day_whose_midnight_is_skipped_starts_at_one_in_the_morning(
    zone_name, day, start, local_start
):
    zone = get_zone(zone_name)
    with pytest.raises(NonexistentLocalTime):
        to_utc(dt.datetime.combine(day, dt.time()), zone)

    assert day_start(day, zone) == start
    assert timezones.to_local(start, zone).replace(tzinfo=None) == local_start
    assert day_bounds(day, zone)[1] - start == dt.timedelta(hours=23)


def test_the_day_samoa_skipped_has_no_instants():
    # Samoa crossed the date line at the end of 29 December 2011: 30 December never happened.
    apia = get_zone("Pacific/Apia")

    start, end = day_bounds(dt.date(2011, 12, 30), apia)

    assert start == end == utc(2011, 12, 30, 10)
    assert local_date(start - ONE_MICROSECOND, apia) == dt.date(2011, 12, 29)
    assert local_date(start, apia) == dt.date(2011, 12, 31)


@st.composite
def zones_and_instants(draw):
    """A zone and an instant in 2000–2037: anywhere, or within two seconds of a local midnight."""
    zone = get_zone(draw(st.sampled_from(timezones.timezone_names())))
    if draw(st.booleans()):
        instant = draw(
            st.datetimes(
                FIRST_INSTANT.replace(tzinfo=None),
                LAST_INSTANT.replace(tzinfo=None),
                timezones=st.just(UTC),
            )
        )
    else:
        day = draw(st.dates(FIRST_INSTANT.date(), LAST_INSTANT.date()))
        nudge = dt.timedelta(microseconds=draw(st.integers(-2_000_000, 2_000_000)))
        instant = day_start(day, zone) + nudge
    return zone, instant


@settings(max_examples=300, deadline=None)
@given(zone_and_instant=zones_and_instants(), days_away=st.integers(-2, 2))
def test_an_instant_is_in_the_bounds_of_a_day_exactly_when_it_falls_on_that_local_date(
    zone_and_instant, days_away
):
    zone, instant = zone_and_instant
    day = instant.astimezone(zone).date() + dt.timedelta(days=days_away)

    start, end = day_bounds(day, zone)

    assert (start <= instant < end) == (local_date(instant, zone) == day)


@settings(max_examples=300, deadline=None)
@given(zone_and_instant=zones_and_instants())
def test_every_instant_falls_in_exactly_one_local_day(zone_and_instant):
    zone, instant = zone_and_instant
    # Every offset is within a day of UTC, so the local date is within two of the UTC date.
    utc_date = instant.astimezone(UTC).date()
    around = [utc_date + dt.timedelta(days=offset) for offset in range(-2, 3)]

    holding = [
        day for day in around if day_bounds(day, zone)[0] <= instant < day_bounds(day, zone)[1]
    ]

    assert holding == [instant.astimezone(zone).date()]


@pytest.fixture
def london_over_the_spring_change(db):
    """Sessions from 28 to 30 March 2026, in London, across the night the clocks go forward."""
    call_command(
        "generate_conference",
        slug="london",
        sessions=60,
        stages=3,
        days=3,
        speakers=10,
        timezone="Europe/London",
        start_date="2026-03-28",
        seed=5,
        verbosity=0,
    )
    return Session.objects.filter(conference__slug="london")


# The fixture is only read, so the examples can share it.
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(zone_name=st.sampled_from(timezones.timezone_names()))
def test_local_days_share_out_every_session_of_a_conference_once(
    london_over_the_spring_change, zone_name
):
    sessions = london_over_the_spring_change
    zone = get_zone(zone_name)
    local_days = {session.start.astimezone(zone).date() for session in sessions}

    listed = [
        pk
        for day in local_days
        for pk in sessions.on_local_day(day, zone).values_list("pk", flat=True)
    ]

    assert sorted(listed) == sorted(sessions.values_list("pk", flat=True))


# LocalClock


def test_local_clock_reads_an_instant_in_its_timezone_in_24_hours():
    clock = LocalClock(get_zone("Pacific/Kiritimati"))

    assert (clock.time(utc(2026, 4, 8, 12, 30)), clock.date(utc(2026, 4, 8, 12, 30))) == (
        "02:30",
        dt.date(2026, 4, 9),
    )


@pytest.mark.parametrize(
    ("instant", "text"),
    [
        (utc(2026, 4, 7, 22, 5), f"12:05{NBSP}AM"),
        (utc(2026, 4, 8, 7, 50), f"9:50{NBSP}AM"),
        (utc(2026, 4, 8, 10, 0), f"12:00{NBSP}PM"),
        (utc(2026, 4, 8, 12, 30), f"2:30{NBSP}PM"),
        (utc(2026, 4, 8, 21, 59), f"11:59{NBSP}PM"),
    ],
)
def test_local_clock_reads_a_12_hour_clock(instant, text):
    assert LocalClock(get_zone("Europe/Paris"), hour24=False).time(instant) == text


@pytest.mark.parametrize(
    ("start", "end", "hour24", "text"),
    [
        (utc(2026, 4, 8, 7, 50), utc(2026, 4, 8, 8, 5), True, "09:50–10:05"),
        (utc(2026, 4, 8, 21, 30), utc(2026, 4, 8, 22, 30), True, "23:30–00:30 (+1 day)"),
        (
            utc(2026, 4, 8, 21, 30),
            utc(2026, 4, 8, 22, 30),
            False,
            f"11:30{NBSP}PM–12:30{NBSP}AM (+1 day)",
        ),
        (utc(2026, 4, 7, 20, 0), utc(2026, 4, 9, 0, 0), True, "22:00–02:00 (+2 days)"),
        # Ending at midnight is ending that day, not the next.
        (utc(2026, 4, 8, 21, 0), utc(2026, 4, 8, 22, 0), True, "23:00–00:00"),
    ],
)
def test_local_clock_range_marks_an_end_on_a_later_local_date(start, end, hour24, text):
    assert LocalClock(get_zone("Europe/Paris"), hour24=hour24).range(start, end) == text


def test_local_clock_range_reads_the_wall_clock_across_the_spring_change():
    # One hour of real time, from 00:30 GMT to 02:30 BST.
    clock = LocalClock(get_zone("Europe/London"))

    assert clock.range(utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 30)) == "00:30–02:30"


def test_local_clock_range_in_kiritimati_runs_from_evening_to_next_morning():
    # Registration runs 07:30–18:00 CEST on 7 April: 19:30 to 06:00 the next day at UTC+14.
    clock = LocalClock(get_zone("Pacific/Kiritimati"))

    assert clock.range(utc(2026, 4, 7, 5, 30), utc(2026, 4, 7, 16, 0)) == "19:30–06:00 (+1 day)"


# Labels


@pytest.mark.parametrize(
    ("offset", "label"),
    [
        (dt.timedelta(0), "UTC"),
        (dt.timedelta(hours=2), "UTC+2"),
        (dt.timedelta(hours=5, minutes=30), "UTC+5:30"),
        (dt.timedelta(hours=5, minutes=45), "UTC+5:45"),
        (dt.timedelta(hours=14), "UTC+14"),
        (dt.timedelta(hours=-11), f"UTC{MINUS}11"),
        (dt.timedelta(hours=-2, minutes=-30), f"UTC{MINUS}2:30"),
        (dt.timedelta(hours=-9, minutes=-30), f"UTC{MINUS}9:30"),
    ],
)
def test_offset_label_writes_hours_minutes_and_a_true_minus_sign(offset, label):
    assert offset_label(offset) == label


@pytest.mark.parametrize(
    ("zone_name", "instant", "text"),
    [
        ("Europe/Paris", APRIL, "CEST"),
        ("Europe/Paris", utc(2026, 1, 15, 12), "CET"),
        ("Asia/Kolkata", APRIL, "IST"),
        ("America/St_Johns", APRIL, "NDT"),
        ("Pacific/Pago_Pago", APRIL, "SST"),
        ("UTC", APRIL, "UTC"),
        # tzdata has no letters for these: the offset stands in.
        ("Asia/Kathmandu", APRIL, "UTC+5:45"),
        ("Pacific/Kiritimati", APRIL, "UTC+14"),
        ("America/Sao_Paulo", APRIL, f"UTC{MINUS}3"),
    ],
)
def test_abbreviation_is_the_zones_letters_or_its_offset(zone_name, instant, text):
    zone = get_zone(zone_name)

    assert abbreviation(instant, zone) == text
    assert LocalClock(zone).abbreviation(instant) == text


@pytest.mark.parametrize(
    ("zone_name", "instant", "name"),
    [
        ("Europe/Paris", APRIL, "Central European Summer Time"),
        ("Europe/Paris", utc(2026, 1, 15, 12), "Central European Standard Time"),
        ("America/St_Johns", APRIL, "Newfoundland Daylight Time"),
        ("Pacific/Kiritimati", APRIL, "Line Islands Time"),
        # CLDR files these under their older names, Asia/Calcutta and Asia/Katmandu.
        ("Asia/Kolkata", APRIL, "India Standard Time"),
        ("Asia/Kathmandu", APRIL, "Nepal Time"),
        # No name in CLDR: the IANA name, never "GMT-11".
        ("Etc/GMT+11", APRIL, "Etc/GMT+11"),
    ],
)
def test_long_name_is_the_name_people_call_the_zone_by(zone_name, instant, name):
    assert long_name(instant, get_zone(zone_name)) == name


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "", "Europe/Pariss", "../../etc/passwd", "Europe/Paris\x00", None]
)
def test_get_zone_rejects_what_is_not_an_iana_name(name):
    with pytest.raises(UnknownTimezone) as error:
        get_zone(name)

    assert error.value.name == name


def test_unknown_timezone_names_the_value_in_its_message():
    with pytest.raises(UnknownTimezone) as error:
        get_zone("Mars/Olympus")

    assert str(error.value) == "“Mars/Olympus” is not a timezone we know."


def test_timezone_choices_offer_every_zone_once_with_its_offset_at_the_time():
    choices = timezone_choices(APRIL)

    labels = dict(option for _region, options in choices for option in options)
    assert sorted(labels) == sorted(timezones.timezone_names())
    assert labels["Asia/Kathmandu"] == "Kathmandu (UTC+5:45)"
    assert labels["America/St_Johns"] == f"St Johns (UTC{MINUS}2:30)"
    assert labels["America/Argentina/Buenos_Aires"] == f"Argentina / Buenos Aires (UTC{MINUS}3)"
