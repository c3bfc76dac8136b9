"""iCalendar TZIDs as other tools write them: pretalx's CET, Outlook's Windows names, Mozilla's
globally unique ids, custom TZIDs with only a VTIMEZONE, and a zone far from UTC across a DST change."""

import datetime as dt
from pathlib import Path

from conference import timezones
from conference.models import Conference
from schedule.formats import FORMATS
from schedule.importing import import_schedule

UTC = dt.UTC
EXCHANGE = Path(__file__).resolve().parents[3] / "fixtures" / "exchange"


def calendar(vtimezone, events, header=""):
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + header + vtimezone
    for number, (tzid, start, end) in enumerate(events, start=1):
        body += (
            f"BEGIN:VEVENT\r\nUID:event-{number}@example.com\r\nSUMMARY:Talk {number}\r\n"
            f"DTSTART;TZID={tzid}:{start}\r\nDTEND;TZID={tzid}:{end}\r\nEND:VEVENT\r\n"
        )
    return (body + "END:VCALENDAR\r\n").encode()


def vtimezone(tzid, standard, daylight=None):
    """A VTIMEZONE body: (offset from, offset to, DTSTART, RRULE) for each observance."""
    text = f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n"
    for name, rule in (("STANDARD", standard), ("DAYLIGHT", daylight)):
        if rule:
            offset_from, offset_to, start, rrule = rule
            text += (
                f"BEGIN:{name}\r\nDTSTART:{start}\r\nRRULE:{rrule}\r\n"
                f"TZOFFSETFROM:{offset_from}\r\nTZOFFSETTO:{offset_to}\r\nEND:{name}\r\n"
            )
    return text + "END:VTIMEZONE\r\n"


