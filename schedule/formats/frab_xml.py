"""frab/c3voc schedule.xml ("Fahrplan"), as frab, pretalx and our own export write it.

Parsed with defusedxml only: a DTD, an entity declaration or an external reference rejects the
file before anything is expanded or fetched.
"""

import contextlib
from xml.etree.ElementTree import Element, SubElement, TreeBuilder, indent, tostring

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.utils.translation import gettext as _

from schedule.formats import base

CONTENT_TYPE = "application/xml; charset=utf-8"


class _LineNumbers(TreeBuilder):
    """Remembers the line each element starts on, so problems can name it."""

    def __init__(self):
        super().__init__()
        self.parser = None
        self.lines = {}

    def start(self, tag, attrs):
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


def parse(data):
    """(root, lines) of a well-formed document without DTD or entities; FormatError otherwise."""
    builder = _LineNumbers()
    parser = DefusedXMLParser(
        target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden as error:
        raise base.FormatError(
            _("the file declares a DTD (<!DOCTYPE>); DTDs are refused for safety."),
            _("line %(line)s") % {"line": parser.parser.CurrentLineNumber},
        ) from error
    except (EntitiesForbidden, ExternalReferenceForbidden) as error:
        raise base.FormatError(
            _("the file declares entities or external references; they are refused for safety."),
            _("line %(line)s") % {"line": parser.parser.CurrentLineNumber},
        ) from error
    except ParseError as error:
        line, column = getattr(error, "position", (0, 0))
        raise base.FormatError(
            _("not well-formed XML (%(error)s).") % {"error": error},
            _("line %(line)s, column %(column)s") % {"line": line, "column": column},
        ) from error
    return root, builder.lines


def read(data):
    root, lines = parse(data)
    if root.tag != "schedule":
        raise base.FormatError(
            _("the root element is <%(tag)s>, not <schedule>: this is not a schedule.xml.")
            % {"tag": root.tag},
            _("line %(line)s") % {"line": lines.get(root, 1)},
        )
    result = base.ImportedSchedule(format="xml")
    conference = root.find("conference")
    tracks = []
    if conference is not None:
        result.title = base.text(conference.findtext("title"))
        result.acronym = base.text(conference.findtext("acronym"))
        result.timezone = base.text(conference.findtext("time_zone_name"))
        for name in ("start", "end"):
            value = base.text(conference.findtext(name))[:10]
            with contextlib.suppress(ValueError):
                setattr(result, f"{name}_date", base.dt.date.fromisoformat(value))
        tracks = conference.findall("track")
        for track in tracks:
            if track.get("name") and track.get("color"):
                result.colours[track.get("name")] = track.get("color")
    rooms = root.findall("day/room")
    context = {
        **base.part_ids(
            rooms, tracks, result, rooms_at="<room guid>", tracks_at="<conference><track>"
        ),
        "base_url": base.text(conference.findtext("base_url")) if conference is not None else "",
    }
    for day in root.findall("day"):
        context["day"] = (day.get("date"), day.get("start"), day.get("end"))
        for room in day.findall("room"):
            room_name = base.text(room.get("name"))
            if room_name and room_name not in result.stages:
                result.stages.append(room_name)
            for event in room.findall("event"):
                session = read_event(event, room_name, lines, result, context)
                if session is not None:
                    result.sessions.append(session)
    return result


def read_event(event, room_name, lines, result, context):
    """One event; context: the file's stage_ids and track_ids by name, its base_url and the
    enclosing day as (date, start, end)."""
    where = _("line %(line)s, <event id=“%(id)s”>") % {
        "line": lines.get(event, "?"),
        "id": event.get("id") or event.get("guid") or "?",
    }
    key = base.event_key(base.text(event.get("guid")), event.get("id"), result.acronym)
    title = base.text(event.findtext("title"))
    date_text = base.text(event.findtext("date"))
    problems = []
    if not key:
        problems.append(_("the event has neither a guid nor an id attribute."))
    if not title:
        problems.append(_("<title> is missing or empty."))
    end = None
    start = base.read_start(date_text, "<date>", problems)
    try:
        duration = base.parse_duration(event.findtext("duration") or "")
    except ValueError as error:
        problems.append(f"<duration>: {error}")
    else:
        if start is not None:
            end = start + duration
            if duration.total_seconds() <= 0:
                problems.append(_("the event ends when it starts (<duration> 00:00)."))
    if result.reject_all(where, problems):
        return None
    stage = base.text(event.findtext("room")) or room_name
    track = base.text(event.findtext("track"))
    base.check_start(
        result,
        where,
        date_text=date_text,
        start_text=event.findtext("start"),
        labels=("<date>", "<start>"),
    )
    base.check_room(
        result,
        where,
        own_room=base.text(event.findtext("room")),
        enclosing_room=room_name,
        label="<room>",
    )
    base.check_day(result, where, start=start, date_text=date_text, day=context["day"])
    return base.ImportedSession(
        key=key,
        title=title,
        start=start,
        end=end,
        where=where,
        offset=base.offset_of(date_text),
        stage=stage,
        track=track,
        session_type=base.text(event.findtext("type")),
        abstract=base.text(event.findtext("abstract")) or base.text(event.findtext("description")),
        slug=base.text(event.findtext("slug")),
        speakers=[
            base.ImportedSpeaker(
                name=base.text(person.text),
                source_id=base.source_id(person.get),
                photo_url=base.absolute_link(
                    person.get("avatar") or person.get("image"),
                    context["base_url"] or base.text(event.findtext("url")),
                ),
            )
            for person in event.findall("persons/person")
            if base.text(person.text)
        ],
        stage_id=context["stage_ids"].get(stage, ""),
        track_id=context["track_ids"].get(track, ""),
        links=base.read_links(
            (
                (reference.get("href"), reference.text, reference.get("type"))
                for reference in event.findall("links/link")
                + event.findall("attachments/attachment")
            ),
            # Paths from the root ("/system/…") are on the host of the file, else of the event.
            base_url=context["base_url"] or base.text(event.findtext("url")),
            where=where,
            result=result,
        ),
    )


def write(conference, sessions, *, absolute_url, version):
    sessions = base.exported_sessions(sessions)
    root = Element("schedule")
    SubElement(root, "generator", base.GENERATOR)
    SubElement(root, "url").text = absolute_url(f"/{conference.slug}/schedule.xml")
    SubElement(root, "version").text = version
    meta = SubElement(root, "conference")
    days = base.schedule_days(conference, sessions)
    for name, value in (
        ("acronym", base.acronym(conference)),
        ("title", conference.name),
        ("start", days[0][1].isoformat() if days else conference.start_date.isoformat()),
        ("end", days[-1][1].isoformat() if days else conference.end_date.isoformat()),
        ("days", str(len(days))),
        ("timeslot_duration", "00:05"),
        ("base_url", absolute_url(f"/{conference.slug}/")),
        ("time_zone_name", conference.timezone),
    ):
        SubElement(meta, name).text = value
    for track in base.conference_tracks(sessions):
        attributes = {"name": track.name, "color": track.colour}
        if base.TRACK_SLUG.match(track.slug):
            attributes["slug"] = track.slug
        SubElement(meta, "track", attributes)
    for index, day, start, end, rooms in days:
        day_element = SubElement(
            root,
            "day",
            {
                "index": str(index),
                "date": day.isoformat(),
                "start": start.isoformat(),
                "end": end.isoformat(),
            },
        )
        for room_name, room_sessions in rooms:
            room = SubElement(
                day_element,
                "room",
                {
                    "name": room_name,
                    "guid": str(base.stage_guid(conference, room_sessions[0].stage)),
                },
            )
            for session in room_sessions:
                write_event(room, base.event_fields(session, conference, absolute_url))
    indent(root, space=" ")
    # Text typed in the admin may still hold a control character, which XML 1.0 cannot carry.
    document = base.CONTROL_CHARACTERS.sub("", tostring(root, encoding="unicode"))
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + document.encode()


def write_event(room, fields):
    event = SubElement(room, "event", {"id": str(fields["id"]), "guid": fields["guid"]})
    for name in ("room", "title", "type", "date", "start", "duration", "abstract", "track"):
        SubElement(event, name).text = fields[name]
    SubElement(event, "subtitle").text = ""
    if base.XML_EVENT_SLUG.match(fields["slug"]):
        SubElement(event, "slug").text = fields["slug"]
    SubElement(event, "url").text = fields["url"]
    persons = SubElement(event, "persons")
    for pk, guid, name, _bio in fields["persons"]:
        SubElement(persons, "person", {"id": str(pk), "guid": guid}).text = name
    if fields["links"]:
        links = SubElement(event, "links")
        for url, title, link_type in fields["links"]:
            attributes = {"href": url} | ({"type": link_type} if link_type else {})
            SubElement(links, "link", attributes).text = title


class FrabXml(base.ScheduleFormat):
    identifier = "xml"
    label = "frab/c3voc schedule.xml"
    extension = "xml"
    content_type = CONTENT_TYPE
    read = staticmethod(read)
    write = staticmethod(write)
