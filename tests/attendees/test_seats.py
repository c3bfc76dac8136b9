"""Seat services: who may reserve, the overlap rule, the waitlist and changing the seat limit."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail

from attendees.models import AgendaEntry, Reservation, WaitlistEntry
from attendees.seats import (
    SeatCount,
    SeatError,
    cancel_reservation,
    change_seat_limit,
    join_waitlist,
    leave_waitlist,
    reserve_seat,
)
from tests.attendees.conftest import NINE, make_attendee
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def refusal(action, **kwargs):
    with pytest.raises(SeatError) as caught:
        action(**kwargs)
    return caught.value.code, caught.value.message


def seated(session):
    return [
        r.user.email for r in Reservation.objects.filter(session=session).order_by("created", "id")
    ]


def waiting(session):
    return [e.user.email for e in WaitlistEntry.objects.filter(session=session)]


def fill(session, people):
    for person in people:
        reserve_seat(session=session, user=person)


def test_reserving_takes_a_seat_and_adds_the_session_to_the_agenda(workshop, attendee):
    reservation = reserve_seat(session=workshop, user=attendee)

    assert reservation.session == workshop and reservation.user == attendee
    assert list(AgendaEntry.objects.filter(user=attendee).values_list("session", flat=True)) == [
        workshop.pk
    ]


def test_a_visitor_is_asked_to_log_in(workshop):
    assert refusal(reserve_seat, session=workshop, user=AnonymousUser()) == (
        "anonymous",
        "Log in to reserve a seat.",
    )


def test_an_unregistered_user_is_refused(workshop, conference):
    stranger = make_attendee(conference, "stranger@example.org", registered=False)

    assert refusal(reserve_seat, session=workshop, user=stranger) == (
        "not_registered",
        "Only registered attendees of Paris Conf can reserve seats, and none of your verified "
        "email addresses is registered.",
    )
    assert not Reservation.objects.exists()


def test_an_unverified_address_never_counts(workshop, conference):
    unverified = make_attendee(conference, "new@example.org", verified=False)

    assert refusal(reserve_seat, session=workshop, user=unverified) == (
        "unverified",
        "Your email address is registered for Paris Conf but not verified yet. Follow the link "
        "in the email we sent you, then reserve.",
    )
    assert not Reservation.objects.exists()


def test_registration_matches_a_verified_address_whatever_its_case(workshop, conference):
    user = make_attendee(conference, "Grace.Hopper@Example.org", registered=False)
    make_attendee(conference, "other@example.org", registered=False)
    conference.registrations.create(email="grace.hopper@example.org", ticket_id="T-1")

    assert reserve_seat(session=workshop, user=user).user == user


def test_a_second_reservation_of_the_same_session_is_refused(workshop, attendee):
    reserve_seat(session=workshop, user=attendee)

    assert refusal(reserve_seat, session=workshop, user=attendee) == (
        "already_reserved",
        "You already have a seat in “Triton workshop”.",
    )
    assert Reservation.objects.count() == 1


def test_a_session_without_a_seat_limit_needs_no_reservation(conference, attendee):
    talk = SessionFactory(conference=conference, title="Keynote", seat_limit=None)

    assert refusal(reserve_seat, session=talk, user=attendee) == (
        "unlimited",
        "“Keynote” has no seat limit: come along, no reservation needed.",
    )


def test_a_cancelled_session_takes_no_reservations(conference, attendee):
    gone = SessionFactory(conference=conference, title="Gone", seat_limit=5, status="cancelled")

    assert refusal(reserve_seat, session=gone, user=attendee) == (
        "cancelled",
        "“Gone” is cancelled.",
    )


def test_overlapping_reservations_are_refused_naming_the_other_session(
    conference, workshop, attendee
):
    lab = SessionFactory(
        conference=conference,
        title="CUDA lab",
        start=NINE + dt.timedelta(minutes=30),
        end=NINE + dt.timedelta(minutes=90),
        seat_limit=10,
    )
    reserve_seat(session=workshop, user=attendee)

    assert refusal(reserve_seat, session=lab, user=attendee) == (
        "overlap",
        "“CUDA lab” overlaps with your reservation for “Triton workshop”. Cancel that one first "
        "if you would rather attend this.",
    )


def test_back_to_back_sessions_do_not_overlap(conference, workshop, attendee):
    after = SessionFactory(
        conference=conference,
        title="Afterwards",
        start=workshop.end,
        end=workshop.end + dt.timedelta(hours=1),
        seat_limit=10,
    )
    reserve_seat(session=workshop, user=attendee)

    assert reserve_seat(session=after, user=attendee).session == after


def test_a_full_session_offers_the_waitlist(workshop, attendees):
    people = attendees(11)
    fill(workshop, people[:10])

    with pytest.raises(SeatError) as caught:
        reserve_seat(session=workshop, user=people[10])

    assert caught.value.code == "full"
    assert caught.value.message == (
        "“Triton workshop” is full. Join the waitlist to get the first seat that frees up."
    )
    assert Reservation.objects.filter(session=workshop).count() == 10


def test_joining_the_waitlist_while_seats_are_free_is_refused(workshop, attendee):
    assert refusal(join_waitlist, session=workshop, user=attendee) == (
        "seats_left",
        "“Triton workshop” still has free seats: reserve one instead.",
    )


def test_waitlist_is_first_come_first_served(workshop, attendees):
    people = attendees(13)
    fill(workshop, people[:10])

    for person in people[10:]:
        join_waitlist(session=workshop, user=person)

    assert waiting(workshop) == [
        "person10@example.org",
        "person11@example.org",
        "person12@example.org",
    ]
    assert refusal(join_waitlist, session=workshop, user=people[11]) == (
        "already_waitlisted",
        "You are already on the waitlist for “Triton workshop”.",
    )


def test_cancelling_gives_the_seat_to_the_first_waiting_and_emails_only_them(
    workshop, attendees, django_capture_on_commit_callbacks
):
    people = attendees(12)
    fill(workshop, people[:10])
    join_waitlist(session=workshop, user=people[10])
    join_waitlist(session=workshop, user=people[11])

    with django_capture_on_commit_callbacks(execute=True):
        promoted = cancel_reservation(session=workshop, user=people[3])

    assert [r.user for r in promoted] == [people[10]]
    assert "person3@example.org" not in seated(workshop)
    assert seated(workshop)[-1] == "person10@example.org"
    assert waiting(workshop) == ["person11@example.org"]
    assert AgendaEntry.objects.filter(user=people[10], session=workshop).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["person10@example.org"]
    assert mail.outbox[0].subject == "You have a seat in “Triton workshop”"
    assert "Wednesday 8 April, 09:00 CEST" in mail.outbox[0].body


def test_no_email_when_the_transaction_rolls_back(
    workshop, attendees, django_capture_on_commit_callbacks
):
    people = attendees(11)
    fill(workshop, people[:10])
    join_waitlist(session=workshop, user=people[10])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cancel_reservation(session=workshop, user=people[0])

    assert len(callbacks) == 1 and mail.outbox == []


def test_promotion_skips_someone_holding_an_overlapping_seat_but_keeps_their_place(
    conference, workshop, attendees, django_capture_on_commit_callbacks
):
    people = attendees(12)
    fill(workshop, people[:10])
    join_waitlist(session=workshop, user=people[10])
    join_waitlist(session=workshop, user=people[11])
    clash = SessionFactory(
        conference=conference, start=NINE, end=NINE + dt.timedelta(hours=1), seat_limit=5
    )
    reserve_seat(session=clash, user=people[10])

    with django_capture_on_commit_callbacks(execute=True):
        cancel_reservation(session=workshop, user=people[0])

    assert seated(workshop)[-1] == "person11@example.org"
    assert waiting(workshop) == ["person10@example.org"]
    assert [m.to for m in mail.outbox] == [["person11@example.org"]]


def test_cancelling_without_a_reservation_is_refused(workshop, attendee):
    assert refusal(cancel_reservation, session=workshop, user=attendee) == (
        "not_reserved",
        "You have no reservation for “Triton workshop”.",
    )


def test_leaving_the_waitlist(workshop, attendees):
    people = attendees(11)
    fill(workshop, people[:10])
    join_waitlist(session=workshop, user=people[10])

    leave_waitlist(session=workshop, user=people[10])

    assert waiting(workshop) == []
    assert refusal(leave_waitlist, session=workshop, user=people[10]) == (
        "not_waitlisted",
        "You are not on the waitlist for “Triton workshop”.",
    )


def test_raising_the_limit_promotes_from_the_waitlist_in_order(
    workshop, attendees, django_capture_on_commit_callbacks
):
    people = attendees(14)
    fill(workshop, people[:10])
    for person in people[10:]:
        join_waitlist(session=workshop, user=person)

    with django_capture_on_commit_callbacks(execute=True):
        change = change_seat_limit(session=workshop, new_limit=12)

    assert [r.user.email for r in change.promoted] == [
        "person10@example.org",
        "person11@example.org",
    ]
    assert waiting(workshop) == ["person12@example.org", "person13@example.org"]
    assert workshop.seat_limit == 12
    assert sorted(m.to[0] for m in mail.outbox) == ["person10@example.org", "person11@example.org"]


def test_lowering_below_the_seats_held_needs_confirmation(workshop, attendees):
    fill(workshop, attendees(10))

    assert refusal(change_seat_limit, session=workshop, new_limit=7) == (
        "needs_confirmation",
        "10 seats are reserved: lowering the limit to 7 moves 3 people, the latest to reserve, "
        "back to the top of the waitlist. Confirm to go ahead.",
    )
    workshop.refresh_from_db()
    assert workshop.seat_limit == 10 and len(seated(workshop)) == 10


def test_lowering_confirmed_moves_the_latest_to_the_top_of_the_waitlist_and_tells_them(
    workshop, attendees, django_capture_on_commit_callbacks
):
    people = attendees(11)
    fill(workshop, people[:10])
    join_waitlist(session=workshop, user=people[10])

    with django_capture_on_commit_callbacks(execute=True):
        change = change_seat_limit(session=workshop, new_limit=8, confirmed=True)

    assert seated(workshop) == [f"person{n}@example.org" for n in range(8)]
    assert waiting(workshop) == [
        "person8@example.org",
        "person9@example.org",
        "person10@example.org",
    ]
    assert [e.user.email for e in change.moved_to_waitlist] == [
        "person8@example.org",
        "person9@example.org",
    ]
    assert [m.to[0] for m in mail.outbox] == ["person8@example.org", "person9@example.org"]
    assert mail.outbox[1].subject == "Your seat in “Triton workshop” moved to the waitlist"
    assert mail.outbox[1].body == (
        "The organisers of Paris Conf reduced “Triton workshop” (Wednesday 8 April, 09:00 CEST) "
        "to 8 seats, and your reservation was among the latest, so it is back on the waitlist: "
        "you are number 2 and get one of the first seats that frees up. We will email you when "
        "that happens."
    )


def test_lowering_then_raising_gives_the_seats_back_to_the_same_people(workshop, attendees):
    fill(workshop, attendees(10))
    change_seat_limit(session=workshop, new_limit=8, confirmed=True)

    change_seat_limit(session=workshop, new_limit=10)

    assert sorted(seated(workshop)) == sorted(f"person{n}@example.org" for n in range(10))
    assert waiting(workshop) == []


def test_lowering_without_reservations_to_move_needs_no_confirmation(workshop, attendees):
    fill(workshop, attendees(3))

    change = change_seat_limit(session=workshop, new_limit=3)

    assert change.moved_to_waitlist == [] and workshop.seat_limit == 3


@pytest.mark.parametrize(
    ("taken", "label", "level"),
    [
        (28, "Limited: 12 of 40 seats left", "open"),
        (30, "Limited: 10 of 40 seats left", "open"),
        (31, "Filling: 9 of 40 seats left", "filling"),
        (39, "Filling: 1 of 40 seats left", "filling"),
        (40, "Full — join the waitlist", "full"),
    ],
)
def test_seat_count_labels(taken, label, level):
    count = SeatCount(limit=40, taken=taken)

    assert (count.label, count.level) == (label, level)
