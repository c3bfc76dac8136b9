"""Importing an updated file: sessions change in place, agendas survive, removal only on request."""

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from attendees.models import AgendaEntry
from conference.models import Conference
from schedule.importing import import_schedule
from schedule.models import Session
from tests.schedule.formats.conftest import DATA, export, fingerprint
from tests.schedule.formats.test_real_world import PRETALX_JSON


@pytest.fixture
def attendee(db):
    return get_user_model().objects.create_user("ada", "ada@example.com", "pw-123456789")


def moved(csv_body, slug, hours):
    """The CSV with one session an hour later, in both its UTC and local columns."""
    lines = csv_body.decode().split("\r\n")
    for index, line in enumerate(lines):
        if f",{slug}," in line:
            cells = line.split(",")
            for column in (3, 4):
                time = dt.datetime.fromisoformat(cells[column].replace("Z", "+00:00"))
                cells[column] = (time + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
            cells[5] = cells[6] = ""
            lines[index] = ",".join(cells)
    return "\r\n".join(lines).encode()


def test_moved_session_is_updated_in_place_with_revision_raised(client, demo_conference, attendee):
    session = Session.objects.get(conference=demo_conference, slug="community-expo")
    other = Session.objects.exclude(pk=session.pk).filter(conference=demo_conference).first()
    entry = AgendaEntry.objects.create(user=attendee, session=session)
    body = moved(export(client, demo_conference, "csv"), "community-expo", 1)

    report = import_schedule(conference_slug=demo_conference.slug, source=body, dry_run=False)

    assert report.rejected == []
    assert (report.created, report.updated, report.unchanged) == (
        [],
        [("Community Expo", ["start", "end"])],
        47,
    )
    session.refresh_from_db()
    assert (session.start, session.revision) == (
        dt.datetime(2026, 4, 7, 6, 30, tzinfo=dt.UTC),
        1,
    )
    assert AgendaEntry.objects.get(pk=entry.pk).session_id == session.pk
    unchanged = Session.objects.get(pk=other.pk)
    assert (unchanged.revision, unchanged.updated) == (other.revision, other.updated)


def test_dry_run_reports_the_change_and_writes_nothing(client, demo_conference):
    body = moved(export(client, demo_conference, "csv"), "community-expo", 1)
    before = fingerprint()

    report = import_schedule(conference_slug=demo_conference.slug, source=body, dry_run=True)

    assert report.updated == [("Community Expo", ["start", "end"])]
    assert fingerprint() == before


def without(csv_body, slug):
    return b"\r\n".join(
        line for line in csv_body.split(b"\r\n") if f",{slug},".encode() not in line
    )


def test_missing_session_is_listed_and_kept_without_remove_missing(client, demo_conference):
    body = without(export(client, demo_conference, "csv"), "community-expo")

    report = import_schedule(conference_slug=demo_conference.slug, source=body, dry_run=False)

    assert (report.missing, report.removed) == (["Community Expo"], [])
    assert Session.objects.filter(slug="community-expo").exists()


def test_removed_session_is_hidden_with_its_agenda_entry_kept_and_comes_back(
    client, demo_conference, attendee
):
    full = export(client, demo_conference, "csv")
    session = Session.objects.get(conference=demo_conference, slug="community-expo")
    AgendaEntry.objects.create(user=attendee, session=session)

    report = import_schedule(
        conference_slug=demo_conference.slug,
        source=without(full, "community-expo"),
        dry_run=False,
        remove_missing=True,
    )
    hidden = Session.all_objects.get(pk=session.pk)
    listed = Session.objects.filter(pk=session.pk).exists()
    page = client.get(f"/{demo_conference.slug}/schedule/2026-04-07/").content.decode()
    back = import_schedule(conference_slug=demo_conference.slug, source=full, dry_run=False)

    assert report.removed == ["Community Expo"]
    assert (hidden.status, hidden.removed_at is not None, hidden.revision) == ("cancelled", True, 1)
    assert not listed
    assert "Community Expo" not in page
    assert AgendaEntry.objects.filter(session_id=session.pk).count() == 1
    assert back.updated == [("Community Expo", ["status", "removed_at"])]
    assert Session.objects.get(pk=session.pk).status == "confirmed"


def test_reimport_of_2000_session_conference_after_a_move(client, big_conference, attendee):
    session = Session.objects.filter(conference=big_conference).order_by("pk")[100]
    AgendaEntry.objects.create(user=attendee, session=session)
    body = moved(export(client, big_conference, "csv"), session.slug, 2)

    report = import_schedule(conference_slug="big", source=body, dry_run=False)

    assert (len(report.created), len(report.updated), report.unchanged) == (0, 1, 1999)
    assert Session.objects.get(pk=session.pk).revision == session.revision + 1
    assert AgendaEntry.objects.filter(session=session).count() == 1


def test_command_prints_summary_and_progress(client, big_conference, tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(export(client, big_conference, "json"))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("import_schedule", str(path), conference="big-copy", stdout=stdout, stderr=stderr)

    assert stdout.getvalue().splitlines()[-1] == (
        "1980 created, 0 updated, 0 unchanged, 0 removed, 0 rejected"
    )
    assert "[##############################] 1980/1980" in stderr.getvalue()


def test_command_exits_non_zero_on_rejection(demo_conference, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("title,start_utc,end_utc\nTalk,2026-04-07T10:00:00Z,2026-04-07T09:00:00Z\n")
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="Rejected: nothing was imported"):
        call_command("import_schedule", str(path), conference=demo_conference.slug, stderr=stderr)

    assert stderr.getvalue().startswith("line 2: the session ends")


def test_command_dry_run_on_empty_database_creates_nothing(tmp_path, db):
    path = tmp_path / "camp.json"
    path.write_bytes(PRETALX_JSON.read_bytes())
    stdout = io.StringIO()

    call_command("import_schedule", str(path), conference="camp2019", dry_run=True, stdout=stdout)

    assert stdout.getvalue().splitlines()[-1] == (
        "Dry run, nothing written: 36 created, 0 updated, 0 unchanged, 0 removed, 0 rejected"
    )
    assert fingerprint()[1] == 0


def test_import_that_creates_sessions_moves_the_schedule_version(client, demo_conference):
    before = Conference.objects.get(pk=demo_conference.pk).schedule_version

    import_schedule(
        conference_slug=demo_conference.slug,
        source=(DATA / "all.ics").read_bytes(),
        dry_run=False,
    )

    assert Conference.objects.get(pk=demo_conference.pk).schedule_version > before
