"""iCalendar fields beyond times: refresh durations, track and type, links."""

from conference.models import Conference, SessionType
from schedule.formats import FORMATS
from schedule.importing import import_schedule
from schedule.models import SessionLink
from tests.schedule.formats.conftest import export, snapshot


def unfolded_lines(body):
    return body.replace(b"\r\n ", b"").split(b"\r\n")


def test_refresh_interval_and_published_ttl_are_rfc_5545_durations(client, demo_conference):
    lines = unfolded_lines(export(client, demo_conference, "ics"))

    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert b"X-PUBLISHED-TTL:PT1H" in lines
    assert not [line for line in lines if b"1:00:00" in line]


def test_ics_round_trip_keeps_a_type_without_track_as_the_type(client, demo_conference):
    # A type that is no known type name, which CATEGORIES alone would make the track.
    session = demo_conference.sessions.order_by("start").first()
    session.session_type = SessionType.objects.create(
        conference=demo_conference, name="Deep dive", slug="deep-dive"
    )
    session.track = None
    session.save()
    body = export(client, demo_conference, "ics")

    report = import_schedule(conference_slug="copy", source=body, dry_run=False)

    assert report.rejected == []
    copy = Conference.objects.get(slug="copy")
    assert snapshot(copy) == snapshot(demo_conference)
    copied = copy.sessions.get(title=session.title, start=session.start)
    assert (copied.track, copied.session_type.name) == (None, "Deep dive")


def test_our_own_feed_is_read_without_category_notes(client, demo_conference):
    imported = FORMATS["ics"].read(export(client, demo_conference, "ics"))

    assert [note for note in imported.notes if "CATEGORIES" in note.message] == []


def foreign_calendar(events, prodid="-//Other tool//EN"):
    body = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{prodid}\r\nX-WR-TIMEZONE:UTC\r\n"
    for number, lines in enumerate(events, start=1):
        body += (
            f"BEGIN:VEVENT\r\nUID:e{number}@example.com\r\nSUMMARY:Talk {number}\r\n"
            f"DTSTART:2026040{number}T100000Z\r\nDTEND:2026040{number}T110000Z\r\n"
            + "".join(line + "\r\n" for line in lines)
            + "END:VEVENT\r\n"
        )
    return (body + "END:VCALENDAR\r\n").encode()


def test_foreign_categories_split_by_type_names_is_noted_once_per_rule():
    data = foreign_calendar(
        [
            ["CATEGORIES:Security"],
            ["CATEGORIES:Compilers"],
            ["CATEGORIES:Security,Workshop"],
            ["CATEGORIES:Security,Deep dive"],
        ]
    )

    imported = FORMATS["ics"].read(data)

    assert [(s.track, s.session_type) for s in imported.sessions] == [
        ("Security", ""),
        ("Compilers", ""),
        ("Security", "Workshop"),
        ("Security", "Deep dive"),
    ]
    assert [str(note) for note in imported.notes if "CATEGORIES" in note.message] == [
        "line 5, VEVENT 1 (UID e1@example.com): CATEGORIES without a known session type name "
        "were read as the track (2 events, such as “Security”; the first is here).",
        "line 19, VEVENT 3 (UID e3@example.com): CATEGORIES naming a known session type were "
        "read as the type, another category as the track (1 event, such as “Security, "
        "Workshop”; the first is here).",
        "line 26, VEVENT 4 (UID e4@example.com): CATEGORIES of two names, neither a known "
        "session type, were read as track then type, the order our own feeds write them "
        "(1 event, such as “Security, Deep dive”; the first is here).",
    ]


def test_explicit_track_and_type_win_over_disagreeing_categories_with_a_note():
    data = foreign_calendar(
        [["CATEGORIES:Talk,Security", "X-CONFSCHEDULE-TRACK:Security", "X-CONFSCHEDULE-TYPE:Panel"]]
    )

    imported = FORMATS["ics"].read(data)

    assert (imported.sessions[0].track, imported.sessions[0].session_type) == ("Security", "Panel")
    assert [str(note) for note in imported.notes if "CATEGORIES" in note.message] == [
        "line 5, VEVENT 1 (UID e1@example.com): CATEGORIES “Talk, Security” disagree with "
        "X-CONFSCHEDULE-TRACK “Security” and X-CONFSCHEDULE-TYPE “Panel”: the "
        "X-CONFSCHEDULE-TRACK and X-CONFSCHEDULE-TYPE properties win."
    ]


def test_url_and_attach_become_links_and_a_binary_attach_is_left_out_with_a_note():
    data = foreign_calendar(
        [
            [
                "URL:https://talks.example.com/t/1",
                'ATTACH;FMTTYPE=application/pdf;LABEL="Slides, part 1":https://example.com/s.pdf',
                "ATTACH;X-CONFSCHEDULE-KIND=video:https://media.example.com/v/1",
                "ATTACH;ENCODING=BASE64;VALUE=BINARY;FMTTYPE=text/plain:aGVsbG8=",
            ]
        ]
    )

    imported = FORMATS["ics"].read(data)

    assert [(link.url, link.title, link.kind) for link in imported.sessions[0].links] == [
        ("https://talks.example.com/t/1", "", ""),
        ("https://example.com/s.pdf", "Slides, part 1", ""),
        ("https://media.example.com/v/1", "", "video"),
    ]
    assert [str(note) for note in imported.notes if "ATTACH" in note.message] == [
        "line 5, VEVENT 1 (UID e1@example.com): An ATTACH holds a file rather than an address: "
        "it is left out."
    ]


def test_own_feed_url_is_the_session_page_not_a_link():
    data = foreign_calendar(
        [["URL:https://schedule.example.com/conf/sessions/talk-1/"]],
        prodid="-//Conference Schedule//Schedule 1.0//EN",
    )

    assert FORMATS["ics"].read(data).sessions[0].links == []


def test_session_links_written_as_attach_read_back_the_same(client, demo_conference):
    session = demo_conference.sessions.order_by("start").first()
    written = [
        ("https://example.com/slides.pdf", "Slides: “intro”, part 1", "slides"),
        ("https://media.example.com/v/42", "", "video"),
        ("https://example.com/project", "Project; site", "other"),
    ]
    for position, (url, title, kind) in enumerate(written):
        SessionLink.objects.create(
            session=session, url=url, title=title, kind=kind, position=position
        )

    imported = FORMATS["ics"].read(export(client, demo_conference, "ics"))

    read_back = next(s for s in imported.sessions if s.key.startswith(str(session.uuid)))
    assert [(link.url, link.title, link.kind) for link in read_back.links] == written
