"""Organisers in the admin: registrations (one by one and by CSV) and each session's seats."""

import csv
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attendees.models import Profile, Registration, Reservation, WaitlistEntry
from attendees.seats import join_waitlist, reserve_seat
from tests.attendees.conftest import make_attendee
from tests.factories import SessionFactory
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

CSV = b"email,name,ticket type,ticket id\nada@example.org,Ada,Pass,T-1\n"


def fill(session, conference, count):
    people = [make_attendee(conference, f"p{n}@example.org") for n in range(count)]
    for person in people:
        reserve_seat(session=session, user=person)
    return people


def test_adding_a_registration_by_hand_stores_the_email_in_lower_case(admin_client, conference):
    response = admin_client.post(
        reverse("admin:attendees_registration_add"),
        {"conference": conference.pk, "email": "Ada@Example.org", "name": "Ada", "ticket_id": ""},
    )

    assert response.status_code == 302
    assert Registration.objects.get().email == "ada@example.org"


def test_a_second_registration_with_the_same_email_is_refused(admin_client, conference):
    Registration.objects.create(conference=conference, email="ada@example.org")

    response = admin_client.post(
        reverse("admin:attendees_registration_add"),
        {"conference": conference.pk, "email": "ADA@example.org", "ticket_id": ""},
    )

    assert "This email is already registered for the conference." in text(response)
    assert Registration.objects.count() == 1


def test_csv_upload_previews_then_imports_on_confirmation(admin_client, conference):
    url = reverse("admin:attendees_registration_import")

    preview = admin_client.post(
        url,
        {"conference": conference.pk, "file": SimpleUploadedFile("r.csv", CSV), "preview": "1"},
    )

    assert "Dry run, nothing saved: 1 new, 0 updated, 0 unchanged. new: ada@example.org (T-1)" in (
        text(preview)
    )
    assert not Registration.objects.exists()

    confirmed = admin_client.post(
        url,
        {"conference": conference.pk, "csv_text": CSV.decode(), "confirm": "1"},
        follow=True,
    )

    assert "1 new, 0 updated, 0 unchanged." in text(confirmed)
    assert list(Registration.objects.values_list("email", "ticket_id")) == [
        ("ada@example.org", "T-1")
    ]


def test_csv_upload_lists_bad_lines_and_offers_no_confirmation(admin_client, conference):
    preview = admin_client.post(
        reverse("admin:attendees_registration_import"),
        {
            "conference": conference.pk,
            "file": SimpleUploadedFile("r.csv", CSV + b"bad,Bob,Pass,T-2\n"),
            "preview": "1",
        },
    )

    assert "Line 3: “bad” is not an email address." in text(preview)
    assert 'name="confirm"' not in preview.content.decode()


def test_seats_admin_lists_reservations_and_waitlist(admin_client, conference, workshop):
    fill(workshop, conference, 10)
    waiting = make_attendee(conference, "wait@example.org")
    join_waitlist(session=workshop, user=waiting)

    page = text(
        admin_client.get(reverse("admin:attendees_sessionseats_change", args=[workshop.pk]))
    )
    listing = text(admin_client.get(reverse("admin:attendees_sessionseats_changelist")))

    assert "p0@example.org" in page and "p9@example.org" in page and "wait@example.org" in page
    assert "Triton workshop Paris Conf" in listing and "10 1" in listing


def test_seats_export_is_a_csv_of_reservations_then_the_waitlist(
    admin_client, conference, workshop
):
    fill(workshop, conference, 10)
    join_waitlist(session=workshop, user=make_attendee(conference, "wait@example.org"))

    response = admin_client.get(reverse("admin:attendees_sessionseats_export", args=[workshop.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="triton-workshop-seats.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["status", "position", "name", "email", "since"]
    assert [row[:4] for row in table[1:3]] == [
        ["reserved", "1", "", "p0@example.org"],
        ["reserved", "2", "", "p1@example.org"],
    ]
    assert table[-1][:4] == ["waitlist", "1", "", "wait@example.org"]
    assert len(table) == 12


def test_lowering_the_limit_in_the_admin_asks_first_then_moves_people(
    admin_client, conference, workshop, django_capture_on_commit_callbacks
):
    fill(workshop, conference, 10)
    url = reverse("admin:attendees_sessionseats_seat_limit", args=[workshop.pk])

    asked = admin_client.post(url, {"seat_limit": "8"})

    assert "lowering the limit to 8 moves 2 people" in text(asked)
    assert "p8@example.org p9@example.org" in text(asked)
    assert Reservation.objects.count() == 10

    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(url, {"seat_limit": "8", "confirmed": "True"}, follow=True)

    assert "The seat limit is now 8: 0 given a seat from the waitlist, 2 moved back" in text(done)
    assert Reservation.objects.count() == 8
    assert [e.user.email for e in WaitlistEntry.objects.all()] == [
        "p8@example.org",
        "p9@example.org",
    ]
    assert len(mail.outbox) == 2


def test_raising_the_limit_in_the_admin_promotes_from_the_waitlist(
    admin_client, conference, workshop
):
    fill(workshop, conference, 10)
    join_waitlist(session=workshop, user=make_attendee(conference, "wait@example.org"))

    admin_client.post(
        reverse("admin:attendees_sessionseats_seat_limit", args=[workshop.pk]), {"seat_limit": "11"}
    )

    workshop.refresh_from_db()
    assert workshop.seat_limit == 11
    assert Reservation.objects.filter(user__email="wait@example.org").exists()
    assert not WaitlistEntry.objects.exists()


@pytest.mark.parametrize(
    "display_name",
    ['=HYPERLINK("https://evil.example","x")', "+1+1", " =1+1", "\uff1dSUM(A1)", "@cmd", "\t=1"],
)
def test_seats_export_never_turns_a_name_into_a_spreadsheet_formula(
    admin_client, conference, workshop, display_name
):
    person = make_attendee(conference, "eve@example.org")
    Profile.objects.filter(user=person).update(display_name=display_name)
    reserve_seat(session=workshop, user=person)

    response = admin_client.get(reverse("admin:attendees_sessionseats_export", args=[workshop.pk]))

    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[1][2] == f"'{display_name}"


def test_a_session_without_a_limit_is_given_one_from_its_admin_page(admin_client, conference):
    session = SessionFactory(conference=conference, title="Open talk", seat_limit=None)
    page = text(admin_client.get(reverse("admin:schedule_session_change", args=[session.pk])))
    assert "Set a seat limit" in page
    url = reverse("admin:attendees_sessionseats_seat_limit", args=[session.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"seat_limit": "40"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:attendees_sessionseats_change", args=[session.pk])
    session.refresh_from_db()
    assert session.seat_limit == 40
    assert "Open talk" in text(admin_client.get(response["Location"]))


def test_seat_pages_show_times_on_the_conference_clock_with_its_zone(
    admin_client, conference, workshop, attendee
):
    # NINE is 07:00 UTC: 09:00 on Paris's summer clock.
    reserve_seat(session=workshop, user=attendee)

    listing = text(admin_client.get(reverse("admin:attendees_sessionseats_changelist")))
    seats = text(
        admin_client.get(reverse("admin:attendees_sessionseats_change", args=[workshop.pk]))
    )

    assert "09:00 CEST" in listing
    assert "09:00 CEST" in seats and "10:00 CEST" in seats
    assert "07:00" not in listing + seats
