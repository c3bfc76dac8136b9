"""The demo conference (Paris, 7–8 April 2026) read from around the world with ?tz=."""

import datetime as dt
import re
from collections import Counter
from html import unescape

import pytest

from schedule.models import Session
from tests.public.pages import (
    card_links,
    cards,
    day_tabs,
    local_day,
    local_range,
    printed_time,
    session_when,
    text,
    time_notice,
)

pytestmark = pytest.mark.django_db

SCHEDULE = "/pytorch-conference-europe-2026/schedule/"
NBSP = "\N{NO-BREAK SPACE}"
ZONES = [
    "Europe/Paris",
    "UTC",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "America/St_Johns",
]


def day_url(day):
    return f"{SCHEDULE}{day.isoformat()}/"


def tab_dates(response):
    return [day for day, _href in day_tabs(response)]


@pytest.fixture
def transformer_engine_talk(demo_conference):
    """14:30–14:55 CEST on 8 April: 12:30 UTC."""
    return Session.objects.get(
        conference=demo_conference, start=dt.datetime(2026, 4, 8, 12, 30, tzinfo=dt.UTC)
    )


@pytest.fixture
def gemma_keynote(demo_conference):
    """09:50–10:05 CEST on 8 April: 07:50 UTC."""
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


def test_day_page_lists_session_on_local_date_in_kiritimati(client, transformer_engine_talk):
    ninth = client.get(day_url(dt.date(2026, 4, 9)), {"tz": "Pacific/Kiritimati", "layout": "list"})
    eighth = client.get(
        day_url(dt.date(2026, 4, 8)), {"tz": "Pacific/Kiritimati", "layout": "list"}
    )

    assert ninth.status_code == 200
    assert "Thursday 9 April 2026 times in UTC+14" in text(ninth)
    assert printed_time(ninth, transformer_engine_talk) == "02:30–02:55"
    assert transformer_engine_talk.slug not in dict(cards(eighth))


def test_day_page_lists_the_gemma_keynote_on_the_evening_before_in_pago_pago(client, gemma_keynote):
    seventh = client.get(
        day_url(dt.date(2026, 4, 7)), {"tz": "Pacific/Pago_Pago", "layout": "list"}
    )
    eighth = client.get(day_url(dt.date(2026, 4, 8)), {"tz": "Pacific/Pago_Pago", "layout": "list"})

    assert "Tuesday 7 April 2026 times in SST" in text(seventh)
    assert dict(cards(seventh))[gemma_keynote.slug] == "20:50–21:05 · Master Stage"
    assert gemma_keynote.slug not in dict(cards(eighth))


@pytest.mark.parametrize(
    ("zone_name", "days"),
    [
        ("Europe/Paris", [dt.date(2026, 4, 7), dt.date(2026, 4, 8)]),
        # Registration opens at 07:30 CEST on 7 April, 19:30 at UTC+14.
        ("Pacific/Kiritimati", [dt.date(2026, 4, 7), dt.date(2026, 4, 8), dt.date(2026, 4, 9)]),
        # ... and at 18:30 on 6 April at UTC−11.
        ("Pacific/Pago_Pago", [dt.date(2026, 4, 6), dt.date(2026, 4, 7), dt.date(2026, 4, 8)]),
    ],
)
def test_day_tabs_are_the_local_dates_of_the_conference(client, demo_conference, zone_name, days):
    response = client.get(day_url(dt.date(2026, 4, 8)), {"tz": zone_name})

    assert tab_dates(response) == days


@pytest.mark.parametrize("zone_name", ZONES)
def test_day_tabs_list_every_local_date_with_a_session(client, demo_conference, zone_name):
    expected = sorted({local_day(session, zone_name) for session in demo_conference.sessions.all()})

    response = client.get(day_url(expected[0]), {"tz": zone_name, "layout": "list"})

    assert tab_dates(response) == expected


