"""Every kind of bad file: a report that names the line or element, and nothing written."""

import json

import pytest
from django.test import override_settings

from conference.models import Conference
from schedule.importing import import_schedule
from tests.schedule.formats.conftest import export, fingerprint

CSV_HEADER = "uuid,title,start_utc,end_utc,stage,speakers\n"
ROW = "{uuid},{title},2026-04-07T08:00:00Z,2026-04-07T09:00:00Z,{stage},{speakers}\n"


def csv_rows(*rows):
    return (CSV_HEADER + "".join(ROW.format(**row) for row in rows)).encode()


def row(number, **overrides):
    return {
        "uuid": f"00000000-0000-4000-8000-{number:012d}",
        "title": f"Talk {number}",
        "stage": "Hall A",
        "speakers": "",
    } | overrides


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<schedule><version>1</version><conference><title>&xxe;</title></conference></schedule>
"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
<schedule><version>&lol2;</version></schedule>
"""
ICS_END_BEFORE_START = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
BEGIN:VEVENT\r
UID:one@example.com\r
SUMMARY:Backwards\r
DTSTART:20260407T100000Z\r
DTEND:20260407T090000Z\r
END:VEVENT\r
END:VCALENDAR\r
"""

BAD_INPUTS = {
    "claims csv but is xml": (
        b"<?xml version='1.0'?><schedule/>",
        "csv",
        "line 1",
        "given as CSV but its content is frab/c3voc schedule.xml",
    ),
    "not any format": (b"hello world\n", None, "line 1", "could not be recognised"),
    "html page": (b"<!doctype html><html></html>", None, "line 1", "not a schedule.xml"),
    "malformed xml": (
        b"<?xml version='1.0'?>\n<schedule>\n<day>\n</schedule>",
        None,
        "line 4",
        "not well-formed XML",
    ),
    "malformed json": (b'{"schedule": {\n"version": }', None, "line 2", "not valid JSON"),
    "json without conference": (b'{"foo": 1}', None, "schedule.conference", "not a c3voc"),
    "csv missing column": (
        b"uuid,title,stage\nx,Talk,Hall\n",
        "csv",
        "line 1",
        "required column(s) start_utc, end_utc",
    ),
    "csv malformed row": (
        csv_rows(row(1)) + b"00000000-0000-4000-8000-000000000002,Short row\n",
        None,
        "line 3",
        "the row has 2 cells, the header 6",
    ),
    "csv bad time": (
        CSV_HEADER.encode() + b"x,Talk,yesterday,2026-04-07T09:00:00Z,Hall,\n",
        None,
        "line 2",
        "not ISO 8601",
    ),
    "csv unknown timezone": (
        b"title,start_local,end_local,timezone\n"
        b"Talk,2026-04-07 10:00,2026-04-07 11:00,Mars/Olympus\n",
        None,
        "line 2",
        "“Mars/Olympus” is not a timezone we know",
    ),
    "csv end before start": (
        CSV_HEADER.encode() + b"x,Talk,2026-04-07T10:00:00Z,2026-04-07T09:00:00Z,Hall,\n",
        None,
        "line 2",
        "before or when it starts",
    ),
    "csv duplicate ids": (
        csv_rows(row(1), row(2), row(1, title="Again")),
        None,
        "line 4",
        "is used twice (first at line 2)",
    ),
    "csv stages collide by slug": (
        csv_rows(row(1, stage="Hall A"), row(2, stage="hall-a")),
        None,
        "line 3",
        "Stages “hall-a” and “Hall A” (line 2) collide: both become “hall-a”",
    ),
    "csv local time skipped by dst": (
        b"title,start_local,end_local,timezone\n"
        b"Talk,2026-03-29 02:30,2026-03-29 03:30,Europe/Paris\n",
        None,
        "line 2",
        "does not exist in Europe/Paris",
    ),
    "xml with external entity": (XXE, None, "line 2", "declares a DTD"),
    "xml with entity expansion": (BILLION_LAUGHS, None, "line 2", "declares a DTD"),
    "ics end before start": (
        ICS_END_BEFORE_START,
        None,
        "line 3, VEVENT 1 (UID one@example.com)",
        "DTEND (2026-04-07T09:00:00+00:00) is before or at DTSTART",
    ),
    "empty file": (b"  \n", None, "", "the file is empty"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_is_rejected_with_place_and_reason_and_nothing_written(demo_conference, name):
    data, claimed, where, message = BAD_INPUTS[name]
    before = fingerprint()

    report = import_schedule(
        conference_slug=demo_conference.slug, source=data, format=claimed, dry_run=False
    )

    assert not report.ok
    assert any(p.where.startswith(where) and message in p.message for p in report.rejected), [
        str(p) for p in report.rejected
    ]
    assert fingerprint() == before


def test_bad_input_into_new_conference_creates_no_conference(db):
    before = fingerprint()

    report = import_schedule(conference_slug="new", source=csv_rows(row(1), row(1)), dry_run=False)

    assert [str(p) for p in report.rejected] == [
        "line 3: the id “00000000-0000-4000-8000-000000000001” is used twice (first at line 2)."
    ]
    assert fingerprint() == before


def test_json_event_with_end_before_start_is_named_by_its_path(client, demo_conference):
    document = json.loads(export(client, demo_conference, "json"))
    event = document["schedule"]["conference"]["days"][0]["rooms"]["Master Stage"][1]
    event["end"] = "2026-04-07T08:00:00+02:00"
    before = fingerprint()

    report = import_schedule(
        conference_slug=demo_conference.slug, source=json.dumps(document), dry_run=False
    )

    assert [p.where for p in report.rejected] == [
        f"schedule.conference.days[0].rooms['Master Stage'][1] (id {event['id']})"
    ]
    assert fingerprint() == before


def test_xml_with_unknown_timezone_names_the_element(client, demo_conference):
    body = export(client, demo_conference, "xml").replace(
        b"<time_zone_name>Europe/Paris<", b"<time_zone_name>Mars/Olympus<"
    )
    before = fingerprint()

    report = import_schedule(conference_slug="mars", source=body, dry_run=False)

    assert [str(p) for p in report.rejected] == [
        "<conference><time_zone_name>: “Mars/Olympus” is not a timezone we know."
    ]
    assert fingerprint() == before


def test_xml_event_without_date_offset_names_its_line(client, demo_conference):
    body = export(client, demo_conference, "xml").replace(
        b"<date>2026-04-07T09:00:00+02:00</date>", b"<date>2026-04-07T09:00:00</date>", 1
    )
    line = body[: body.index(b"<date>2026-04-07T09:00:00</date>")].count(b"\n") + 1

    report = import_schedule(conference_slug=demo_conference.slug, source=body, dry_run=False)

    assert len(report.rejected) == 1
    problem = report.rejected[0]
    assert problem.where.startswith("line ")
    # The event element starts a few lines above its <date>.
    assert 0 < line - int(problem.where.split()[1].rstrip(",")) < 12
    assert "is not a date and time with a UTC offset" in problem.message


@override_settings(IMPORT_MAX_BYTES=1000)
def test_file_over_the_size_limit_is_rejected(client, demo_conference):
    before = fingerprint()

    report = import_schedule(
        conference_slug=demo_conference.slug,
        source=export(client, demo_conference, "csv"),
        dry_run=False,
    )

    assert [str(p) for p in report.rejected] == [
        "the file is larger than the limit of 1000\xa0bytes."
    ]
    assert fingerprint() == before


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xfe\x00garbage",
        b"title,start_utc,end_utc\n\xe9t\xe9,2026-04-07T08:00:00Z,2026-04-07T09:00:00Z\n",
        b"[1, 2, 3]",
        b'{"schedule": {"conference": {"days": [{"rooms": {"A": [1]}}]}}}',
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\nEND:VEVENT\r\n",
        b"<schedule><day><room name='A'><event id='1'/></room></day></schedule>",
    ],
)
def test_garbage_gives_a_report_not_an_exception(demo_conference, data):
    before = fingerprint()

    report = import_schedule(conference_slug=demo_conference.slug, source=data, dry_run=False)

    assert not report.ok
    assert fingerprint() == before


def test_import_into_a_slug_the_site_reserves_is_rejected(db):
    report = import_schedule(conference_slug="admin", source=csv_rows(row(1)), dry_run=False)

    assert [p.where for p in report.rejected] == ["admin"]
    assert fingerprint()[1] == 0


@pytest.mark.parametrize(
    "data",
    [
        b"<schedule/>",
        b'{"schedule": {"version": "1", "conference": {"days": []}}}',
        b"title,start_utc,end_utc\n",
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
    ],
)
def test_a_file_with_no_conference_and_no_sessions_is_refused_and_creates_nothing(db, data):
    report = import_schedule(conference_slug="empty", source=data, dry_run=False)

    assert not report.ok
    assert "names no conference and lists no sessions" in str(report.rejected[0])
    assert not Conference.objects.filter(slug="empty").exists()
