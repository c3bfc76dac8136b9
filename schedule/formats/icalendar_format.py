"""iCalendar: reading .ics files such as Sched's all.ics; writing is schedule/ics.py's.

A VEVENT becomes a session: SUMMARY the title, DTSTART/DTEND the times, LOCATION the stage once
a trailing venue and city shared by the events are stripped, DESCRIPTION the abstract, UID the
key that a later import matches, URL and ATTACH its links. Track and type come from our own
X-CONFSCHEDULE-TRACK and X-CONFSCHEDULE-TYPE when the file has them (our feeds), otherwise from
CATEGORIES split by the names of known session types, and a note says how.

Times. A UTC time is an instant; a floating time is the conference's clock (resolved by the
import). A time with a TZID is read with, in this order:
1. the IANA zone the TZID names: an IANA name, a Windows name ("W. Europe Standard Time", through
   CLDR's windowsZones mapping as icalendar ships it) or a globally unique TZID ending in an IANA
   name ("/mozilla.org/20070129_1/Europe/Berlin"), as long as the file's own VTIMEZONE of that
   TZID, if any, gives the same UTC offsets at the events and on every day of their dates;
2. otherwise the rules of that VTIMEZONE;
3. a TZID with neither is refused at the event that uses it.
The file's VTIMEZONEs are read afresh for every file: icalendar's decoding keeps each TZID it
has seen in a process-wide table, so a later file would get an earlier file's rules.

A legacy alias (CET, US/Pacific, EST5EDT) is read as the location zone CLDR files it under, which
is the zone tzdata links it to (Europe/Brussels, America/Los_Angeles, America/New_York): the
same rules under a name the conference settings offer.

The conference's timezone: X-WR-TIMEZONE when it is a zone we know (a contradiction with the
events' TZIDs is noted, the events keep their own times); otherwise the zone of the TZID that
most events start in; for a TZID that names no zone, the IANA zone whose rules agree with its
VTIMEZONE at every event and on every day of the file (first one whose city the TZID names,
then one CLDR's windowsZones names first for its region, then by name); otherwise none, and
the import takes it from the events' UTC offsets. Every choice is told in a note.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from conference import timezones
from schedule import ics
from schedule.formats import base
from schedule.models import SessionLink

CONTENT_TYPE = "text/calendar; charset=utf-8"
SPEAKERS_LINE = re.compile(r"^Speakers: (.+)$")
TIMES = ("DTSTART", "DTEND")
# Zones CLDR's windowsZones names first for a region: the tie-break between zones with one set of rules.
REGION_ZONES = frozenset(WINDOWS_TO_OLSON.values())


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
    lines = text.splitlines()
    event_lines = [
        number
        for number, line in enumerate(lines, start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]
    result = base.ImportedSchedule(format="ics")
    result.title = base.text(document.get("X-WR-CALNAME"))
    events = document.walk("VEVENT")
    places = [
        _("line %(line)s, VEVENT %(number)s (UID %(uid)s)")
        % {
            "line": event_lines[number] if number < len(event_lines) else "?",
            "number": number + 1,
            "uid": base.text(event.get("UID")) or "?",
        }
        for number, event in enumerate(events)
    ]
    zones = FileZones(document, lines, events, result)
    own_feed = base.text(document.get("PRODID")) == ics.PRODID
    categories = CategoryNotes(result)
    locations = strip_shared_suffix([base.text(event.get("LOCATION")) for event in events])
    for event, location, where in zip(events, locations, places, strict=True):
        session = read_event(event, location, where, result, zones, categories, own_feed)
        if session is not None:
            result.sessions.append(session)
    zones.choose_conference_zone(base.text(document.get("X-WR-TIMEZONE")))
    categories.report()
    return result


def read_event(event, location, where, result, zones, categories, own_feed):
    problems = []
    uid = base.text(event.get("UID"))
    # Our own feeds prefix a cancelled session's SUMMARY and keep its title apart.
    title = base.text(event.get(ics.TITLE_PROPERTY) if own_feed else None) or base.text(
        event.get("SUMMARY")
    )
    if not uid:
        problems.append(_("UID is missing."))
    if not title:
        problems.append(_("SUMMARY is missing or empty."))
    start = instant(event, "DTSTART", problems, zones)
    end = instant(event, "DTEND", problems, zones) if event.get("DTEND") else None
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
    track, session_type = categories.read(event, where)
    description = base.text(event.get("DESCRIPTION"))
    change = base.text(event.get(ics.CHANGE_PROPERTY)) if own_feed else ""
    if change and description.startswith(change):
        description = description[len(change) :].lstrip("\n")
    abstract, speakers = split_description(description, base.text(event.get("URL")))
    return base.ImportedSession(
        key=uid,
        title=title,
        start=start,
        end=end,
        where=where,
        stage=location,
        stage_id=stage_id(event) if location else "",
        track=track,
        session_type=session_type,
        abstract=abstract,
        cancelled=base.text(event.get("STATUS")).upper() == "CANCELLED",
        offset=zones.offset(event),
        speakers=tagged_speakers(event) or [base.ImportedSpeaker(name=n) for n in speakers],
        links=read_links(event, where, result, own_feed),
    )


def stage_id(event):
    """The stage's guid, as our feeds give it on LOCATION; "" otherwise."""
    location = event.get("LOCATION")
    if isinstance(location, list):  # given twice, which RFC 5545 does not allow: the first
        location = location[0]
    return base.text(getattr(location, "params", {}).get(ics.ID_PARAMETER))