@pytest.mark.parametrize("zone_name", ZONES)
def test_every_session_is_listed_once_on_its_local_day_at_its_local_time(
    client, demo_conference, zone_name
):
    sessions = {session.slug: session for session in demo_conference.sessions.all()}
    days = sorted({local_day(session, zone_name) for session in sessions.values()})

    listed = {
        day: cards(client.get(day_url(day), {"tz": zone_name, "layout": "list"})) for day in days
    }

    slugs = Counter(slug for day_cards in listed.values() for slug, _when in day_cards)
    assert slugs == Counter(sessions.keys())
    for day, day_cards in listed.items():
        for slug, when in day_cards:
            session = sessions[slug]
            assert (day, when.split(" · ")[0]) == (
                local_day(session, zone_name),
                local_range(session, zone_name),
            ), slug


def test_day_tabs_keep_the_timezone_of_the_link(client, demo_conference, transformer_engine_talk):
    response = client.get(
        day_url(dt.date(2026, 4, 7)), {"tz": "Pacific/Kiritimati", "layout": "list"}
    )
    ninth = dict(day_tabs(response))[dt.date(2026, 4, 9)]

    followed = client.get(ninth)

    assert followed.status_code == 200
    assert printed_time(followed, transformer_engine_talk) == "02:30–02:55"


def test_session_crossing_local_midnight_is_marked_plus_one_day(client, demo_conference):
    response = client.get(
        day_url(dt.date(2026, 4, 7)), {"tz": "Pacific/Kiritimati", "layout": "list"}
    )

    # Registration and the expo run 07:30–18:00 and 07:30–18:35 CEST, from evening to morning here.
    listed = dict(cards(response))
    assert listed["registration-and-badge-pick-up-tuesday"] == "19:30–06:00 (+1 day) · Lobby"
    assert listed["community-expo"] == "19:30–06:35 (+1 day) · Open Platform"


def test_time_notice_says_times_are_in_the_conference_timezone_by_default(client, demo_conference):
    response = client.get(day_url(dt.date(2026, 4, 8)))

    assert time_notice(response) == (
        "Times are in Central European Summer Time (CEST, UTC+2), the conference's timezone."
    )


@pytest.mark.parametrize(
    ("zone_name", "notice"),
    [
        (
            "Asia/Kolkata",
            "Times are in India Standard Time (IST, UTC+5:30, Asia/Kolkata), "
            "not the conference's timezone.",
        ),
        (
            "America/St_Johns",
            "Times are in Newfoundland Daylight Time (NDT, UTC−2:30, America/St_Johns), "
            "not the conference's timezone.",
        ),
    ],
)
def test_time_notice_names_the_viewers_timezone(client, demo_conference, zone_name, notice):
    response = client.get(day_url(dt.date(2026, 4, 8)), {"tz": zone_name})

    assert time_notice(response) == notice


@pytest.mark.parametrize(
    ("zone_name", "notice"),
    [
        (
            "Asia/Kathmandu",
            "Times are in Nepal Time (UTC+5:45, Asia/Kathmandu), not the conference's timezone.",
        ),
        (
            "Pacific/Kiritimati",
            "Times are in Line Islands Time (UTC+14, Pacific/Kiritimati), "
            "not the conference's timezone.",
        ),
        ("UTC", "Times are in Coordinated Universal Time (UTC), not the conference's timezone."),
    ],
)
def test_time_notice_says_each_part_of_the_zone_once(client, demo_conference, zone_name, notice):
    response = client.get(day_url(dt.date(2026, 4, 8)), {"tz": zone_name})

    assert time_notice(response) == notice


def test_unknown_timezone_gets_a_400_naming_the_value(client, demo_conference):
    response = client.get(day_url(dt.date(2026, 4, 8)), {"tz": "Mars/Olympus"})

    assert response.status_code == 400
    assert (
        "“Mars/Olympus” is not a timezone we know. Timezones are IANA names such as "
        "Europe/Paris or Asia/Kolkata."
    ) in text(response)