CENTRAL_EUROPE = (
    ("+0200", "+0100", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
    ("+0100", "+0200", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
)
# Australian Eastern time: DST ends on the first Sunday of April, starts on the first of October.
AUSTRALIA_EAST = (
    ("+1100", "+1000", "19700405T030000", "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU"),
    ("+1000", "+1100", "19701004T020000", "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU"),
)


def starts(conference):
    return [s.start for s in conference.sessions.order_by("start")]


def local_ranges(conference):
    clock = timezones.LocalClock(conference.zone)
    return [clock.range(s.start, s.end) for s in conference.sessions.order_by("start")]


def test_pretalx_ics_with_tzid_cet_keeps_local_times_in_a_central_european_conference(client, db):
    data = (EXCHANGE / "pretalx-rc3.ics").read_bytes()

    report = import_schedule(conference_slug="rc3", source=data, dry_run=False)

    assert report.rejected == []
    assert len(report.created) == 48
    conference = Conference.objects.get(slug="rc3")
    # CET is a legacy alias: tzdata links it to Europe/Brussels, which has its rules.
    assert conference.timezone == "Europe/Brussels"
    first = conference.sessions.order_by("start").first()
    assert first.title.startswith("Der faule Admin automatisiert")
    assert (first.start, first.end) == (
        dt.datetime(2020, 12, 27, 10, 30, tzinfo=UTC),
        dt.datetime(2020, 12, 27, 11, 10, tzinfo=UTC),
    )
    assert local_ranges(conference)[0] == "11:30–12:10"
    page = client.get("/rc3/schedule/2020-12-27/").content.decode()
    assert "11:30" in page


def test_pretalx_ics_notes_say_how_cet_was_read_and_which_zone_was_chosen():
    imported = FORMATS["ics"].read((EXCHANGE / "pretalx-rc3.ics").read_bytes())

    assert [str(note) for note in imported.notes] == [
        "TZID “CET” (line 23) read as Europe/Brussels.",
        "The conference timezone is Europe/Brussels, the zone of TZID “CET”, which 48 of 48 "
        "events start in.",
    ]
    assert {session.offset for session in imported.sessions} == {dt.timedelta(hours=1)}


def test_outlook_windows_zone_names_read_as_iana_zones(db):
    data = (EXCHANGE / "outlook-windows-zones.ics").read_bytes()

    report = import_schedule(conference_slug="camp", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="camp")
    assert conference.timezone == "Europe/Berlin"
    assert starts(conference) == [
        dt.datetime(2019, 8, 21, 9, 0, tzinfo=UTC),
        dt.datetime(2019, 8, 21, 10, 0, tzinfo=UTC),
        # 02:00 in California (PDT) is 09:00 UTC and 11:00 at the camp.
        dt.datetime(2019, 8, 22, 9, 0, tzinfo=UTC),
        dt.datetime(2019, 8, 22, 10, 0, tzinfo=UTC),
    ]
    assert local_ranges(conference) == ["11:00–11:30", "12:00–12:45", "11:00–11:45", "12:00–12:45"]


def test_outlook_notes_name_each_windows_zone_and_its_line():
    imported = FORMATS["ics"].read((EXCHANGE / "outlook-windows-zones.ics").read_bytes())

    assert [str(note) for note in imported.notes if note.message.startswith(("TZID", "The"))] == [
        "TZID “W. Europe Standard Time” (line 45) read as Europe/Berlin.",
        "TZID “Pacific Standard Time” (line 109) read as America/Los_Angeles.",
        "The conference timezone is Europe/Berlin, the zone of TZID “W. Europe Standard Time”, "
        "which 3 of 4 events start in.",
    ]
    assert [s.offset for s in imported.sessions] == [
        dt.timedelta(hours=2),
        dt.timedelta(hours=2),
        dt.timedelta(hours=2),
        dt.timedelta(hours=-7),
    ]


def test_mozilla_globally_unique_tzid_reads_as_the_iana_zone_it_ends_with(db):
    tzid = "/mozilla.org/20070129_1/Europe/Berlin"
    data = calendar(
        vtimezone(tzid, *CENTRAL_EUROPE), [(tzid, "20260407T100000", "20260407T110000")]
    )

    report = import_schedule(conference_slug="moz", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="moz")
    assert conference.timezone == "Europe/Berlin"
    assert starts(conference) == [dt.datetime(2026, 4, 7, 8, 0, tzinfo=UTC)]
    assert local_ranges(conference) == ["10:00–11:00"]
    notes = [str(note) for note in FORMATS["ics"].read(data).notes]
    assert notes[0] == f"TZID “{tzid}” (line 22) read as Europe/Berlin."


def test_custom_tzid_with_only_a_vtimezone_takes_the_zone_its_rules_and_city_name(db):
    tzid = '"Custom: Paris"'
    data = calendar(
        vtimezone("Custom: Paris", *CENTRAL_EUROPE),
        # Either side of the change to summer time on 29 March 2026.
        [
            (tzid, "20260328T100000", "20260328T110000"),
            (tzid, "20260330T100000", "20260330T110000"),
        ],
    )

    report = import_schedule(conference_slug="custom", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="custom")
    assert conference.timezone == "Europe/Paris"
    assert starts(conference) == [
        dt.datetime(2026, 3, 28, 9, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
    ]
    assert local_ranges(conference) == ["10:00–11:00", "10:00–11:00"]
    assert [str(note) for note in FORMATS["ics"].read(data).notes] == [
        "TZID “Custom: Paris” (line 22) is not a timezone name we know: its times are read with "
        "its VTIMEZONE’s rules, which Europe/Paris follows at every event and on every day of "
        "the file.",
        "The conference timezone is Europe/Paris, the zone of TZID “Custom: Paris”, which 2 of 2 "
        "events start in.",
    ]


def test_custom_tzid_far_from_utc_across_the_end_of_daylight_saving_time(db):
    tzid = '"Sydney office"'
    data = calendar(
        vtimezone("Sydney office", *AUSTRALIA_EAST),
        # Sydney's clocks go back at 03:00 on Sunday 5 April 2026: +11 before, +10 after.
        [
            (tzid, "20260404T100000", "20260404T110000"),
            (tzid, "20260406T100000", "20260406T110000"),
        ],
    )

    report = import_schedule(conference_slug="sydney", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="sydney")
    # Melbourne, Sydney and Hobart share these rules; the TZID names the city.
    assert conference.timezone == "Australia/Sydney"
    assert starts(conference) == [
        dt.datetime(2026, 4, 3, 23, 0, tzinfo=UTC),
        dt.datetime(2026, 4, 6, 0, 0, tzinfo=UTC),
    ]
    assert local_ranges(conference) == ["10:00–11:00", "10:00–11:00"]
    assert [s.offset for s in FORMATS["ics"].read(data).sessions] == [
        dt.timedelta(hours=11),
        dt.timedelta(hours=10),
    ]


def test_windows_name_without_vtimezone_far_from_utc_across_a_dst_change(db):
    tzid = '"AUS Eastern Standard Time"'
    data = calendar(
        "",
        [
            (tzid, "20261003T100000", "20261003T110000"),
            (tzid, "20261005T100000", "20261005T110000"),
        ],
    )

    report = import_schedule(conference_slug="aus", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="aus")
    assert conference.timezone == "Australia/Sydney"
    # Summer time starts at 02:00 on Sunday 4 October 2026: +10 before, +11 after.
    assert starts(conference) == [
        dt.datetime(2026, 10, 3, 0, 0, tzinfo=UTC),
        dt.datetime(2026, 10, 4, 23, 0, tzinfo=UTC),
    ]


def test_vtimezone_that_disagrees_with_the_zone_its_tzid_names_wins_for_the_instants():
    # A file that calls fixed UTC+3 "Europe/Berlin": its own rules give the instants.
    data = calendar(
        vtimezone("Europe/Berlin", ("+0300", "+0300", "19700101T000000", "FREQ=YEARLY")),
        [("Europe/Berlin", "20260407T100000", "20260407T110000")],
    )

    imported = FORMATS["ics"].read(data)

    assert imported.problems == []
    assert imported.sessions[0].start == dt.datetime(2026, 4, 7, 7, 0, tzinfo=UTC)
    assert str(imported.notes[0]) == (
        "TZID “Europe/Berlin” (line 16) names Europe/Berlin, but its VTIMEZONE gives other UTC "
        "offsets on the events’ dates: its times are read with the VTIMEZONE’s rules."
    )


def test_same_custom_tzid_in_two_files_is_read_with_each_files_own_rules():
    tzid = "Office"
    plus_three = calendar(
        vtimezone(tzid, ("+0300", "+0300", "19700101T000000", "FREQ=YEARLY")),
        [(tzid, "20260407T100000", "20260407T110000")],
    )
    minus_five = calendar(
        vtimezone(tzid, ("-0500", "-0500", "19700101T000000", "FREQ=YEARLY")),
        [(tzid, "20260407T100000", "20260407T110000")],
    )

    first = FORMATS["ics"].read(plus_three)
    second = FORMATS["ics"].read(minus_five)

    assert first.sessions[0].start == dt.datetime(2026, 4, 7, 7, 0, tzinfo=UTC)
    assert second.sessions[0].start == dt.datetime(2026, 4, 7, 15, 0, tzinfo=UTC)


def test_tzid_neither_known_nor_defined_is_rejected_at_its_event(db):
    data = calendar(
        "",
        [("Somewhere Standard Time", "20260407T100000", "20260407T110000")],
        header="X-WR-CALNAME:Nowhere\r\n",
    )

    report = import_schedule(conference_slug="nowhere", source=data, dry_run=False)

    assert [str(problem) for problem in report.rejected] == [
        f"line 5, VEVENT 1 (UID event-1@example.com): {name} has TZID “Somewhere Standard "
        "Time”, which is neither a timezone we know nor defined by a VTIMEZONE in the file."
        for name in ("DTSTART", "DTEND")
    ]
    assert not Conference.objects.filter(slug="nowhere").exists()


def test_x_wr_timezone_wins_and_a_contradicting_tzid_is_noted(db):
    data = calendar(
        "",
        [("America/New_York", "20260407T100000", "20260407T110000")],
        header="X-WR-TIMEZONE:Europe/Lisbon\r\n",
    )

    report = import_schedule(conference_slug="lisbon", source=data, dry_run=False)

    assert report.rejected == []
    conference = Conference.objects.get(slug="lisbon")
    assert conference.timezone == "Europe/Lisbon"
    assert starts(conference) == [dt.datetime(2026, 4, 7, 14, 0, tzinfo=UTC)]
    assert [str(note) for note in FORMATS["ics"].read(data).notes] == [
        "TZID “America/New_York” (line 8) read as America/New_York.",
        "The conference timezone is Europe/Lisbon, from X-WR-TIMEZONE (line 4).",
        "X-WR-TIMEZONE “Europe/Lisbon” (line 4) disagrees with TZID “America/New_York” (line 8): "
        "events with that TZID keep the times it gives, and the conference timezone stays "
        "Europe/Lisbon.",
    ]


def test_legacy_alias_tzid_becomes_the_location_zone_tzdata_links_it_to(db):
    data = calendar("", [("US/Pacific", "20260407T100000", "20260407T110000")])

    report = import_schedule(conference_slug="pacific", source=data, dry_run=False)

    assert report.rejected == []
    assert Conference.objects.get(slug="pacific").timezone == "America/Los_Angeles"
    assert starts(Conference.objects.get(slug="pacific")) == [
        dt.datetime(2026, 4, 7, 17, 0, tzinfo=UTC)
    ]