def tagged_speakers(event):
    """Speakers as our feeds tag them, X-CONFSCHEDULE-SPEAKER with a guid each; [] otherwise."""
    values = event.get(ics.SPEAKER_PROPERTY) or []
    return [
        base.ImportedSpeaker(
            name=base.text(value), source_id=base.text(value.params.get(ics.ID_PARAMETER))
        )
        for value in (values if isinstance(values, list) else [values])
        if base.text(value)
    ]


def instant(event, name, problems, zones):
    """An aware UTC datetime, or a naive one for a floating time; None with a problem noted."""
    try:
        value = event.decoded(name)
    except (KeyError, ValueError, AttributeError):
        problems.append(_("%(name)s is missing or not a date and time.") % {"name": name})
        return None
    if not isinstance(value, dt.datetime):
        problems.append(_("%(name)s is a date without a time (an all-day event).") % {"name": name})
        return None
    tzid = event[name].params.get("TZID")
    if tzid:
        zone = zones.rules(tzid)
        if zone is None:
            problems.append(
                _(
                    "%(name)s has TZID “%(tzid)s”, which is neither a timezone we know nor "
                    "defined by a VTIMEZONE in the file."
                )
                % {"name": name, "tzid": tzid}
            )
            return None
        return wall_instant(value.replace(tzinfo=None), zone)
    if value.tzinfo is None:
        return value
    return timezones.to_local(value, timezones.UTC)


def wall_instant(wall, zone):
    """The UTC instant of a wall-clock time with a TZID, as RFC 5545 (3.3.5) reads it.

    A time the clocks skip takes the offset before the gap and a time that happens twice its first
    occurrence, which is what fold=0 means to both zoneinfo and dateutil.
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(timezones.UTC)


def walls(event):
    """(TZID, wall-clock time) of each of the event's times that has a TZID."""
    found = []
    for name in TIMES:
        prop = event.get(name)
        tzid = prop.params.get("TZID") if prop is not None else None
        value = getattr(prop, "dt", None)
        if tzid and isinstance(value, dt.datetime):
            found.append((str(tzid), value.replace(tzinfo=None)))
    return found


@dataclass
class TzidReading:
    """How one TZID of the file is read: the rules its times take, the IANA zone it stands for."""

    tzid: str
    line: str
    rules: object = None  # a tzinfo: the IANA zone's, or the VTIMEZONE's own
    zone_name: str = ""  # the IANA zone a conference can take, "" when none follows its rules
    events: int = 0  # how many events start in it
    samples: list = field(default_factory=list)  # UTC instants its rules must hold at


