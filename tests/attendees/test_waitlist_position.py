""" "You are 3rd on the waitlist": the place in the seat box (session page, schedule, agenda), in
the order seats are given, for every waitlisted session of a page in the query it already makes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.text import slugify

from attendees.seats import (
    change_seat_limit,
    join_waitlist,
    leave_waitlist,
    reserve_seat,
    waitlist_place_label,
)
from tests.attendees.conftest import NINE, make_attendee
from tests.attendees.test_seat_views import seat_boxes
from tests.factories import SessionFactory
from tests.public.test_day import text

pytestmark = pytest.mark.django_db


def full_session(conference, title, start, seats=1):
    session = SessionFactory(
        conference=conference,
        title=title,
        start=start,
        end=start + dt.timedelta(minutes=30),
        seat_limit=seats,
    )
    for n in range(seats):
        reserve_seat(
            session=session, user=make_attendee(conference, f"{slugify(title)}{n}@example.org")
        )
    return session


def waiters(conference, session, names):
    people = [make_attendee(conference, f"{name}@example.org") for name in names]
    for person in people:
        join_waitlist(session=session, user=person)
    return people


def test_places_read_as_english_ordinals():
    places = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111]

    with translation.override("en"):
        labels = [waitlist_place_label(place) for place in places]

    assert [label.split()[2] for label in labels] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
    ]  # fmt: skip
    assert labels[2] == "You are 3rd on the waitlist."


def test_session_page_says_my_place_and_it_moves_up_when_someone_ahead_leaves(client, conference):
    session = full_session(conference, "Triton", NINE)
    ada, _bob, cy = waiters(conference, session, ["ada", "bob", "cy"])
    client.force_login(cy)

    before = seat_boxes(client.get(session.get_absolute_url()))[session.pk]
    leave_waitlist(session=session, user=ada)
    after = seat_boxes(client.get(session.get_absolute_url()))[session.pk]

    assert before == "Full — join the waitlist You are 3rd on the waitlist. Leave waitlist : Triton"
    assert after == "Full — join the waitlist You are 2nd on the waitlist. Leave waitlist : Triton"


def test_people_moved_back_by_a_lower_limit_are_ahead_of_those_who_waited(client, conference):
    session = full_session(conference, "Triton", NINE, seats=3)
    (dee,) = waiters(conference, session, ["dee"])
    change_seat_limit(session=session, new_limit=1, confirmed=True)
    client.force_login(dee)

    box = seat_boxes(client.get(session.get_absolute_url()))[session.pk]

    assert box == "Full — join the waitlist You are 3rd on the waitlist. Leave waitlist : Triton"


def agenda_page(client, conference):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/{conference.slug}/agenda/")
    return response, len(queries)


def test_agenda_lists_the_sessions_i_wait_for_with_my_place_in_a_fixed_number_of_queries(
    client, conference
):
    sessions = [
        full_session(conference, f"Session {n}", NINE + dt.timedelta(hours=n)) for n in range(5)
    ]
    ada = make_attendee(conference, "ada@example.org")
    waiters(conference, sessions[0], ["bob"])
    join_waitlist(session=sessions[0], user=ada)
    client.force_login(ada)
    agenda_page(client, conference)  # the first visit creates the calendar address
    _response, one_session = agenda_page(client, conference)
    for session in sessions[1:]:
        join_waitlist(session=session, user=ada)

    response, five_sessions = agenda_page(client, conference)

    assert one_session == five_sessions
    page = text(response)
    assert page.count("You are 1st on the waitlist.") == 4
    assert page.count("You are 2nd on the waitlist.") == 1
    assert "Waiting for a seat Session 0 Wednesday 8 April, 09:00–09:30" in page


def test_the_day_page_is_not_answered_not_modified_when_only_my_place_moved(client, conference):
    session = full_session(conference, "Triton", NINE)
    ada, bob = waiters(conference, session, ["ada", "bob"])
    client.force_login(bob)
    url = f"/{conference.slug}/schedule/2026-04-08/?layout=list"
    first = client.get(url)

    leave_waitlist(session=session, user=ada)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert "You are 1st on the waitlist." in text(again)
    assert "You are 2nd on the waitlist." in text(first)
