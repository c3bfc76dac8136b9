"""Files shaped as other tools write them: Sched's all.ics, pretalx's schedule.xml and .json."""

import datetime as dt
from pathlib import Path

from conference.models import Conference
from schedule.importing import import_schedule
from tests.schedule.formats.conftest import DATA, snapshot

UTC = dt.UTC
PRETALX_JSON = Path("/work/shared/formats/examples/pretalx-democon.json")


def test_sched_all_ics_into_new_conference(db):
    report = import_schedule(
        conference_slug="sched-paris",
        source=(DATA / "all.ics").read_bytes(),
        dry_run=False,
    )

    assert report.rejected == []
    conference = Conference.objects.get(slug="sched-paris")
    assert (conference.name, conference.timezone) == ("Open Source Summit Paris 2026", "UTC")
    assert snapshot(conference) == [
        (
            # UTC, LOCATION "Master Stage\\, Station F\\, Paris" without venue and city.
            "Keynote: Welcome & Opening Remarks",
            dt.datetime(2026, 4, 7, 7, 0, tzinfo=UTC),
            dt.datetime(2026, 4, 7, 7, 30, tzinfo=UTC),
            "Master Stage",
            "Keynote Sessions",
            "",
            (),
            "confirmed",
        ),
        (
            # Floating: the conference's clock (X-WR-TIMEZONE:UTC).
            "Lightning talks",
            dt.datetime(2026, 4, 7, 14, 30, tzinfo=UTC),
            dt.datetime(2026, 4, 7, 15, 0, tzinfo=UTC),
            "Master Stage",
            "",
            "Lightning Talk",
            (),
            "confirmed",
        ),
        (
            # A folded SUMMARY; TZID=Europe/Paris with its VTIMEZONE: 10:00 CEST is 08:00 UTC.
            "Scaling Inference on Heterogeneous Hardware: What Worked and What Did Not",
            dt.datetime(2026, 4, 7, 8, 0, tzinfo=UTC),
            dt.datetime(2026, 4, 7, 8, 40, tzinfo=UTC),
            "Founders Café",
            "Inference & Serving",
            "",
            (),
            "confirmed",
        ),
    ]
    keynote = conference.sessions.get(title__startswith="Keynote")
    assert keynote.abstract == (
        "Opening words from the organisers, with a look at the two days ahead."
    )


def test_sched_all_ics_floating_times_use_an_existing_conference_timezone(demo_conference):
    report = import_schedule(
        conference_slug=demo_conference.slug,
        source=(DATA / "all.ics").read_bytes(),
        dry_run=False,
    )

    assert report.rejected == []
    lightning = demo_conference.sessions.get(title="Lightning talks")
    # 14:30 on the conference's clock in Paris (CEST) is 12:30 UTC.
    assert lightning.start == dt.datetime(2026, 4, 7, 12, 30, tzinfo=UTC)


def test_reimport_of_sched_ics_matches_by_uid(db):
    data = (DATA / "all.ics").read_bytes()
    import_schedule(conference_slug="sched", source=data, dry_run=False)

    report = import_schedule(conference_slug="sched", source=data, dry_run=False)

    assert (len(report.created), len(report.updated), report.unchanged) == (0, 0, 3)


def test_pretalx_schedule_xml_into_empty_database(client, db):
    report = import_schedule(
        conference_slug="froscon",
        source=(DATA / "pretalx-schedule.xml").read_bytes(),
        dry_run=False,
    )

    assert report.rejected == []
    conference = Conference.objects.get(slug="froscon")
    assert (conference.name, conference.timezone, conference.start_date, conference.end_date) == (
        "FrOSCon 2025",
        "Europe/Berlin",
        dt.date(2025, 8, 16),
        dt.date(2025, 8, 17),
    )
    assert snapshot(conference)[2] == (
        "Supply-chain security for small projects",
        dt.datetime(2025, 8, 16, 8, 30, tzinfo=UTC),
        dt.datetime(2025, 8, 16, 9, 15, tzinfo=UTC),
        "HS1",
        "Security",
        "Talk",
        ("Ana Lima", "Kai Schmidt"),
        "confirmed",
    )
    assert conference.tracks.get(name="Security").colour == "#b91c1c"


def test_pretalx_democon_json_into_empty_database_is_browsable(client, db):
    report = import_schedule(
        conference_slug="democon", source=PRETALX_JSON.read_bytes(), dry_run=False
    )

    assert report.rejected == []
    assert len(report.created) == 36
    response = client.get("/democon/schedule/2020-12-14/")
    assert response.status_code == 200
    page = response.content.decode()
    for title in ("Focused 5thgeneration hardware", "Quality-focused 6thgeneration website"):
        assert title in page
    conference = Conference.objects.get(slug="democon")
    assert (conference.name, conference.timezone, conference.start_date) == (
        "DemoCon",
        "UTC",
        dt.date(2020, 12, 14),
    )


def test_json_without_timezone_name_takes_the_zone_from_its_offsets(db):
    data = PRETALX_JSON.read_text().replace('"time_zone_name": "UTC",', "")

    report = import_schedule(conference_slug="offsets", source=data, dry_run=False)

    assert report.rejected == []
    assert Conference.objects.get(slug="offsets").timezone == "Etc/GMT-1"
