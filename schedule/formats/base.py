"""What every reader produces, whatever the format: plain data, times as aware UTC instants."""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from conference import timezones

DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")
# Names of session types, so that a CATEGORIES value or a bare label lands on type, not track.
KNOWN_TYPES = {
    "talk", "keynote", "workshop", "panel", "break", "lunch", "lightning talk", "tutorial",
    "bof", "birds of a feather", "meetup", "session", "lecture", "discussion", "demo",
    "poster", "social", "registration", "other", "hands-on", "meeting", "coffee break",
}  # fmt: skip


class FormatError(ValueError):
    """The whole file cannot be read (not the format it claims, not well-formed)."""

    def __init__(self, message, where=""):
        self.where = where
        self.message = message
        super().__init__(f"{where}: {message}" if where else message)


class ScheduleFormat:
    """An exchange format: its names, how it is served, and its reader and writer.

    Each format module's subclass sets `read` and `write` to its module's functions:
    read(data) turns bytes into an ImportedSchedule; write(conference, sessions, *,
    absolute_url, version) turns the conference's sessions into bytes.
    """

    identifier = ""  # what --format and the admin's choice say: "xml"
    label = ""  # what people call it: "frab/c3voc schedule.xml"
    extension = ""
    content_type = ""

    def filename(self, conference):
        return f"schedule.{self.extension}"


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ImportedSpeaker:
    name: str
    bio: str = ""
    role: str = ""
    company: str = ""
    # The file's own id of the person (frab person id, pretalx code): matched before the name.
    source_id: str = ""


@dataclass
class ImportedLink:
    """A link of a session: slides, a recording, a livestream or anything else."""

    url: str  # absolute http(s) address
    title: str = ""
    kind: str = ""  # a SessionLink.Kind value; "" lets the import guess from the address and title


@dataclass
class ImportedSession:
    key: str
    title: str
    start: dt.datetime
    end: dt.datetime
    where: str
    stage: str = ""
    track: str = ""
    session_type: str = ""
    abstract: str = ""
    slug: str = ""
    cancelled: bool = False
    # The UTC offset the file wrote the start with, to name a timezone when it names none.
    offset: dt.timedelta | None = None
    # The timezone a row named, for files that carry no conference metadata (CSV).
    zone: str = ""
    speakers: list[ImportedSpeaker] = field(default_factory=list)
    # The file's own ids of the session's room and track (a room guid), matched before names.
    stage_id: str = ""
    track_id: str = ""
    links: list[ImportedLink] = field(default_factory=list)


@dataclass
class ImportedSchedule:
    format: str
    title: str = ""
    acronym: str = ""
    timezone: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    sessions: list[ImportedSession] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # What the import decided for the organiser to know: a contradiction and which field won,
    # the timezone chosen for a TZID. Reported, the import goes on.
    notes: list[Problem] = field(default_factory=list)
    # Stage and track/type order and colours as the file lists them, when it does.
    stages: list[str] = field(default_factory=list)
    colours: dict[str, str] = field(default_factory=dict)

    def reject(self, where, message):
        self.problems.append(Problem(where, message))

    def note(self, where, message):
        self.notes.append(Problem(where, message))

    def reject_all(self, where, messages):
        """Report each message at one place; True when there was any."""
        for message in messages:
            self.reject(where, message)
        return bool(messages)


def key_uuid(key):
    """The UUID a match key names: itself, the part before '@' of a UID, or one derived from it."""
    head = key.split("@", 1)[0]
    for candidate in (key, head):
        try:
            return uuid.UUID(candidate)
        except ValueError:
            continue
    return uuid.uuid5(uuid.NAMESPACE_URL, key)


def parse_instant(text):
    """An ISO 8601 date-time with an offset ('Z' or '+01:00') as an aware UTC datetime."""
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(_("“%(text)s” has no UTC offset.") % {"text": text})
    return timezones.to_local(value, timezones.UTC)


def event_key(guid, event_id, acronym):
    """What a later import matches an event on: its guid, else its id in the file's conference."""
    return guid or (f"id:{acronym}:{event_id}" if event_id else "")


def read_start(value, field_name, problems):
    """The start instant of an event, or None with a problem that names the field."""
    try:
        return parse_instant(value)
    except ValueError:
        problems.append(
            _("%(field)s “%(value)s” is not a date and time with a UTC offset.")
            % {"field": field_name, "value": value}
        )
        return None