class FileZones:
    """The file's TZIDs, each read once from this file alone, and the conference's zone."""

    def __init__(self, document, lines, events, result):
        self.lines = lines
        self.result = result
        self.vtimezones = {
            str(component["TZID"]): component
            for component in document.walk("VTIMEZONE")
            if "TZID" in component
        }
        wall_times = {}
        starts = Counter()
        for event in events:
            for tzid, wall in walls(event):
                wall_times.setdefault(tzid, []).append(wall)
            start = event.get("DTSTART")
            if start is not None and start.params.get("TZID"):
                starts[str(start.params["TZID"])] += 1
        self.readings = {
            tzid: self.read_tzid(tzid, found, starts[tzid]) for tzid, found in wall_times.items()
        }

    def rules(self, tzid):
        reading = self.readings.get(str(tzid))
        return reading.rules if reading else None

    def offset(self, event):
        """The UTC offset the event's start was written with (0 for UTC), None for floating."""
        prop = event.get("DTSTART")
        value = getattr(prop, "dt", None)
        if not isinstance(value, dt.datetime):
            return None
        tzid = prop.params.get("TZID")
        zone = self.rules(tzid) if tzid else value.tzinfo
        if zone is None:
            return None
        return value.replace(tzinfo=None).replace(tzinfo=zone, fold=0).utcoffset()

    def line_of(self, tzid):
        """The line that first uses the TZID in a time, else the VTIMEZONE's TZID line."""
        uses = (f"TZID={tzid}:", f'TZID="{tzid}":')
        for pattern in (
            lambda line: any(use in line for use in uses),
            lambda line: line == f"TZID:{tzid}",
        ):
            for number, line in enumerate(self.lines, start=1):
                if pattern(line.strip()):
                    return str(number)
        return "?"

    def read_tzid(self, tzid, wall_times, events):
        reading = TzidReading(tzid=tzid, line=self.line_of(tzid), events=events)
        name = zone_named_by(tzid)
        named = timezones.get_zone(name) if name else None
        component = self.vtimezones.get(tzid)
        own_rules = vtimezone_rules(component) if component is not None else None
        reading.samples = sample_instants(wall_times, own_rules or named)
        message = {"tzid": tzid, "line": reading.line, "zone": name}
        if named is not None and (own_rules is None or agree(named, own_rules, reading.samples)):
            reading.rules, reading.zone_name = named, name
            self.result.note("", _("TZID “%(tzid)s” (line %(line)s) read as %(zone)s.") % message)
            return reading
        if own_rules is None:
            return reading
        reading.rules = own_rules
        reading.zone_name = matching_zone(tzid, own_rules, reading.samples) or ""
        if named is not None:
            self.result.note(
                "",
                _(
                    "TZID “%(tzid)s” (line %(line)s) names %(zone)s, but its VTIMEZONE gives "
                    "other UTC offsets on the events’ dates: its times are read with the "
                    "VTIMEZONE’s rules."
                )
                % message,
            )
        elif reading.zone_name:
            self.result.note(
                "",
                _(
                    "TZID “%(tzid)s” (line %(line)s) is not a timezone name we know: its times "
                    "are read with its VTIMEZONE’s rules, which %(zone)s follows at every event "
                    "and on every day of the file."
                )
                % {**message, "zone": reading.zone_name},
            )
        else:
            self.result.note(
                "",
                _(
                    "TZID “%(tzid)s” (line %(line)s) is not a timezone name we know: its times "
                    "are read with its VTIMEZONE’s rules, which no IANA timezone follows on "
                    "every day of the file."
                )
                % message,
            )
        return reading

    def choose_conference_zone(self, named_zone):
        result = self.result
        used = sorted(
            (r for r in self.readings.values() if r.events and r.rules is not None),
            key=lambda r: -r.events,
        )
        if named_zone:
            result.timezone = named_zone
            if named_zone not in timezones.timezone_names():
                # CET, EST5EDT: the location zone with its rules; anything else check_schedule refuses.
                result.timezone = timezones.location_zone_name(named_zone) or named_zone
            if result.timezone in timezones.timezone_names():
                self.note_named_zone(named_zone, used)
            return
        for reading in used[:1]:
            if reading.zone_name:
                result.timezone = reading.zone_name
                result.note(
                    "",
                    _(
                        "The conference timezone is %(zone)s, the zone of TZID “%(tzid)s”, "
                        "which %(count)s of %(total)s events start in."
                    )
                    % {
                        "zone": reading.zone_name,
                        "tzid": reading.tzid,
                        "count": reading.events,
                        "total": len(result.sessions),
                    },
                )
            else:
                result.note(
                    "",
                    _(
                        "No IANA timezone follows TZID “%(tzid)s” on every day of the file: the "
                        "conference timezone is taken from the events’ UTC offsets."
                    )
                    % {"tzid": reading.tzid},
                )
            return
        for tzid in self.vtimezones:
            name = zone_named_by(tzid)
            if name:
                result.timezone = name
                result.note(
                    "",
                    _(
                        "The conference timezone is %(zone)s, from the file’s VTIMEZONE “%(tzid)s” "
                        "(no event names a timezone)."
                    )
                    % {"zone": name, "tzid": tzid},
                )
                return
        if result.sessions:
            result.note(
                "",
                _(
                    "The file names no timezone: the conference timezone is taken from the "
                    "events’ UTC offsets."
                ),
            )

    def note_named_zone(self, named_zone, used):
        result = self.result
        line = next(
            (
                str(n)
                for n, text in enumerate(self.lines, start=1)
                if text.upper().startswith("X-WR-TIMEZONE")
            ),
            "?",
        )
        result.note(
            "",
            _("The conference timezone is %(zone)s, from X-WR-TIMEZONE (line %(line)s).")
            % {"zone": result.timezone, "line": line},
        )
        chosen = timezones.get_zone(result.timezone)
        for reading in used:
            if not agree(chosen, reading.rules, reading.samples):
                result.note(
                    "",
                    _(
                        "X-WR-TIMEZONE “%(named)s” (line %(line)s) disagrees with TZID “%(tzid)s” "
                        "(line %(tzid_line)s): events with that TZID keep the times it gives, and "
                        "the conference timezone stays %(zone)s."
                    )
                    % {
                        "named": named_zone,
                        "line": line,
                        "tzid": reading.tzid,
                        "tzid_line": reading.line,
                        "zone": result.timezone,
                    },
                )


