"""Never overbooked: 50 registered people ask for 10 seats at the same moment."""

import threading

import pytest
from django.db import connections

from attendees.models import Reservation, WaitlistEntry
from attendees.seats import SeatError, join_waitlist, reserve_seat


def reserve_or_wait(session, user):
    """What the Reserve button leads to: a seat, or the waitlist when the session is full."""
    try:
        reserve_seat(session=session, user=user)
        return "reserved"
    except SeatError as error:
        if error.code != "full":
            raise
        join_waitlist(session=session, user=user)
        return "waitlisted"


@pytest.mark.django_db(transaction=True)
def test_fifty_people_at_once_get_exactly_ten_seats_and_forty_waitlist_places(workshop, attendees):
    people = attendees(50)
    start = threading.Barrier(len(people))
    outcomes, errors = [], []

    def ask(user):
        try:
            start.wait()
            outcomes.append(reserve_or_wait(workshop, user))
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=ask, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(outcomes).count("reserved") == 10
    assert sorted(outcomes).count("waitlisted") == 40
    assert Reservation.objects.filter(session=workshop).count() == 10
    assert WaitlistEntry.objects.filter(session=workshop).count() == 40
    positions = list(
        WaitlistEntry.objects.filter(session=workshop).values_list("position", flat=True)
    )
    assert sorted(positions) == list(range(1, 41))


@pytest.mark.django_db
def test_fifty_people_one_after_another_get_exactly_ten_seats_and_forty_waitlist_places(
    workshop, attendees
):
    # SQLite takes one writer at a time, so this is the same race with the requests serialised.
    outcomes = [reserve_or_wait(workshop, user) for user in attendees(50)]

    assert outcomes == ["reserved"] * 10 + ["waitlisted"] * 40
    assert Reservation.objects.filter(session=workshop).count() == 10
    assert WaitlistEntry.objects.filter(session=workshop).count() == 40
