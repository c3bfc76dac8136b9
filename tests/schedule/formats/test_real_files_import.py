"""Real files from other tools (fixtures/exchange/, sources in its README) import whole: as many
sessions, speakers and rooms as the file has, three sessions of each checked field by field, and
a second import of the same file, or of a file where a person's name is spelt anew, changes
nobody's identity."""

import datetime as dt
import json
from pathlib import Path

import pytest

from conference.models import Conference, Stage
from schedule.importing import import_schedule
from schedule.models import Session
from speakers.models import Speaker

EXCHANGE = Path(__file__).parents[3] / "fixtures" / "exchange"
UTC = dt.UTC


def import_file(name, slug, source=None):
    report = import_schedule(
        conference_slug=slug,
        source=source if source is not None else (EXCHANGE / name).read_bytes(),
        dry_run=False,
    )
    assert report.rejected == []
    return report


def session_fields(conference, title):
    session = Session.objects.get(conference=conference, title=title)
    return {
        "start": session.start,
        "end": session.end,
        "stage": session.stage.name,
        "track": session.track.name if session.track else "",
        "type": session.session_type.name if session.session_type else "",
        "speakers": [link.speaker.name for link in session.speaker_links.all()],
        "links": [(link.kind, link.title, link.url) for link in session.links.all()],
        "abstract": session.abstract[:40],
    }


def file_counts(name):
    """Sessions, people (by their own id) and rooms, counted in the file itself."""
    conference = json.loads((EXCHANGE / name).read_text())["schedule"]["conference"]
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    people = {p.get("code") or p["id"] for e in events for p in e["persons"]}
    return len(events), len(people), len({e["room"] for e in events})


def counts(conference):
    return (
        Session.objects.filter(conference=conference).count(),
        Speaker.objects.filter(conference=conference).count(),
        Stage.objects.filter(conference=conference).count(),
    )


def test_frab_camp2019_imports_whole(db):
    report = import_file("frab-camp2019.json", "camp2019")

    camp = Conference.objects.get(slug="camp2019")
    assert camp.timezone == "Europe/Berlin"
    assert counts(camp) == file_counts("frab-camp2019.json") == (79, 90, 2)
    assert len(report.created) == 79
    # Two people, "mo" (frab person 3988) and "Mo" (9029): two speakers, two slugs.
    assert sorted(
        Speaker.objects.filter(conference=camp, name__iexact="mo").values_list(
            "name", "source_id", "slug"
        )
    ) == [("Mo", "9029", "mo-2"), ("mo", "3988", "mo")]
    assert session_fields(camp, "Introduction to Mix Networks and Katzenpost") == {
        "start": dt.datetime(2019, 8, 23, 19, 0, tzinfo=UTC),  # 21:00 CEST
        "end": dt.datetime(2019, 8, 23, 19, 45, tzinfo=UTC),
        "stage": "Curie",
        "track": "Security",
        "type": "lecture",
        "speakers": ["David Stainton", "mo"],
        "links": [("other", "Katzenpost website", "https://katzenpost.mixnetworks.org/")],
        "abstract": session_fields(camp, "Introduction to Mix Networks and Katzenpost")["abstract"],
    }
    cyborg = session_fields(camp, "Cyborg Foundation")  # "Cyborg Foundation " in the file
    assert (cyborg["start"], cyborg["stage"], cyborg["speakers"]) == (
        dt.datetime(2019, 8, 24, 12, 0, tzinfo=UTC),
        "Meitner",
        ["Mo"],
    )
    assert [title for _kind, title, _url in cyborg["links"]] == [
        "Cyborg Foundation",
        "Cyborg Arts",
        "Transpecies Society",
    ]
    # Attachments are relative to the frab host; a PDF is taken for slides.
    xr = Session.objects.get(conference=camp, title__startswith="Aufstand oder Aussterben")
    kinds = [(link.kind, link.url[:58]) for link in xr.links.all()]
    assert len(kinds) == 5
    assert (
        "slides",
        "https://fahrplan.events.ccc.de/system/event_attachments/at",
    ) in kinds
    # "nymtech.net" has no scheme: left out, and the report says so.
    assert any("nymtech.net" in str(note) for note in report.notes)