def zone_named_by(tzid):
    """The IANA zone (as a conference can take it) a TZID names, or None.

    An IANA name or legacy alias, a Windows name (CLDR's mapping, as icalendar ships it), or a
    globally unique TZID (RFC 5545 3.2.19) whose tail is an IANA name.
    """
    name = str(tzid).strip()
    candidates = [name, WINDOWS_TO_OLSON.get(name, "")]
    if name.startswith("/"):
        parts = name.strip("/").split("/")
        candidates += ["/".join(parts[start:]) for start in range(1, len(parts))]
    for candidate in candidates:
        zone_name = timezones.location_zone_name(candidate)
        if zone_name:
            return zone_name
    return None


def vtimezone_rules(component):
    """The VTIMEZONE's own rules as a tzinfo, not cached anywhere; None when they cannot be read."""
    try:
        return component.to_tz(lookup_tzid=False)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def sample_instants(wall_times, zone):
    """Where two sets of rules must agree: at every event, and at noon UTC of every day from the
    day before the first event to the day after the last, which catches a DST change between."""
    if zone is None or not wall_times:
        return []
    instants = {wall_instant(wall, zone) for wall in wall_times}
    first, last = min(wall_times).date(), max(wall_times).date()
    noon = dt.time(12, tzinfo=timezones.UTC)
    for day in timezones.date_range(first - dt.timedelta(days=1), last + dt.timedelta(days=1)):
        instants.add(dt.datetime.combine(day, noon))
    return sorted(instants)


def agree(zone, other, instants):
    return all(i.astimezone(zone).utcoffset() == i.astimezone(other).utcoffset() for i in instants)


def matching_zone(tzid, rules, instants):
    """The IANA zone that follows a VTIMEZONE's rules at every instant, or None; see the module."""
    canonical = {timezones.location_zone_name(name) for name in timezones.timezone_names()}
    agreeing = [
        name
        for name in sorted(canonical - {None})
        if agree(timezones.get_zone(name), rules, instants)
    ]
    if not agreeing:
        return None
    words = str(tzid).lower().replace("_", " ")

    def preference(name):
        city = name.rsplit("/", 1)[-1].replace("_", " ").lower()
        return (city not in words, name not in REGION_ZONES, name)

    return min(agreeing, key=preference)


