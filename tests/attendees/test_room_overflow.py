"""Room overflow ahead of time: interest against each room's seats, counts only."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from attendees.models import AgendaEntry, VisitorInterest
from attendees.overflow import room_interest
from attendees.seats import reserve_seat
from tests.attendees.conftest import make_attendee
from tests.factories import SessionFactory, StageFactory
from tests.public.test_day import text

pytestmark = pytest.mark.django_db


def toggle(client, session, action):
    url = reverse(
        "attendees:toggle", kwargs={"conference": session.conference.slug, "slug": session.slug}
    )
    return client.post(url, {"action": action})


@pytest.fixture
def small_room(conference):
    return StageFactory(conference=conference, name="Small Room", capacity=2)


def test_interest_counts_every_agenda_with_or_without_an_account(conference, small_room):
    talk = SessionFactory(
        conference=conference, title="Popular talk", stage=small_room, seat_limit=2
    )
    SessionFactory(conference=conference, title="Quiet talk", stage=small_room)
    people = [make_attendee(conference, f"p{n}@example.org") for n in range(3)]
    for person in people:
        AgendaEntry.objects.create(user=person, session=talk)
    visitor = Client()
    toggle(visitor, talk, "add")
    toggle(visitor, talk, "add")  # twice: one agenda
    reserve_seat(session=talk, user=people[0])

    rows = {row.session.title: row for row in room_interest(conference)}

    assert (rows["Popular talk"].interested, rows["Popular talk"].reserved) == (4, 1)
    assert (rows["Popular talk"].capacity, rows["Popular talk"].overflow) == (2, 2)
    assert (rows["Quiet talk"].interested, rows["Quiet talk"].overflow) == (0, -2)
    assert [row.session.title for row in room_interest(conference)] == [
        "Popular talk",
        "Quiet talk",
    ]

    toggle(visitor, talk, "remove")
    assert {r.session.title: r.interested for r in room_interest(conference)}["Popular talk"] == 3


def test_a_visitor_who_signs_in_is_counted_once(client, conference, small_room):
    talk = SessionFactory(conference=conference, title="Popular talk", stage=small_room)
    toggle(client, talk, "add")
    person = make_attendee(conference, "ada@example.org")
    person.set_password("a long passphrase 3")
    person.save()

    client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": "a long passphrase 3"}
    )

    assert AgendaEntry.objects.filter(user=person, session=talk).exists()
    assert VisitorInterest.objects.get(session=talk).visitors == 0
    assert room_interest(conference)[0].interested == 1


def test_report_page_lists_rooms_over_capacity_in_conference_time(
    admin_client, conference, small_room, django_assert_max_num_queries
):
    start = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris
    talk = SessionFactory(
        conference=conference, title="Popular talk", stage=small_room, start=start
    )
    for n in range(3):
        AgendaEntry.objects.create(
            user=make_attendee(conference, f"p{n}@example.org"), session=talk
        )
    url = reverse("admin:attendees_sessionseats_overflow", args=[conference.pk])

    page = text(admin_client.get(url))

    assert "Popular talk" in page and "09:00 CEST" in page
    assert "1 more than seats" in page
    # One query for the rows however many sessions there are.
    for n in range(20):
        SessionFactory(conference=conference, title=f"Talk {n}", stage=small_room, start=start)
    with django_assert_max_num_queries(8):
        assert admin_client.get(url).status_code == 200
