"""The seat box in the schedule, on the session page and in the agenda, and its endpoint."""

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from attendees.models import AgendaFeed, Reservation, WaitlistEntry
from attendees.seats import join_waitlist, reserve_seat
from schedule.models import Session
from tests.attendees.conftest import make_attendee
from tests.public.test_day import text

pytestmark = pytest.mark.django_db


def seat_url(session):
    return f"/{session.conference.slug}/sessions/{session.slug}/seat/"


def post_seat(client, session, action, **headers):
    return client.post(
        seat_url(session),
        {"action": action, "next": f"/{session.conference.slug}/schedule/?layout=list"},
        headers=headers,
    )


def seat_boxes(response):
    """The text of each seat box on a page, by the pk of its session."""
    html = response.content.decode()
    boxes = re.findall(r'<div class="seat-box[^"]*" data-session="(\d+)">(.*?)</div>', html, re.S)
    return {int(pk): " ".join(re.sub(r"<[^>]+>", " ", body).split()) for pk, body in boxes}


def fill(session, conference, count, start=0):
    for n in range(start, start + count):
        reserve_seat(session=session, user=make_attendee(conference, f"p{n}@example.org"))


def test_reserving_without_javascript_redirects_back_with_a_message(client, workshop, attendee):
    client.force_login(attendee)

    response = post_seat(client, workshop, "reserve")

    assert response.status_code == 302
    assert response["Location"] == "/paris-conf/schedule/?layout=list"
    assert Reservation.objects.filter(session=workshop, user=attendee).count() == 1
    page = client.get(response["Location"])
    assert "Your seat in “Triton workshop” is reserved and in your agenda." in text(page)
    assert seat_boxes(page)[workshop.pk] == (
        "Limited: 9 of 10 seats left You have a reserved seat. Cancel reservation : Triton workshop"
    )


