"""Who and where a file means by its own ids, and the links of its sessions, read and written."""

import csv
import io
import json
from pathlib import Path

import pytest

from schedule.formats import base, c3voc_json, csv_format, frab_xml, icalendar_format
from schedule.models import Session, SessionLink
from tests.schedule.formats.conftest import DATA, export, json_errors, xml_schema

EXCHANGE = Path(__file__).parents[3] / "fixtures" / "exchange"
DEMOCON = Path("/work/shared/formats/examples/pretalx-democon.json")


def read_fixture(name):
    return c3voc_json.read((EXCHANGE / name).read_bytes())


def session_with_id(result, event_id):
    return next(s for s in result.sessions if s.where.endswith(f"(id {event_id})"))


def json_document(event, *, rooms=(), tracks=(), base_url=None):
    """A schedule.json with one event on one day in Room A."""
    schedule = {
        "version": "1",
        "conference": {
            "acronym": "test",
            "title": "Test",
            "rooms": list(rooms),
            "tracks": list(tracks),
            "days": [{"index": 1, "date": "2026-04-07", "rooms": {"Room A": [event]}}],
        },
    }
    if base_url:
        schedule["base_url"] = base_url
    return json.dumps({"schedule": schedule}).encode()


EVENT = {
    "id": 7,
    "guid": "7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01",
    "date": "2026-04-07T10:00:00+02:00",
    "duration": "00:30",
    "room": "Room A",
    "title": "Hello",
}


def test_camp2019_reads_79_sessions_with_90_distinct_speaker_ids():
    result = read_fixture("frab-camp2019.json")

    assert result.problems == []
    assert len(result.sessions) == 79
    speaker_ids = {speaker.source_id for s in result.sessions for speaker in s.speakers}
    assert len(speaker_ids) == 90
    assert "" not in speaker_ids


def test_camp2019_keeps_mo_and_Mo_apart_by_their_frab_person_ids():
    result = read_fixture("frab-camp2019.json")

    named_mo = {
        (speaker.name, speaker.source_id)
        for session in result.sessions
        for speaker in session.speakers
        if speaker.name.lower() == "mo"
    }

    assert named_mo == {("mo", "3988"), ("Mo", "9029")}


def test_pretalx_rc3_reads_48_sessions_and_keeps_person_codes_over_ids():
    result = read_fixture("pretalx-rc3.json")

    assert result.problems == []
    assert len(result.sessions) == 48
    gluon = session_with_id(result, 15)
    # The persons carry both "id" 20/21 and "code": the code wins.
    assert [(s.name, s.source_id) for s in gluon.speakers] == [
        ("Chris Fiege", "SCD9VJ"),
        ("Kasa", "MCQKPV"),
    ]


def test_pretalx_persons_keep_their_biography():
    result = c3voc_json.read(DEMOCON.read_bytes())

    speaker = session_with_id(result, 25).speakers[0]

    assert (speaker.name, speaker.source_id) == ("Brian Robinson", "NQTF8Y")
    assert speaker.bio.startswith("Break through direction. Power cultural most should.")


def test_rooms_sharing_one_guid_are_matched_by_name_with_a_note():
    result = c3voc_json.read(DEMOCON.read_bytes())

    assert {(s.stage, s.stage_id) for s in result.sessions} == {("Gray Room", ""), ("Tan Room", "")}
    assert [str(note) for note in result.notes] == [
        "schedule.conference.rooms: the id “b379c473-93b9-4eae-9a09-d482e86cede3” is given to "
        "“Gray Room”, “Tan Room”; they are matched by name instead."
    ]


def test_json_room_and_track_ids_come_from_the_conference_lists():
    data = json_document(
        EVENT | {"track": "Security", "persons": [{"id": 5, "guid": "g-5", "public_name": "Ana"}]},
        rooms=[{"name": "Room A", "guid": "3f1c9d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f"}],
        tracks=[{"name": "Security", "id": 12}],
    )

    session = c3voc_json.read(data).sessions[0]

    assert (session.stage_id, session.track_id) == ("3f1c9d2e-8a7b-4c6d-9e0f-1a2b3c4d5e6f", "12")
    assert session.speakers[0].source_id == "g-5"