def test_pretalx_rc3_imports_whole(db):
    import_file("pretalx-rc3.json", "rc3")

    rc3 = Conference.objects.get(slug="rc3")
    assert counts(rc3) == file_counts("pretalx-rc3.json") == (48, 56, 5)
    # The file names no zone, only +01:00 offsets.
    assert rc3.timezone == "Etc/GMT-1"
    gluon = session_fields(rc3, "Der faule Admin automatisiert: Gluon auf echter Hardware testen")
    assert gluon | {"abstract": ""} == {
        "start": dt.datetime(2020, 12, 27, 10, 30, tzinfo=UTC),
        "end": dt.datetime(2020, 12, 27, 11, 10, tzinfo=UTC),
        "stage": "r3s - Monheim/Rhein",
        "track": "MON r3s Rhein VHS",
        "type": "Talk 30 min + 10min Q&A",
        "speakers": ["Chris Fiege", "Kasa"],
        "links": [],
        "abstract": "",
    }
    assert gluon["abstract"].startswith("Eine wichtige Komponente von Freifunk")
    radio = session_fields(rc3, "selbstmachradio")
    assert (radio["start"], radio["end"], radio["speakers"]) == (
        dt.datetime(2020, 12, 28, 20, 30, tzinfo=UTC),
        dt.datetime(2020, 12, 28, 22, 30, tzinfo=UTC),
        ["abc"],
    )
    climate = session_fields(rc3, "Climate Change and the Corona Pandemic")
    assert (climate["start"], climate["stage"], climate["speakers"]) == (
        dt.datetime(2020, 12, 30, 15, 0, tzinfo=UTC),
        "hacc München / about:future - München",
        ["Dr. Kira Vinke"],
    )
    assert Speaker.objects.get(conference=rc3, name="Chris Fiege").source_id == "SCD9VJ"


@pytest.mark.parametrize("name", ["frab-camp2019.json", "pretalx-rc3.json"])
def test_second_import_of_a_real_file_changes_nothing(db, name):
    import_file(name, "again")
    before = counts(Conference.objects.get(slug="again"))

    report = import_file(name, "again")

    assert (report.created, report.updated, report.missing) == ([], [], [])
    assert counts(Conference.objects.get(slug="again")) == before


def test_a_person_keeps_one_speaker_when_the_file_spells_their_name_anew(db):
    import_file("frab-camp2019.json", "camp")
    mo = Speaker.objects.get(conference__slug="camp", source_id="9029")
    document = (EXCHANGE / "frab-camp2019.json").read_text()

    report = import_file("", "camp", source=document.replace('"Mo"', '"Mo Ruiz"').encode())

    renamed = Speaker.objects.get(pk=mo.pk)
    assert (renamed.name, renamed.slug) == ("Mo Ruiz", "mo-2")  # the address stays
    assert Speaker.objects.filter(conference__slug="camp").count() == 90
    assert "renamed from “Mo” to “Mo Ruiz”" in " ".join(str(note) for note in report.notes)


def test_our_export_reimported_keeps_imported_people_and_rooms(client, db):
    """Camp's speakers carry frab's ids; our export names them by guids of ours: one person each
    way, even after a rename here."""
    import_file("frab-camp2019.json", "camp")
    camp = Conference.objects.get(slug="camp")
    Speaker.objects.filter(conference=camp, source_id="3988").update(name="mo (Katzenpost)")
    Conference.objects.bump_schedule_version(camp.pk)

    for extension in ("xml", "json", "csv", "ics"):
        body = client.get(f"/camp/schedule.{extension}").content
        report = import_file("", "camp", source=body)

        assert report.created == [], extension
        assert counts(camp) == (79, 90, 2), extension
        assert Speaker.objects.get(conference=camp, source_id="3988").name == "mo (Katzenpost)"


