"""What every reader produces, whatever the format: plain data, times as aware UTC instants.

Ids of the file. A person, room or track may carry several ids of its source; readers keep one,
the first of SOURCE_ID_KEYS it has: code (pretalx's public id, which never changes), then guid
(frab's and c3voc's; pretalx derives a person's from the e-mail address, so it can change),
then id (an integer of the source's database). The importer matches on it before the name, so
two people called "mo" and "Mo" stay two. Our own writers give a person our pk as its id and a
room and a person the guid of stage_guid() and person_guid(), which the importer knows again, so
our export read back into the same conference matches the same rows every time.

Contradictions inside an event (a `start` that is not the time of its `date`, an `end` that is
not `date` + `duration`, an event listed under another room or day than its own) are reported
with result.note(), naming both values and which one the import used; the import goes on.
"""

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

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
    # An absolute http(s) address of the person's photo (pretalx and c3voc `avatar`, frab
    # `image`), fetched once the import has committed; "" for none.
    photo_url: str = ""


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
    value = as_written(text)
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


def as_written(text):
    """An ISO 8601 date-time in the offset it is written with (its clock as the file reads it)."""
    return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def offset_of(text):
    """The UTC offset an ISO 8601 date-time is written with, or None."""
    try:
        return as_written(text).utcoffset()
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


# Reading: what the readers share.

SOURCE_ID_KEYS = ("code", "guid", "id")
START = re.compile(r"^(\d{1,2}):(\d{2})(?::\d{2})?$")
# The Reference types of schedule.json (also written as <link type> in XML) a kind maps to;
# the others leave the kind for the import to guess. Our own kinds read as themselves: the CSV
# links column and other tools' <link type> write them.
LINK_TYPE_OF_KIND = {"slides": "slides", "video": "media"}
LINK_KIND_OF_TYPE = {
    "media": "video", "slides": "slides",
    "video": "video", "livestream": "livestream", "other": "other",
}  # fmt: skip


def source_id(get):
    """The file's own id of a person, room or track, by SOURCE_ID_KEYS; get reads an attribute
    or key of it (Element.get, dict.get)."""
    for key in SOURCE_ID_KEYS:
        value = text(get(key))
        if value:
            return value
    return ""


def part_ids(rooms, tracks, result, *, rooms_at, tracks_at):
    """{"stage_ids": …, "track_ids": …}: the file's ids of its rooms and tracks (elements or
    objects with .get) by name, as ids_by_name keeps them."""
    return {
        f"{kind}_ids": ids_by_name(
            ((text(part.get("name")), source_id(part.get)) for part in parts), result, where
        )
        for kind, parts, where in (("stage", rooms, rooms_at), ("track", tracks, tracks_at))
    }


def ids_by_name(named_ids, result, where):
    """{name: id} of rooms or tracks from (name, id) pairs, without the ids that cannot tell them
    apart: one id given to two names is dropped (pretalx's demo gives two rooms one guid), and a
    name given two ids keeps its first. Both are noted."""
    ids = {}
    names_of = {}
    for name, source in named_ids:
        if not (name and source):
            continue
        names_of.setdefault(source, [])
        if name not in names_of[source]:
            names_of[source].append(name)
        if ids.setdefault(name, source) != source:
            result.note(
                where,
                _("“%(name)s” has two ids, “%(first)s” and “%(second)s”; the first is used.")
                % {"name": name, "first": ids[name], "second": source},
            )
    for source, names in names_of.items():
        if len(names) > 1:
            result.note(
                where,
                _("the id “%(id)s” is given to %(names)s; they are matched by name instead.")
                % {"id": source, "names": ", ".join(f"“{name}”" for name in names)},
            )
            for name in names:
                if ids.get(name) == source:
                    del ids[name]
    return ids


def absolute_link(address, base_url):
    """An http(s) address, a path from the root ('/system/…') resolved against base_url; '' for
    anything else. A bare 'nymtech.net' is not resolved: it names a host, not a path."""
    address = text(address)
    if address.startswith("/") and base_url:
        address = urljoin(base_url, address)
    parts = urlsplit(address)
    return address if parts.scheme in ("http", "https") and parts.netloc else ""