def test_xml_person_guid_wins_over_its_id_and_rooms_keep_their_guid():
    result = frab_xml.read((DATA / "pretalx-schedule.xml").read_bytes())

    opening = next(s for s in result.sessions if s.title == "Opening")
    supply_chain = next(s for s in result.sessions if s.title.startswith("Supply-chain"))
    assert [sp.source_id for sp in opening.speakers] == ["c0a80101-0000-5000-8000-000000000501"]
    assert [sp.source_id for sp in supply_chain.speakers] == ["502", "503"]
    assert {(s.stage, s.stage_id) for s in result.sessions} == {
        ("HS1", "2d4e1f1a-7b7c-5b9f-9d8e-0c1b2a3f4e5d"),
        ("HS 2", ""),
    }


def test_camp2019_event_10370_has_three_links_and_two_attachments_on_the_frab_host():
    session = session_with_id(read_fixture("frab-camp2019.json"), 10370)

    assert [(link.url, link.title, link.kind) for link in session.links] == [
        ("https://rebellion.earth/", "rebellion.earth", ""),
        ("https://extinctionrebellion.de/", "extinctionrebellion.de", ""),
        ("https://twitter.com/xrberlin", "twitter.com/xrberlin", ""),
        (
            "https://fahrplan.events.ccc.de/system/event_attachments/attachments/000/003/786/"
            "original/XR_CCC_2019_Praese_03.pdf?1566384611",
            "XR_CCCamp19_AufstandOderAussterben_Presentation",
            "",
        ),
        (
            "https://fahrplan.events.ccc.de/system/event_attachments/attachments/000/003/787/"
            "original/XR_CCC_2019_Talk_03.pdf?1566384611",
            "XR_CCCamp19_AufstandOderAussterben_Text",
            "",
        ),
    ]


def test_camp2019_link_without_a_scheme_is_left_out_with_a_note():
    result = read_fixture("frab-camp2019.json")

    session = session_with_id(result, 10317)

    assert [link.title for link in session.links] == [
        "Nym Credential Codebase",
        "UnlimitID",
        "Coconut Signature Scheme",
    ]
    assert [str(note) for note in result.notes] == [
        "schedule.conference.days[4].rooms['Curie'][0] (id 10317): the link “nymtech.net” "
        "(Nymtech) is not an http(s) address; it is left out."
    ]


def test_pretalx_resources_become_links_resolved_against_the_event_url():
    data = json_document(
        EVENT
        | {
            "url": "https://pretalx.example.org/conf/talk/ABCDEF/",
            "resources": [
                {"resource": "/media/conf/slides.pdf", "description": "Slides"},
                {"link": "https://example.org/repo", "description": "Code"},
            ],
        }
    )

    session = c3voc_json.read(data).sessions[0]

    assert [(link.url, link.title) for link in session.links] == [
        ("https://pretalx.example.org/media/conf/slides.pdf", "Slides"),
        ("https://example.org/repo", "Code"),
    ]


def test_xml_links_and_attachments_with_their_types():
    data = b"""<schedule><version>1</version><conference><acronym>test</acronym>
    <base_url>https://frab.example.org/conf/</base_url></conference>
    <day index="1" date="2026-04-07" start="2026-04-07T04:00:00+02:00" end="2026-04-08T04:00:00+02:00">
    <room name="Room A"><event id="7" guid="7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01">
    <room>Room A</room><title>Hello</title><type>talk</type><date>2026-04-07T10:00:00+02:00</date>
    <start>10:00</start><duration>00:30</duration><abstract/><track/>
    <links><link href="https://media.example.org/v/hello" type="media">Recording</link>
    <link href="javascript:alert(1)">Bad</link></links>
    <attachments><attachment href="/attachments/hello.pdf">Deck</attachment></attachments>
    </event></room></day></schedule>"""

    result = frab_xml.read(data)

    assert [(link.url, link.title, link.kind) for link in result.sessions[0].links] == [
        ("https://media.example.org/v/hello", "Recording", "video"),
        ("https://frab.example.org/attachments/hello.pdf", "Deck", ""),
    ]
    assert [str(note) for note in result.notes] == [
        "line 4, <event id=“7”>: the link “javascript:alert(1)” (Bad) is not an http(s) "
        "address; it is left out."
    ]