class CategoryNotes:
    """Track and type of each event, and one note per rule that split CATEGORIES, not per event."""

    def __init__(self, result):
        self.result = result
        self.rules_used = {}  # rule -> [where and categories of the first event, how many]

    def read(self, event, where):
        categories = []
        for value in event.get("CATEGORIES") or ():
            categories += [base.text(c) for c in getattr(value, "cats", [value])]
        categories = [c for c in categories if c]
        if TRACK_PROPERTY in event or TYPE_PROPERTY in event:
            return self.read_explicit(event, categories, where)
        track, session_type = split_categories(categories)
        rules = []
        if any(base.is_type_name(c) for c in categories):
            rules.append("type named")
        elif session_type:
            rules.append("by order")
        elif track:
            rules.append("track only")
        if len(categories) > len({track, session_type} - {""}):
            rules.append("left out")
        for rule in rules:
            first = self.rules_used.setdefault(rule, [where, categories, 0])
            first[2] += 1
        return track, session_type

    def read_explicit(self, event, categories, where):
        """Our own X- properties win over CATEGORIES; a disagreement is told."""
        track = base.text(event.get(TRACK_PROPERTY))
        session_type = base.text(event.get(TYPE_PROPERTY))
        if categories and set(categories) != {c for c in (track, session_type) if c}:
            self.result.note(
                where,
                _(
                    "CATEGORIES “%(categories)s” disagree with %(track_property)s “%(track)s” and "
                    "%(type_property)s “%(type)s”: the %(track_property)s and %(type_property)s "
                    "properties win."
                )
                % {
                    "categories": ", ".join(categories),
                    "track_property": TRACK_PROPERTY,
                    "track": track,
                    "type_property": TYPE_PROPERTY,
                    "type": session_type,
                },
            )
        return track, session_type

    def report(self):
        messages = {
            "track only": _("CATEGORIES without a known session type name were read as the track"),
            "type named": _(
                "CATEGORIES naming a known session type were read as the type, another category "
                "as the track"
            ),
            "by order": _(
                "CATEGORIES of two names, neither a known session type, were read as track then "
                "type, the order our own feeds write them"
            ),
            "left out": _("CATEGORIES beyond one track and one type were left out"),
        }
        for rule, (where, categories, count) in self.rules_used.items():
            self.result.note(
                where,
                _("%(rule)s (%(events)s, such as “%(categories)s”; the first is here).")
                % {
                    "rule": messages[rule],
                    "events": ngettext("%(count)s event", "%(count)s events", count)
                    % {"count": count},
                    "categories": ", ".join(categories),
                },
            )


TRACK_PROPERTY = ics.TRACK_PROPERTY
TYPE_PROPERTY = ics.TYPE_PROPERTY
LINK_KINDS = frozenset(SessionLink.Kind.values)


def read_links(event, where, result, own_feed):
    """URL and every ATTACH with an address; our own feeds' URL is the session's page, no link."""
    links = []
    urls = [] if own_feed else [event["URL"]] if "URL" in event else []
    attachments = event.get("ATTACH") or []
    if not isinstance(attachments, list):
        attachments = [attachments]
    for prop in [*urls, *attachments]:
        params = prop.params
        if (
            str(params.get("VALUE", "")).upper() == "BINARY"
            or str(params.get("ENCODING", "")).upper() == "BASE64"
        ):
            result.note(where, _("An ATTACH holds a file rather than an address: it is left out."))
            continue
        url = base.text(prop)
        if not url.lower().startswith(("http://", "https://")):
            result.note(
                where,
                _("“%(url)s” is not a web address: the link is left out.") % {"url": url[:200]},
            )
            continue
        kind = base.text(params.get(ics.LINK_KIND_PARAMETER)).lower()
        links.append(
            base.ImportedLink(
                url=url,
                title=base.text(params.get(ics.LINK_TITLE_PARAMETER)),
                kind=kind if kind in LINK_KINDS else "",
            )
        )
    return links


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
        # Our own feeds before X-CONFSCHEDULE-TRACK/TYPE wrote the track, then the type.
        return others[0], others[1]
    return (others[0] if others else ""), (types[0] if types else "")


def split_description(description, url=""):
    """(abstract, speakers): our feeds start DESCRIPTION with 'Speakers: A (role); B' and end
    it with the session's address (`url`, the event's URL), which is not part of the abstract."""
    lines = description.splitlines()
    match = SPEAKERS_LINE.match(lines[0]) if lines else None
    speakers = []
    if match:
        speakers = [re.sub(r"\s*\(.*\)$", "", name).strip() for name in match[1].split("; ")]
        lines = lines[1:]
    paragraphs = "\n".join(lines).strip().split("\n\n")
    if paragraphs and (
        (url and paragraphs[-1].strip() == url)
        or (match and paragraphs[-1].startswith(("http://", "https://")))
    ):
        paragraphs = paragraphs[:-1]
    if not match and not url:
        return description, []
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
