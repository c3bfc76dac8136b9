"""c3voc schedule.json, as pretalx, frab and our own export write it."""

import json
import re

from django.utils.translation import gettext as _

from schedule.formats import base

CONTENT_TYPE = "application/json; charset=utf-8"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# The schema's own pattern for time_zone_name; other zones are left out of the export.
ZONE_NAME = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")


def load(data):
    try:
        return json.loads(data)
    except UnicodeDecodeError as error:
        raise base.FormatError(_("the file is not UTF-8 text.")) from error
    except json.JSONDecodeError as error:
        raise base.FormatError(
            _("not valid JSON (%(error)s).") % {"error": error.msg},
            _("line %(line)s, column %(column)s") % {"line": error.lineno, "column": error.colno},
        ) from error


def read(data):
    document = load(data)
    schedule = document.get("schedule") if isinstance(document, dict) else None
    conference = schedule.get("conference") if isinstance(schedule, dict) else None
    if not isinstance(conference, dict):
        raise base.FormatError(
            _("there is no schedule.conference object: this is not a c3voc schedule.json."),
            "schedule.conference",
        )
    result = base.ImportedSchedule(format="json")
    result.title = base.text(conference.get("title"))
    result.acronym = base.text(conference.get("acronym"))
    result.timezone = base.text(conference.get("time_zone_name"))
    for name in ("start", "end"):
        try:
            value = base.text(conference.get(name))[:10]
            setattr(result, f"{name}_date", base.dt.date.fromisoformat(value))
        except ValueError:
            pass
    tracks = [track for track in conference.get("tracks") or () if isinstance(track, dict)]
    for track in tracks:
        if track.get("name") and track.get("color"):
            result.colours[track["name"]] = track["color"]
    rooms = [room for room in conference.get("rooms") or () if isinstance(room, dict)]
    for room in rooms:
        if base.text(room.get("name")):
            result.stages.append(base.text(room["name"]))
    days = conference.get("days")
    if not isinstance(days, list):
        raise base.FormatError(_("“days” must be a list."), "schedule.conference.days")
    context = {
        **base.part_ids(
            rooms,
            tracks,
            result,
            rooms_at="schedule.conference.rooms",
            tracks_at="schedule.conference.tracks",
        ),
        "base_url": base.text(schedule.get("base_url")),
    }
    for day_number, day in enumerate(days):
        rooms = day.get("rooms") if isinstance(day, dict) else None
        if not isinstance(rooms, dict):
            result.reject(
                f"schedule.conference.days[{day_number}]", _("“rooms” must be an object.")
            )
            continue
        context["day"] = (day.get("date"), day.get("day_start"), day.get("day_end"))
        for room_name, events in rooms.items():
            if room_name and room_name not in result.stages:
                result.stages.append(room_name)
            for number, event in enumerate(events if isinstance(events, list) else ()):
                path = f"schedule.conference.days[{day_number}].rooms[{room_name!r}][{number}]"
                session = read_event(event, room_name, path, result, context)
                if session is not None:
                    result.sessions.append(session)
    return result