def test_csv_links_column_reads_kind_title_and_address_per_line():
    cell = (
        "[slides] The deck <https://example.org/deck.pdf>\n"
        "https://example.org/bare\n"
        "[draft] Notes <https://example.org/notes>\n"
        "Home page <example.org>"
    )
    row = dict.fromkeys(csv_format.COLUMNS, "") | {
        "title": "Hello",
        "start_utc": "2026-04-07T08:00:00Z",
        "end_utc": "2026-04-07T08:30:00Z",
        "links": cell,
    }
    body = csv_to_bytes([row])

    result = csv_format.read(body)

    assert [(link.url, link.title, link.kind) for link in result.sessions[0].links] == [
        ("https://example.org/deck.pdf", "The deck", "slides"),
        ("https://example.org/bare", "", ""),
        ("https://example.org/notes", "[draft] Notes", ""),
    ]
    assert [str(note) for note in result.notes] == [
        # The CSV reader names the last line of a row that spans several.
        "line 5: the link “example.org” (Home page) is not an http(s) address; it is left out."
    ]


def csv_to_bytes(rows):
    output = io.StringIO(newline="")
    writer = csv.DictWriter(output, fieldnames=csv_format.COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue().encode()


LINKS = [
    (SessionLink.Kind.SLIDES, "Slides", "https://example.org/deck.pdf"),
    (SessionLink.Kind.VIDEO, "Recording", "https://media.example.org/v/expo"),
    (SessionLink.Kind.OTHER, "", "https://example.org/project"),
]


def add_links(session):
    for position, (kind, title, url) in enumerate(LINKS):
        SessionLink.objects.create(
            session=session, kind=kind, title=title, url=url, position=position
        )


def test_exports_carry_links_and_stay_valid(client, demo_conference):
    session = Session.objects.get(conference=demo_conference, slug="community-expo")
    add_links(session)

    xml = export(client, demo_conference, "xml")
    body = export(client, demo_conference, "json")

    xml_schema().validate(xml.decode())
    assert json_errors(body) == []
    events = [
        event
        for day in json.loads(body)["schedule"]["conference"]["days"]
        for room in day["rooms"].values()
        for event in room
    ]
    expo = next(event for event in events if event["guid"] == str(session.uuid))
    assert expo["links"] == [
        {"url": "https://example.org/deck.pdf", "title": "Slides", "type": "slides"},
        {"url": "https://media.example.org/v/expo", "title": "Recording", "type": "media"},
        {"url": "https://example.org/project", "title": ""},
    ]


READERS = {
    "xml": frab_xml.read,
    "json": c3voc_json.read,
    "csv": csv_format.read,
    "ics": icalendar_format.read,
}


@pytest.mark.parametrize(
    ("extension", "other_kind"),
    # Only the CSV column can say "other": the schemas have no type for it, the import guesses.
    [("xml", ""), ("json", ""), ("csv", "other")],
)
def test_each_export_reads_back_with_its_links(client, demo_conference, extension, other_kind):
    session = Session.objects.get(conference=demo_conference, slug="community-expo")
    add_links(session)

    result = READERS[extension](export(client, demo_conference, extension))

    imported = next(s for s in result.sessions if s.key == str(session.uuid))
    assert [(link.url, link.title, link.kind) for link in imported.links] == [
        ("https://example.org/deck.pdf", "Slides", "slides"),
        ("https://media.example.org/v/expo", "Recording", "video"),
        ("https://example.org/project", "", other_kind),
    ]


@pytest.mark.parametrize("extension", ["xml", "json", "csv", "ics"])
def test_own_export_reads_back_with_speaker_and_stage_guids(client, demo_conference, extension):
    session = Session.objects.get(conference=demo_conference, slug="community-expo")
    guids = [
        str(base.person_guid(demo_conference, link.speaker)) for link in session.speaker_links.all()
    ]

    result = READERS[extension](export(client, demo_conference, extension))

    # A calendar's UID is the UUID at our domain.
    imported = next(s for s in result.sessions if s.key.split("@")[0] == str(session.uuid))
    assert [speaker.source_id for speaker in imported.speakers] == guids
    assert imported.stage_id == str(base.stage_guid(demo_conference, session.stage))


@pytest.mark.parametrize("extension", ["xml", "json", "csv", "ics"])
def test_stages_whose_names_differ_in_accents_alone_import_back_as_two(
    client, demo_conference, extension
):
    from schedule.importing import import_schedule

    first, second = Session.objects.filter(conference=demo_conference).order_by("start")[:2]
    first.stage.name, second.stage.name = "Salle E", "Salle É"
    first.stage.save()
    second.stage.save()

    report = import_schedule(
        conference_slug="copy", source=export(client, demo_conference, extension), dry_run=False
    )

    assert report.rejected == []
    copied = {s.title: s.stage.name for s in Session.objects.filter(conference__slug="copy")}
    assert (copied[first.title], copied[second.title]) == ("Salle E", "Salle É")
