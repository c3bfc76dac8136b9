"""iCalendar: reading .ics files such as Sched's all.ics; writing is schedule/ics.py's.

A VEVENT becomes a session: SUMMARY the title, DTSTART/DTEND the times (UTC, with a TZID, or
floating, which means the conference's timezone), LOCATION the stage once a trailing venue and
city shared by the events are stripped, DESCRIPTION the abstract, CATEGORIES the track or the
type, UID the key that a later import matches.
"""

import datetime as dt
import re

from django.utils.translation import gettext as _
from icalendar import Calendar

from conference import timezones
from schedule import ics
from schedule.formats import base

CONTENT_TYPE = "text/calendar; charset=utf-8"
SPEAKERS_LINE = re.compile(r"^Speakers: (.+)$")


def read(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise base.FormatError(_("the file is not UTF-8 text.")) from error
    try:
        document = Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as error:
        raise base.FormatError(
            _("not a valid iCalendar file (%(error)s).") % {"error": error}
        ) from error
    lines = [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]
    result = base.ImportedSchedule(format="ics")
    result.title = base.text(document.get("X-WR-CALNAME"))
    result.timezone = base.text(document.get("X-WR-TIMEZONE"))
    if not result.timezone:
        known = set(timezones.timezone_names())
        result.timezone = next(
            (
                str(zone["TZID"])
                for zone in document.walk("VTIMEZONE")
                if str(zone.get("TZID")) in known
            ),
            "",
        )
    events = document.walk("VEVENT")
    locations = strip_shared_suffix([base.text(event.get("LOCATION")) for event in events])
    for number, (event, location) in enumerate(zip(events, locations, strict=True)):
        line = lines[number] if number < len(lines) else "?"
        where = _("line %(line)s, VEVENT %(number)s (UID %(uid)s)") % {
            "line": line,
            "number": number + 1,
            "uid": base.text(event.get("UID")) or "?",
        }
        session = read_event(event, location, where, result)
        if session is not None:
            result.sessions.append(session)
    return result


def read_event(event, location, where, result):
    problems = []
    uid = base.text(event.get("UID"))
    title = base.text(event.get("SUMMARY"))
    if not uid:
        problems.append(_("UID is missing."))
    if not title:
        problems.append(_("SUMMARY is missing or empty."))
    start = instant(event, "DTSTART", problems)
    end = instant(event, "DTEND", problems) if event.get("DTEND") else None
    if end is None and start is not None and event.get("DURATION"):
        end = start + event.decoded("DURATION")
    if start is not None and end is None and not problems:
        problems.append(_("DTEND (or DURATION) is missing."))
    if start is not None and end is not None and (start.tzinfo is None) != (end.tzinfo is None):
        problems.append(_("DTSTART and DTEND mix floating and UTC times."))
    elif start is not None and end is not None and end <= start:
        problems.append(
            _("DTEND (%(end)s) is before or at DTSTART (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()}
        )
    if result.reject_all(where, problems):
        return None
    categories = []
    for value in event.get("CATEGORIES") or ():
        categories += [base.text(category) for category in getattr(value, "cats", [value])]
    track, session_type = split_categories([c for c in categories if c])
    abstract, speakers = split_description(base.text(event.get("DESCRIPTION")))
    return base.ImportedSession(
        key=uid,
        title=title,
        start=start,
        end=end,
        where=where,
        stage=location,
        track=track,
        session_type=session_type,
        abstract=abstract,
        cancelled=base.text(event.get("STATUS")).upper() == "CANCELLED",
        speakers=[base.ImportedSpeaker(name=name) for name in speakers],
    )


def instant(event, name, problems):
    """An aware UTC datetime, or a naive one for a floating time; None with a problem noted."""
    try:
        value = event.decoded(name)
    except (KeyError, ValueError):
        problems.append(_("%(name)s is missing or not a date and time.") % {"name": name})
        return None
    if not isinstance(value, dt.datetime):
        problems.append(_("%(name)s is a date without a time (an all-day event).") % {"name": name})
        return None
    if value.tzinfo is None:
        return value
    return timezones.to_local(value, timezones.UTC)


def strip_shared_suffix(locations):
    """'Master Stage, Station F, Paris' → 'Master Stage' when every event ends the same way."""
    parts = [[part.strip() for part in location.split(",")] for location in locations]
    several = [p for p in parts if len(p) > 1]
    if not several:
        return locations
    shared = min(len(p) for p in several) - 1
    while shared and len({tuple(p[-shared:]) for p in several}) > 1:
        shared -= 1
    return [
        ", ".join(p[:-shared]) if shared and len(p) > shared else location
        for p, location in zip(parts, locations, strict=True)
    ]


def split_categories(categories):
    """(track, type): a known type name is the type, the first other category the track."""
    types = [c for c in categories if base.is_type_name(c)]
    others = [c for c in categories if not base.is_type_name(c)]
    if not types and len(others) >= 2:
        # Our own feeds write the track, then the type.
        return others[0], others[1]
    return (others[0] if others else ""), (types[0] if types else "")


def split_description(description):
    """(abstract, speakers): our feeds start DESCRIPTION with 'Speakers: A (role); B'."""
    lines = description.splitlines()
    match = SPEAKERS_LINE.match(lines[0]) if lines else None
    if not match:
        return description, []
    speakers = [re.sub(r"\s*\(.*\)$", "", name).strip() for name in match[1].split("; ")]
    rest = "\n".join(lines[1:]).strip()
    # The feed ends with the session's address, which is not part of the abstract.
    paragraphs = rest.split("\n\n")
    if paragraphs and paragraphs[-1].startswith(("http://", "https://")):
        paragraphs = paragraphs[:-1]
    return "\n\n".join(paragraphs).strip(), [name for name in speakers if name]


def write(conference, sessions, *, absolute_url, **_options):
    """The public schedule.ics, written by the same code as every feed, in calendar order."""
    return ics.build_calendar(
        conference=conference,
        sessions=sorted(sessions, key=lambda s: (s.start, s.end, s.title)),
        name=conference.name,
        absolute_url=absolute_url,
    )


class ICalendar(base.ScheduleFormat):
    identifier = "ics"
    label = "iCalendar"
    extension = "ics"
    content_type = CONTENT_TYPE
    read = staticmethod(read)
    write = staticmethod(write)

    def filename(self, conference):
        return f"{conference.slug}.ics"
