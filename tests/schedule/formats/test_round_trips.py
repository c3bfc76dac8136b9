import pytest

from conference.models import Conference
from schedule.importing import import_schedule
from tests.schedule.formats.conftest import export, snapshot


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_export_then_import_into_empty_conference_gives_same_schedule(
    client, demo_conference, extension
):
    body = export(client, demo_conference, extension)

    report = import_schedule(conference_slug="copy", source=body, dry_run=False)

    assert report.rejected == []
    copy = Conference.objects.get(slug="copy")
    assert report.conference_created
    # A CSV names no conference: the slug stands in for the name.
    assert (copy.name, copy.timezone, copy.start_date, copy.end_date) == (
        "copy" if extension == "csv" else demo_conference.name,
        demo_conference.timezone,
        demo_conference.start_date,
        demo_conference.end_date,
    )
    # schedule.xml and .json cannot mark a session cancelled, so they leave those out.
    keeps_cancelled = extension == "csv"
    assert snapshot(copy) == snapshot(demo_conference, include_cancelled=keeps_cancelled)


@pytest.mark.parametrize("extension", ["xml", "json", "csv"])
def test_round_trip_of_2000_session_conference(client, big_conference, extension):
    body = export(client, big_conference, extension)

    report = import_schedule(conference_slug="big-copy", source=body, dry_run=False)

    assert report.rejected == []
    copy = Conference.objects.get(slug="big-copy")
    assert copy.timezone == "America/New_York"
    assert snapshot(copy) == snapshot(big_conference, include_cancelled=extension == "csv")


def test_reimport_of_own_export_changes_nothing(client, big_conference):
    body = export(client, big_conference, "csv")

    report = import_schedule(conference_slug="big", source=body, dry_run=False)

    assert (len(report.created), len(report.updated), report.unchanged) == (0, 0, 2000)