def read_event(event, room_name, path, result, context):
    """One event; context: the file's stage_ids and track_ids by name, its base_url and the
    enclosing day as (date, day_start, day_end)."""
    if not isinstance(event, dict):
        result.reject(path, _("an event must be an object."))
        return None
    where = f"{path} (id {event.get('id', '?')})"
    guid = base.text(event.get("guid"))
    key = base.event_key(guid, event.get("id"), result.acronym)
    title = base.text(event.get("title"))
    date_text = base.text(event.get("date"))
    problems = []
    if not key:
        problems.append(_("the event has neither a guid nor an id."))
    if not title:
        problems.append(_("“title” is missing or empty."))
    end = None
    start = base.read_start(date_text, "“date”", problems)
    try:
        if event.get("end"):
            end = base.parse_instant(base.text(event["end"]))
        elif start is not None:
            end = start + base.parse_duration(base.text(event.get("duration")))
    except ValueError as error:
        problems.append(f"“end”/“duration”: {error}")
    if start is not None and end is not None and end <= start:
        problems.append(
            _("the event ends (%(end)s) before or when it starts (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()}
        )
    if result.reject_all(where, problems):
        return None
    check_contradictions(event, start, end, room_name, where, result, context["day"])
    stage = base.text(event.get("room")) or room_name
    track = base.text(event.get("track"))
    return base.ImportedSession(
        key=key,
        title=title,
        start=start,
        end=end,
        where=where,
        offset=base.offset_of(date_text),
        stage=stage,
        track=track,
        session_type=base.text(event.get("type")),
        abstract=base.text(event.get("abstract")) or base.text(event.get("description")),
        slug=base.text(event.get("slug")),
        speakers=[
            base.ImportedSpeaker(
                name=base.text(person.get("name") or person.get("public_name")),
                bio=base.text(person.get("biography")),
                source_id=base.source_id(person.get),
                photo_url=base.absolute_link(
                    person.get("avatar") or person.get("image"),
                    context["base_url"] or base.text(event.get("url")),
                ),
            )
            for person in event.get("persons") or ()
            if isinstance(person, dict) and (person.get("name") or person.get("public_name"))
        ],
        stage_id=context["stage_ids"].get(stage, ""),
        track_id=context["track_ids"].get(track, ""),
        links=base.read_links(
            references(event),
            # Paths from the root ("/system/…") are on the host of the file, else of the event.
            base_url=context["base_url"] or base.text(event.get("url")),
            where=where,
            result=result,
        ),
    )


def check_contradictions(event, start, end, room_name, where, result, day):
    """Notes what the event says twice and differently; see base.py for which value wins."""
    date_text = base.text(event.get("date"))
    base.check_start(
        result,
        where,
        date_text=date_text,
        start_text=event.get("start"),
        labels=("“date”", "“start”"),
    )
    if event.get("end") and event.get("duration"):
        try:
            by_duration = start + base.parse_duration(base.text(event["duration"]))
        except ValueError:
            by_duration = None
        if by_duration is not None and by_duration != end:
            result.note(
                where,
                _(
                    "“end” “%(end)s” disagrees with “date” + “duration” (%(date)s + "
                    "%(duration)s); “end” is used."
                )
                % {
                    "end": base.text(event["end"]),
                    "date": date_text,
                    "duration": base.text(event["duration"]),
                },
            )
    base.check_room(
        result,
        where,
        own_room=base.text(event.get("room")),
        enclosing_room=room_name,
        label="“room”",
    )
    base.check_day(result, where, start=start, date_text=date_text, day=day)


def references(event):
    """(address, title, type) of an event's links and attachments, and of pretalx's resources
    ({"resource" or "link": address, "description": title})."""
    for name in ("links", "attachments", "resources"):
        for item in event.get(name) or ():
            if isinstance(item, dict):
                address = item.get("url") or item.get("link") or item.get("resource")
                title = item.get("title") or item.get("description")
                yield address, title, item.get("type")


def write(conference, sessions, *, absolute_url, version):
    sessions = base.exported_sessions(sessions)
    days = base.schedule_days(conference, sessions)
    meta = {
        "acronym": base.acronym(conference),
        "title": conference.name,
        "start": days[0][1].isoformat() if days else conference.start_date.isoformat(),
        "end": days[-1][1].isoformat() if days else conference.end_date.isoformat(),
        "daysCount": len(days),
        "timeslot_duration": "00:05",
    }
    if ZONE_NAME.search(conference.timezone):
        meta["time_zone_name"] = conference.timezone
    meta["url"] = absolute_url(conference.get_absolute_url())
    meta["tracks"] = [
        {"name": track.name, "color": track.colour}
        | ({"slug": track.slug} if base.TRACK_SLUG.match(track.slug) else {})
        for track in base.conference_tracks(sessions)
    ]
    stages = {name: room[0].stage for *_day, rooms in days for name, room in rooms}
    meta["rooms"] = [
        {"name": name, "guid": str(base.stage_guid(conference, stage))}
        for name, stage in stages.items()
    ]
    meta["days"] = [
        {
            "index": index,
            "date": day.isoformat(),
            "day_start": start.isoformat(),
            "day_end": end.isoformat(),
            "rooms": {
                name: [event(session, conference, absolute_url) for session in room_sessions]
                for name, room_sessions in rooms
            },
        }
        for index, day, start, end, rooms in days
    ]
    document = {
        "$schema": SCHEMA_URL,
        "generator": base.GENERATOR,
        "schedule": {
            "version": version,
            "base_url": absolute_url(f"/{conference.slug}/"),
            "conference": meta,
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def event(session, conference, absolute_url):
    fields = base.event_fields(session, conference, absolute_url)
    return {
        "id": fields["id"],
        "guid": fields["guid"],
        "date": fields["date"],
        "start": fields["start"],
        "end": fields["end"],
        "duration": fields["duration"],
        "room": fields["room"],
        "slug": (
            fields["slug"]
            if base.JSON_EVENT_SLUG.match(fields["slug"])
            else f"session-{fields['id']}"
        ),
        "url": fields["url"],
        "title": fields["title"],
        "subtitle": "",
        "track": fields["track"] or None,
        "type": fields["type"],
        "language": None,
        "abstract": fields["abstract"],
        "persons": [
            {"id": pk, "guid": guid, "public_name": name, "biography": bio}
            for pk, guid, name, bio in fields["persons"]
        ],
        "links": [
            {"url": url, "title": title} | ({"type": link_type} if link_type else {})
            for url, title, link_type in fields["links"]
        ],
    }


class C3vocJson(base.ScheduleFormat):
    identifier = "json"
    label = "c3voc schedule.json"
    extension = "json"
    content_type = CONTENT_TYPE
    read = staticmethod(read)
    write = staticmethod(write)