def test_timezone_cookie_is_used_without_tz_in_the_link(client, gemma_keynote):
    client.cookies["tz"] = "Asia/Kolkata"

    response = client.get(day_url(dt.date(2026, 4, 8)), {"layout": "list"})

    assert printed_time(response, gemma_keynote) == "13:20–13:35"
    assert time_notice(response) == (
        "Times are in India Standard Time (IST, UTC+5:30, Asia/Kolkata), "
        "not the conference's timezone."
    )


def test_tz_in_the_link_overrides_the_cookie(client, gemma_keynote):
    client.cookies["tz"] = "Asia/Kolkata"

    response = client.get(
        day_url(dt.date(2026, 4, 8)), {"tz": "Pacific/Kiritimati", "layout": "list"}
    )

    assert printed_time(response, gemma_keynote) == "21:50–22:05"


def test_12_hour_clock_prints_am_and_pm(client, gemma_keynote):
    response = client.get(day_url(dt.date(2026, 4, 8)), {"clock": "12", "layout": "list"})

    assert printed_time(response, gemma_keynote) == f"9:50{NBSP}AM–10:05{NBSP}AM"
    assert f'<time datetime="2026-04-08T09:50:00+02:00">9:50{NBSP}AM</time>' in (
        response.content.decode()
    )


def test_12_hour_clock_follows_the_viewers_timezone(client, transformer_engine_talk):
    response = client.get(
        day_url(dt.date(2026, 4, 9)),
        {"tz": "Pacific/Kiritimati", "clock": "12", "layout": "list"},
    )

    assert printed_time(response, transformer_engine_talk) == f"2:30{NBSP}AM–2:55{NBSP}AM"


def test_session_links_on_a_day_page_keep_the_timezone_of_the_link(client, transformer_engine_talk):
    response = client.get(
        day_url(dt.date(2026, 4, 9)), {"tz": "Pacific/Kiritimati", "layout": "list"}
    )

    session_page = client.get(card_links(response)[transformer_engine_talk.slug])

    assert session_when(session_page) == "Thursday 9 April 2026, 02:30–02:55 UTC+14"


def test_session_page_links_back_to_its_local_day_in_the_timezone_of_the_link(
    client, transformer_engine_talk
):
    client.cookies["layout"] = "list"
    session_page = client.get(
        transformer_engine_talk.get_absolute_url(), {"tz": "Pacific/Kiritimati"}
    )
    assert session_when(session_page) == "Thursday 9 April 2026, 02:30–02:55 UTC+14"
    html = session_page.content.decode()
    breadcrumb = re.search(r'<p class="breadcrumb"><a href="([^"]+)"', html)

    day_page = client.get(unescape(breadcrumb.group(1)))

    assert day_page.status_code == 200, breadcrumb.group(1)
    assert printed_time(day_page, transformer_engine_talk) == "02:30–02:55"


def test_a_signed_in_choice_is_kept_on_the_profile_and_used_on_another_device(
    client, demo_conference
):
    from django.contrib.auth import get_user_model
    from django.test import Client

    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    client.force_login(ada)

    client.post(
        "/pytorch-conference-europe-2026/timezone/",
        {"tz": "Asia/Kolkata", "clock": "12", "next": "/pytorch-conference-europe-2026/schedule/"},
    )
    phone = Client()
    phone.force_login(ada)
    html = phone.get(
        "/pytorch-conference-europe-2026/schedule/2026-04-08/", {"layout": "list"}
    ).content.decode()

    ada.profile.refresh_from_db()
    assert (ada.profile.timezone, ada.profile.clock) == ("Asia/Kolkata", "12")
    assert "India Standard Time" in html
    assert "1:20\N{NO-BREAK SPACE}PM" in html  # the Gemma keynote, 09:50 CEST