def test_reserving_with_htmx_swaps_the_box_with_the_new_count_and_the_agenda_count(
    client, workshop, attendee
):
    client.force_login(attendee)

    response = post_seat(client, workshop, "reserve", **{"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith(f'<div class="seat-box open reserved" data-session="{workshop.pk}">')
    assert seat_boxes(response)[workshop.pk] == (
        "Limited: 9 of 10 seats left Your seat in “Triton workshop” is reserved and in your "
        "agenda. You have a reserved seat. Cancel reservation : Triton workshop"
    )
    assert 'name="next" value="/paris-conf/schedule/?layout=list"' in html
    assert '<span id="agenda-count" hx-swap-oob="true">1</span>' in html
    assert response["Vary"] == "HX-Request, Cookie, Accept-Encoding"  # gzip when asked


def test_a_visitor_is_told_to_log_in_in_the_box(client, workshop):
    response = post_seat(client, workshop, "reserve", **{"HX-Request": "true"})

    html = response.content.decode()
    assert '<p class="seat-message error" role="alert">Log in to reserve a seat. <a href=' in html
    assert "/accounts/login/?next=/paris-conf/sessions/triton-workshop/" in html
    assert not Reservation.objects.exists()


def test_an_unregistered_user_gets_the_reason_without_javascript(client, conference, workshop):
    client.force_login(make_attendee(conference, "stranger@example.org", registered=False))

    response = post_seat(client, workshop, "reserve")

    page = client.get(response["Location"])
    assert (
        "Only registered attendees of Paris Conf can reserve seats, and none of your verified "
        "email addresses is registered." in text(page)
    )
    assert not Reservation.objects.exists()


def test_a_full_session_offers_the_waitlist_and_joining_it_works(
    client, conference, workshop, attendee
):
    fill(workshop, conference, 10)
    client.force_login(attendee)

    refused = post_seat(client, workshop, "reserve", **{"HX-Request": "true"})
    joined = post_seat(client, workshop, "join", **{"HX-Request": "true"})

    assert seat_boxes(refused)[workshop.pk] == (
        "Full — join the waitlist “Triton workshop” is full. Join the waitlist to get the first "
        "seat that frees up. Join waitlist : Triton workshop"
    )
    assert seat_boxes(joined)[workshop.pk] == (
        "Full — join the waitlist You are on the waitlist for “Triton workshop”. We will email "
        "you if a seat frees up. You are 1st on the waitlist. Leave waitlist : Triton workshop"
    )
    assert WaitlistEntry.objects.get(session=workshop).user == attendee


def test_cancelling_with_htmx_frees_the_seat(client, workshop, attendee):
    reserve_seat(session=workshop, user=attendee)
    client.force_login(attendee)

    response = post_seat(client, workshop, "cancel", **{"HX-Request": "true"})

    assert seat_boxes(response)[workshop.pk] == (
        "Limited: 10 of 10 seats left Your reservation for “Triton workshop” is cancelled: the "
        "seat is free for someone else. Reserve a seat : Triton workshop"
    )
    assert not Reservation.objects.exists()


def test_an_unknown_action_is_a_bad_request(client, workshop, attendee):
    client.force_login(attendee)

    assert post_seat(client, workshop, "steal").status_code == 400


def test_the_seat_endpoint_needs_a_post_with_a_csrf_token(workshop, attendee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)

    assert client.get(seat_url(workshop)).status_code == 405
    assert post_seat(client, workshop, "reserve").status_code == 403
    assert not Reservation.objects.exists()


def test_session_page_shows_seats_left_and_the_room_capacity(client, conference, workshop):
    workshop.stage.capacity = 120
    workshop.stage.save()
    workshop.seat_limit = 40
    workshop.save()
    fill(workshop, conference, 28)

    page = text(client.get(workshop.get_absolute_url()))

    assert "Room capacity 120 seats" in page
    assert "Limited: 12 of 40 seats left Reserve a seat : Triton workshop" in page


def test_list_and_grid_show_the_seat_state_only_for_limited_sessions(client, conference, workshop):
    talk = Session.objects.create(
        conference=conference,
        title="Open talk",
        slug="open-talk",
        start=workshop.start,
        end=workshop.end,
        stage=workshop.stage,
    )
    fill(workshop, conference, 8)

    for layout in ("list", "grid"):
        response = client.get("/paris-conf/schedule/2026-04-08/", {"layout": layout})

        assert seat_boxes(response) == {
            workshop.pk: "Filling: 2 of 10 seats left Reserve a seat : Triton workshop"
        }
        assert talk.title in text(response)


def test_agenda_page_says_i_am_registered(client, attendee):
    client.force_login(attendee)

    page = text(client.get("/paris-conf/agenda/"))

    assert "You are registered for Paris Conf: you can reserve seats" in page


def test_agenda_page_links_to_registration_when_i_am_not_registered(client, conference):
    client.force_login(make_attendee(conference, "stranger@example.org", registered=False))

    html = client.get("/paris-conf/agenda/").content.decode()

    assert "You are not registered for Paris Conf" in html
    assert '<a href="https://tickets.example.org/paris-conf" rel="noopener">' in html


def test_agenda_page_asks_to_verify_an_unverified_registered_address(client, conference):
    client.force_login(make_attendee(conference, "new@example.org", verified=False))

    page = text(client.get("/paris-conf/agenda/"))

    assert "Your email address is registered for Paris Conf but not verified yet" in page


def test_feed_of_a_reserved_session_says_so_in_its_description(
    client, conference, workshop, attendee
):
    other = Session.objects.create(
        conference=conference,
        title="Later talk",
        slug="later-talk",
        start=workshop.end,
        end=workshop.end + dt.timedelta(hours=1),
    )
    reserve_seat(session=workshop, user=attendee)
    attendee.agenda_entries.create(session=other)
    feed = AgendaFeed.objects.create(user=attendee, conference=conference)

    response = client.get(
        reverse("attendees:feed", kwargs={"conference": "paris-conf", "token": feed.token})
    )

    events = {
        str(e["SUMMARY"]): str(e["DESCRIPTION"])
        for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    }
    assert events["Triton workshop"].startswith("You have a reserved seat.")
    assert "reserved seat" not in events["Later talk"]


def test_pages_stay_within_the_query_budget_with_seats_taken(
    client, demo_conference, django_assert_max_num_queries
):
    limited = list(Session.objects.filter(conference=demo_conference, seat_limit__isnull=False))
    ada = make_attendee(demo_conference, "ada@example.org")
    bob = make_attendee(demo_conference, "bob@example.org")
    for session in limited:
        session.seat_limit = 6
        session.save()
        fill(session, demo_conference, 5, start=session.pk * 10)
        reserve_seat(session=session, user=ada)
        join_waitlist(session=session, user=bob)
    conf = f"/{demo_conference.slug}"
    urls = [
        f"{conf}/schedule/2026-04-07/?layout=grid",
        f"{conf}/schedule/2026-04-08/?layout=list",
        f"{conf}/agenda/",
        *(session.get_absolute_url() for session in limited),
    ]

    for user, says in ((ada, "You have a reserved seat."), (bob, "You are 1st on the waitlist.")):
        client.force_login(user)
        # A person's first visit to the agenda writes once what later visits read: their
        # calendar link and the schedule version from which changes are theirs to see.
        client.get(f"{conf}/agenda/")
        for url in urls:
            # 11: a day rendered afresh also reads the latest version's changes (its marks).
            with django_assert_max_num_queries(11):
                response = client.get(url)
            assert says in text(response), (user, url)