def read_links(references, *, base_url, where, result):
    """ImportedLinks of (address, title, type) triples, each address once; an address that is not
    http(s) once resolved is left out with a note."""
    links = []
    for address, title, link_type in references:
        url = absolute_link(address, base_url)
        if not url:
            result.note(
                where,
                _("the link “%(address)s” (%(title)s) is not an http(s) address; it is left out.")
                % {"address": text(address), "title": text(title) or "-"},
            )
        elif all(link.url != url for link in links):
            kind = LINK_KIND_OF_TYPE.get(text(link_type).lower(), "")
            links.append(ImportedLink(url=url, title=text(title), kind=kind))
    return links


def check_start(result, where, *, date_text, start_text, labels):
    """Notes a `start` that is not the time of day of `date` (as `date` writes it, offset and
    all), or that is no time at all; `date` is what the import uses. labels: the two fields' names
    as the format writes them."""
    start_text = text(start_text)
    if not start_text:
        return
    date_label, start_label = labels
    local = as_written(text(date_text))
    match = START.match(start_text)
    values = {
        "start_field": start_label,
        "start": start_text,
        "date_field": date_label,
        "date": text(date_text),
        "time": local.strftime("%H:%M"),
    }
    if not match:
        result.note(
            where,
            _(
                "%(start_field)s “%(start)s” is not a time as HH:MM; %(date_field)s “%(date)s” "
                "is used."
            )
            % values,
        )
    elif (int(match[1]), int(match[2])) != (local.hour, local.minute):
        result.note(
            where,
            _(
                "%(start_field)s “%(start)s” disagrees with %(date_field)s “%(date)s” (%(time)s "
                "there); %(date_field)s is used."
            )
            % values,
        )


def check_room(result, where, *, own_room, enclosing_room, label):
    """Notes an event whose own room is not the room it is listed under; its own room is used."""
    if own_room and enclosing_room and own_room != enclosing_room:
        result.note(
            where,
            _(
                "%(field)s “%(own)s” differs from the room “%(enclosing)s” the event is listed "
                "under; “%(own)s” is used."
            )
            % {"field": label, "own": own_room, "enclosing": enclosing_room},
        )


def check_day(result, where, *, start, date_text, day):
    """Notes an event that does not start within the day it is listed under: between the day's
    start and end when the file gives them, else on the day's date as `date` writes it. The
    event's own date is used. day: (date text, start text, end text) of the enclosing day."""
    day_date, day_start, day_end = (text(value) for value in day)
    try:
        inside = parse_instant(day_start) <= start <= parse_instant(day_end)
        bounds = f"{day_start} – {day_end}"
    except ValueError:
        try:
            inside = as_written(text(date_text)).date() == dt.date.fromisoformat(day_date)
        except ValueError:
            return
        bounds = day_date
    if not inside:
        result.note(
            where,
            _(
                "the event's date “%(date)s” is not within the day it is listed under "
                "(%(day)s); the event's date is used."
            )
            % {"date": text(date_text), "day": bounds},
        )


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


def stage_guid(conference, stage):
    """A room's guid in our exports: the one its file gave it, else one made from its name."""
    return file_uuid(stage) or uuid.uuid5(
        uuid.NAMESPACE_URL, f"stage:{conference.slug}/{stage.name if stage else ''}"
    )


def person_guid(conference, speaker):
    """A person's guid in our exports: the one its file gave it, else one made from our id, which
    the importer knows again (import_plan.RowMatcher), so names can change between imports."""
    return file_uuid(speaker) or uuid.uuid5(
        uuid.NAMESPACE_URL, f"person:{conference.slug}/{speaker.pk}"
    )


def file_uuid(row):
    """The row's id from its file, when that is a UUID; else None."""
    try:
        return uuid.UUID(row.source_id) if row is not None and row.source_id else None
    except ValueError:
        return None


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
            (
                link.speaker.pk,
                str(person_guid(conference, link.speaker)),
                link.speaker.name,
                link.speaker.bio,
            )
            for link in session.speaker_links.all()
        ],
        "links": session_links(session),
    }


def session_links(session):
    """(url, title, Reference type or '') of a session's links, in their order."""
    return [
        (link.url, link.title, LINK_TYPE_OF_KIND.get(link.kind, "")) for link in session.links.all()
    ]


def conference_tracks(sessions):
    """Tracks the sessions use, by name."""
    tracks = {s.track.pk: s.track for s in sessions if s.track}
    return sorted(tracks.values(), key=lambda track: track.name)