def ics_fields(conference, title):
    fields = session_fields(conference, title)
    return (fields["start"], fields["end"], fields["stage"], fields["speakers"], fields["links"])


def test_pretalx_ics_with_tzid_cet_imports_whole(db):
    report = import_file("pretalx-rc3.ics", "rc3-ics")

    rc3 = Conference.objects.get(slug="rc3-ics")
    # pretalx's calendar names speakers in SUMMARY only: no speaker rows, as in the file.
    assert counts(rc3) == (48, 0, 5)
    assert rc3.timezone == "Europe/Brussels"  # CET, as tzdata links it
    assert "TZID “CET” (line 23) read as Europe/Brussels." in [str(n) for n in report.notes]
    talk = "https://pretalx.rc3.studio/rc3-channels-2020/talk/"
    assert ics_fields(
        rc3, "Der faule Admin automatisiert: Gluon auf echter Hardware testen - Chris Fiege, Kasa"
    ) == (
        dt.datetime(2020, 12, 27, 10, 30, tzinfo=UTC),  # 11:30 CET
        dt.datetime(2020, 12, 27, 11, 10, tzinfo=UTC),
        "r3s - Monheim/Rhein",
        [],
        [("other", "", f"{talk}MJA8QY/")],
    )
    assert ics_fields(rc3, "Create boxes and more with a lasercutter - Florian Festi") == (
        dt.datetime(2020, 12, 27, 12, 55, tzinfo=UTC),
        dt.datetime(2020, 12, 27, 13, 35, tzinfo=UTC),
        "backspace / franconian.net - Bamberg",
        [],
        [("other", "", f"{talk}DZKNXQ/")],
    )
    assert ics_fields(rc3, "Climate Change and the Corona Pandemic - Dr. Kira Vinke") == (
        dt.datetime(2020, 12, 30, 15, 0, tzinfo=UTC),
        dt.datetime(2020, 12, 30, 15, 40, tzinfo=UTC),
        "hacc München / about:future - München",
        [],
        [("other", "", f"{talk}NCZR93/")],
    )


def test_outlook_ics_with_windows_zone_names_imports_whole(db):
    report = import_file("outlook-windows-zones.ics", "outlook")

    outlook = Conference.objects.get(slug="outlook")
    assert counts(outlook) == (4, 5, 2)
    assert outlook.timezone == "Europe/Berlin"
    notes = [str(note) for note in report.notes]
    assert "TZID “W. Europe Standard Time” (line 45) read as Europe/Berlin." in notes
    assert "TZID “Pacific Standard Time” (line 109) read as America/Los_Angeles." in notes
    assert ics_fields(outlook, "Opening Ceremony") == (
        dt.datetime(2019, 8, 21, 9, 0, tzinfo=UTC),  # 11:00 CEST
        dt.datetime(2019, 8, 21, 9, 30, tzinfo=UTC),
        "Curie",
        ["jinxx", "smtw"],
        [],
    )
    assert ics_fields(outlook, "Knoten 101")[:4] == (
        dt.datetime(2019, 8, 21, 10, 0, tzinfo=UTC),
        dt.datetime(2019, 8, 21, 10, 45, tzinfo=UTC),
        "Meitner",
        ['Lukas "cube" Hannen'],
    )
    # Written in Pacific time: 02:00 PDT is 09:00 UTC.
    assert ics_fields(outlook, "Hambacher Forst #hambibleibt")[:3] == (
        dt.datetime(2019, 8, 22, 9, 0, tzinfo=UTC),
        dt.datetime(2019, 8, 22, 9, 45, tzinfo=UTC),
        "Meitner",
    )