def offset_of(text):
    """The UTC offset an ISO 8601 date-time is written with, or None."""
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).utcoffset()
    except ValueError:
        return None


def parse_duration(text):
    match = DURATION.match(text.strip())
    if not match:
        raise ValueError(_("“%(text)s” is not a duration as HH:MM.") % {"text": text})
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def format_duration(delta):
    minutes = int(delta.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone_for_offset(offset):
    """An IANA zone for a fixed UTC offset, for files that give offsets but no timezone name."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "UTC"
    if minutes % 60:
        return "UTC"
    # Etc/GMT names count the other way round: UTC+1 is Etc/GMT-1.
    return f"Etc/GMT{-minutes // 60:+d}"


def is_type_name(name):
    return name.strip().lower() in KNOWN_TYPES


# Control characters other than tab and line breaks: no text of a schedule means them, XML
# cannot carry them, and they must not reach a page.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def text(value):
    """A text field as the file gives it: None and surrounding blanks become '', control
    characters are dropped."""
    return "" if value is None else CONTROL_CHARACTERS.sub("", str(value)).strip()


# Writing: what the XML and JSON writers share.

ACRONYM_CHARS = re.compile(r"[^a-z0-9_]")
TRACK_SLUG = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")
# What schedule.xml and schedule.json each accept as an event slug.
XML_EVENT_SLUG = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9\-_]{4,}$")
JSON_EVENT_SLUG = re.compile(r"^[a-z0-9_-]+[a-z0-9]$")
GENERATOR = {"name": "confschedule", "version": "1.0"}


def acronym(conference):
    """The slug as both schemas accept it: lower case, underscores for hyphens, 4+ characters."""
    return ACRONYM_CHARS.sub("_", conference.slug.lower().replace("-", "_")).ljust(4, "_")


def stage_guid(conference, stage_name):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"stage:{conference.slug}/{stage_name}")


def exported_sessions(sessions):
    """Cancelled sessions stay out of schedule.xml and .json: those formats cannot mark them."""
    return [session for session in sessions if not session.is_cancelled]


def schedule_days(conference, sessions):
    """[(index, date, day_start, day_end, [(room name, [sessions])])] in the conference timezone.

    Every day of the conference is listed, and any other local date a session starts on.
    """
    zone = conference.zone
    by_day = {}
    for session in sessions:
        by_day.setdefault(timezones.local_date(session.start, zone), []).append(session)
    dates = sorted(set(conference.days) | set(by_day))
    days = []
    for index, day in enumerate(dates, start=1):
        start, end = timezones.day_bounds(day, zone)
        rooms = {}
        ordered = sorted(
            by_day.get(day, ()),
            key=lambda s: (s.stage is None, s.stage.position if s.stage else 0, s.start, s.pk),
        )
        for session in ordered:
            rooms.setdefault(session.stage.name if session.stage else "", []).append(session)
        days.append(
            (
                index,
                day,
                timezones.to_local(start, zone),
                timezones.to_local(end, zone),
                list(rooms.items()),
            )
        )
    return days


def event_fields(session, conference, absolute_url):
    """One session's fields as frab names them, shared by the XML and JSON writers."""
    local_start = timezones.to_local(session.start, conference.zone)
    return {
        "id": session.pk,
        "guid": str(session.uuid),
        "date": local_start.isoformat(),
        "start": local_start.strftime("%H:%M"),
        "end": timezones.to_local(session.end, conference.zone).isoformat(),
        "duration": format_duration(session.duration),
        "room": session.stage.name if session.stage else "",
        "slug": session.slug.lower(),
        "title": session.title,
        "type": session.session_type.name if session.session_type else "",
        "track": session.track.name if session.track else "",
        "abstract": session.abstract,
        "url": absolute_url(session.get_absolute_url()),
        "persons": [
            (link.speaker.pk, link.speaker.name, link.speaker.bio)
            for link in session.speaker_links.all()
        ],
    }


def conference_tracks(sessions):
    """Tracks the sessions use, by name."""
    tracks = {s.track.pk: s.track for s in sessions if s.track}
    return sorted(tracks.values(), key=lambda track: track.name)
