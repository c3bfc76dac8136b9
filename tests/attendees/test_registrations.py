"""The registration list: CSV import (idempotent, all-or-nothing) and matching accounts to it."""

import pytest
from django.core.management import CommandError, call_command

from attendees.models import Registration
from attendees.registrations import (
    RegistrationImportError,
    RegistrationStatus,
    import_registrations,
    registration_status,
)
from tests.attendees.conftest import make_attendee
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db

CSV = (
    "email,name,ticket type,ticket id\n"
    "ada@example.org,Ada Lovelace,Conference pass,T-1\n"
    "Grace@Example.org,Grace Hopper,Workshop pass,T-2\n"
)


def rows(conference):
    return list(
        Registration.objects.filter(conference=conference)
        .order_by("ticket_id")
        .values_list("email", "name", "ticket_type", "ticket_id")
    )


def errors_of(conference, source):
    with pytest.raises(RegistrationImportError) as caught:
        import_registrations(conference=conference, source=source)
    return caught.value.report.errors


def test_import_adds_each_row_with_its_email_in_lower_case(conference):
    report = import_registrations(conference=conference, source=CSV)

    assert rows(conference) == [
        ("ada@example.org", "Ada Lovelace", "Conference pass", "T-1"),
        ("grace@example.org", "Grace Hopper", "Workshop pass", "T-2"),
    ]
    assert report.summary == "2 new, 0 updated, 0 unchanged."


def test_importing_twice_changes_nothing(conference):
    import_registrations(conference=conference, source=CSV)
    before = list(Registration.objects.order_by("pk").values_list("pk", "email", "updated"))

    report = import_registrations(conference=conference, source=CSV)

    assert report.summary == "0 new, 0 updated, 2 unchanged."
    assert list(Registration.objects.order_by("pk").values_list("pk", "email", "updated")) == before


def test_reimport_updates_changed_rows_and_adds_new_ones(conference):
    import_registrations(conference=conference, source=CSV)

    report = import_registrations(
        conference=conference,
        source=CSV.replace("Ada Lovelace", "Ada King") + "alan@example.org,Alan Turing,,T-3\n",
    )

    assert list(report.lines()) == [
        "1 new, 1 updated, 1 unchanged.",
        "new: alan@example.org (T-3)",
        "updated: T-1: name “Ada Lovelace” → “Ada King”",
    ]
    assert rows(conference)[0] == ("ada@example.org", "Ada King", "Conference pass", "T-1")
    assert Registration.objects.count() == 3


def test_dry_run_reports_and_writes_nothing(conference):
    report = import_registrations(conference=conference, source=CSV, dry_run=True)

    assert report.summary == "Dry run, nothing saved: 2 new, 0 updated, 0 unchanged."
    assert not Registration.objects.exists()


def test_headers_are_read_in_any_order_and_case_and_name_is_optional(conference):
    import_registrations(
        conference=conference, source="Ticket_ID;EMAIL\nT-9;x@example.org\n".replace(";", ",")
    )

    assert rows(conference) == [("x@example.org", "", "", "T-9")]


def test_every_bad_row_is_reported_by_line_and_nothing_is_written(conference):
    source = (
        "email,name,ticket type,ticket id\n"
        "ada@example.org,Ada,Pass,T-1\n"
        "not-an-email,Bob,Pass,T-2\n"
        "carol@example.org,Carol,Pass\n"
        "\n"
        "dan@example.org,Dan,Pass,T-1\n"
        "ADA@example.org,Ada again,Pass,T-5\n"
        "erin@example.org,Erin,Pass,\n"
    )

    assert errors_of(conference, source) == [
        (3, "“not-an-email” is not an email address."),
        (4, "expected 4 columns, found 3."),
        (6, "ticket id T-1 is already on line 2."),
        (7, "ada@example.org is already on line 2."),
        (8, "ticket id is missing."),
    ]
    assert not Registration.objects.exists()


def test_a_header_without_the_email_column_is_refused(conference):
    assert errors_of(conference, "name,ticket id\nAda,T-1\n") == [
        (1, "The header has no email column (it needs: email, name, ticket type, ticket id).")
    ]


def test_an_email_registered_under_another_ticket_is_a_bad_row(conference):
    import_registrations(conference=conference, source=CSV)

    errors = errors_of(conference, "email,ticket id\ngrace@example.org,T-7\n")

    assert errors == [(2, "grace@example.org is already registered with ticket T-2.")]


def test_a_registration_added_by_hand_gets_its_ticket_id_from_the_import(conference):
    Registration.objects.create(conference=conference, email="Ada@Example.org", name="Ada")

    import_registrations(conference=conference, source=CSV)

    assert Registration.objects.count() == 2
    assert rows(conference)[0] == ("ada@example.org", "Ada Lovelace", "Conference pass", "T-1")


def test_command_imports_and_reports(conference, tmp_path, capsys):
    path = tmp_path / "registrations.csv"
    path.write_text(CSV, encoding="utf-8-sig")

    call_command("import_registrations", str(path), "--conference", "paris-conf", "--dry-run")
    call_command("import_registrations", str(path), "--conference", "paris-conf")

    assert capsys.readouterr().out.splitlines() == [
        "Dry run, nothing saved: 2 new, 0 updated, 0 unchanged.",
        "new: ada@example.org (T-1)",
        "new: grace@example.org (T-2)",
        "2 new, 0 updated, 0 unchanged.",
        "new: ada@example.org (T-1)",
        "new: grace@example.org (T-2)",
    ]
    assert Registration.objects.count() == 2


def test_command_fails_naming_the_bad_lines(conference, tmp_path):
    path = tmp_path / "registrations.csv"
    path.write_text("email,ticket id\nnope,T-1\n")

    with pytest.raises(CommandError) as caught:
        call_command("import_registrations", str(path), "--conference", "paris-conf")

    assert str(caught.value) == (
        "Nothing was imported; bad lines:\nline 2: “nope” is not an email address."
    )
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("registered", "verified", "status"),
    [
        (True, True, RegistrationStatus.REGISTERED),
        (True, False, RegistrationStatus.UNVERIFIED),
        (False, True, RegistrationStatus.NOT_REGISTERED),
    ],
)
def test_registration_status(conference, registered, verified, status):
    user = make_attendee(conference, "ada@example.org", registered=registered, verified=verified)

    assert registration_status(conference=conference, user=user) is status


def test_a_registration_for_another_conference_does_not_count(conference):
    other = ConferenceFactory(name="Other Conf")
    user = make_attendee(other, "ada@example.org")

    assert registration_status(conference=conference, user=user) is (
        RegistrationStatus.NOT_REGISTERED
    )
