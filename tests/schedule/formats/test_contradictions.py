"""An event that says one thing twice and differently is imported with a note naming the place,
both values and the one used; never silently."""

import datetime as dt
import json

from schedule.formats import c3voc_json, frab_xml

JSON_WHERE = "schedule.conference.days[0].rooms['Room A'][0] (id 7)"
EVENT = {
    "id": 7,
    "guid": "7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01",
    "date": "2026-04-07T10:00:00+02:00",
    "start": "10:00",
    "duration": "00:30",
    "room": "Room A",
    "title": "Hello",
}
DAY = {
    "index": 1,
    "date": "2026-04-07",
    "day_start": "2026-04-07T04:00:00+02:00",
    "day_end": "2026-04-08T03:59:00+02:00",
}


def read_json(event, day=DAY):
    """One event in Room A on one day."""
    conference = {
        "acronym": "test",
        "title": "Test",
        "days": [day | {"rooms": {"Room A": [EVENT | event]}}],
    }
    return c3voc_json.read(json.dumps({"schedule": {"version": "1", "conference": conference}}))


def read_xml(event_fields, *, room="Room A"):
    """One event, on line 4, under <room name="Room A">; event_fields overrides its elements."""
    fields = {
        "room": "Room A",
        "title": "Hello",
        "type": "talk",
        "date": "2026-04-07T10:00:00+02:00",
        "start": "10:00",
        "duration": "00:30",
    } | event_fields
    elements = "".join(f"<{name}>{value}</{name}>" for name, value in fields.items())
    return frab_xml.read(
        f"""<schedule><version>1</version><conference><acronym>test</acronym></conference>
<day index="1" date="2026-04-07" start="2026-04-07T04:00:00+02:00" end="2026-04-08T03:59:00+02:00">
<room name="{room}">
<event id="7" guid="7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01">{elements}</event>
</room></day></schedule>""".encode()
    )


def notes(result):
    return [str(note) for note in result.notes]


def test_event_that_agrees_with_itself_is_read_without_a_note():
    assert notes(read_json({})) == []
    assert notes(read_xml({})) == []


def test_json_start_25_00_is_noted_and_date_wins():
    result = read_json({"start": "25:00"})

    assert notes(result) == [
        f"{JSON_WHERE}: “start” “25:00” disagrees with “date” “2026-04-07T10:00:00+02:00” "
        "(10:00 there); “date” is used."
    ]
    assert result.sessions[0].start == dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)


def test_json_start_unlike_date_is_noted():
    result = read_json({"start": "11:15"})

    assert notes(result) == [
        f"{JSON_WHERE}: “start” “11:15” disagrees with “date” “2026-04-07T10:00:00+02:00” "
        "(10:00 there); “date” is used."
    ]


def test_json_start_that_is_no_time_is_noted():
    result = read_json({"start": "noon"})

    assert notes(result) == [
        f"{JSON_WHERE}: “start” “noon” is not a time as HH:MM; “date” "
        "“2026-04-07T10:00:00+02:00” is used."
    ]
    assert len(result.sessions) == 1


def test_json_end_unlike_date_plus_duration_is_noted_and_end_wins():
    result = read_json({"end": "2026-04-07T11:00:00+02:00"})

    assert notes(result) == [
        f"{JSON_WHERE}: “end” “2026-04-07T11:00:00+02:00” disagrees with “date” + “duration” "
        "(2026-04-07T10:00:00+02:00 + 00:30); “end” is used."
    ]
    assert result.sessions[0].end == dt.datetime(2026, 4, 7, 9, 0, tzinfo=dt.UTC)


def test_json_event_room_unlike_its_enclosing_room_is_noted_and_its_own_room_wins():
    result = read_json({"room": "Room B"})

    assert notes(result) == [
        f"{JSON_WHERE}: “room” “Room B” differs from the room “Room A” the event is listed "
        "under; “Room B” is used."
    ]
    assert result.sessions[0].stage == "Room B"


def test_json_event_outside_its_day_is_noted():
    result = read_json({"date": "2026-04-08T10:00:00+02:00", "start": "10:00"})

    assert notes(result) == [
        f"{JSON_WHERE}: the event's date “2026-04-08T10:00:00+02:00” is not within the day it "
        "is listed under (2026-04-07T04:00:00+02:00 – 2026-04-08T03:59:00+02:00); the event's "
        "date is used."
    ]


def test_json_event_after_midnight_within_its_day_is_not_noted():
    result = read_json({"date": "2026-04-08T01:00:00+02:00", "start": "01:00"})

    assert notes(result) == []


def test_json_event_on_another_date_than_a_day_without_bounds_is_noted():
    day = {"index": 1, "date": "2026-04-07"}

    result = read_json({"date": "2026-04-08T01:00:00+02:00", "start": "01:00"}, day=day)

    assert notes(result) == [
        f"{JSON_WHERE}: the event's date “2026-04-08T01:00:00+02:00” is not within the day it "
        "is listed under (2026-04-07); the event's date is used."
    ]


def test_xml_start_25_00_is_noted_with_line_and_event_id():
    result = read_xml({"start": "25:00"})

    assert notes(result) == [
        "line 4, <event id=“7”>: <start> “25:00” disagrees with <date> "
        "“2026-04-07T10:00:00+02:00” (10:00 there); <date> is used."
    ]
    assert result.sessions[0].start == dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)


def test_xml_start_that_is_no_time_is_noted():
    result = read_xml({"start": "10h"})

    assert notes(result) == [
        "line 4, <event id=“7”>: <start> “10h” is not a time as HH:MM; <date> "
        "“2026-04-07T10:00:00+02:00” is used."
    ]


def test_xml_event_room_unlike_its_enclosing_room_is_noted():
    result = read_xml({}, room="Room B")

    assert notes(result) == [
        "line 4, <event id=“7”>: <room> “Room A” differs from the room “Room B” the event is "
        "listed under; “Room A” is used."
    ]
    assert result.sessions[0].stage == "Room A"


def test_xml_event_outside_its_day_is_noted():
    result = read_xml({"date": "2026-04-06T22:00:00+02:00", "start": "22:00"})

    assert notes(result) == [
        "line 4, <event id=“7”>: the event's date “2026-04-06T22:00:00+02:00” is not within "
        "the day it is listed under (2026-04-07T04:00:00+02:00 – 2026-04-08T03:59:00+02:00); "
        "the event's date is used."
    ]
