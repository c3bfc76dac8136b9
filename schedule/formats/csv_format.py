"""CSV, one row per session, with the columns of COLUMNS (our export writes them all).

Times are given twice: in UTC (start_utc, end_utc, ISO 8601 with Z) and as the conference's
clock reads them (start_local, end_local as YYYY-MM-DD HH:MM, in the zone of the timezone column).
On import the UTC columns win; a file with local times only is read in its timezone column, or
in the conference's timezone when it has none.

speaker_ids holds the speakers' ids in the order of the speakers column (our export writes their
guids), so that two people of one name stay two; stage_id likewise the stage's, so that stages
whose names differ in accents alone stay two. Both may be left out.

The links column holds a session's links, one a line, as "[kind] title <url>": kind is one of
slides, video, livestream, other and may be left out (the import then guesses it), as may the
title; a line that is a bare address is a link too.
"""

import csv
import io
import re

from django.utils.translation import gettext as _

from conference import timezones
from schedule.formats import base

CONTENT_TYPE = "text/csv; charset=utf-8"
COLUMNS = (
    "uuid",
    "slug",
    "title",
    "start_utc",
    "end_utc",
    "start_local",
    "end_local",
    "timezone",
    "stage",
    "stage_id",
    "track",
    "type",
    "speakers",
    "speaker_ids",
    "abstract",
    "status",
    "links",
)
SPEAKER_SEPARATOR = ";"
LINK_KINDS = ("slides", "video", "livestream", "other")
LINK_LINE = re.compile(r"^(?:\[(?P<kind>\w+)\]\s*)?(?P<title>.*?)\s*<(?P<url>[^<>\s]+)>$")
LOCAL_FORMAT = "%Y-%m-%d %H:%M"
# A cell a spreadsheet would run as a formula gets a leading apostrophe, dropped on import.
# What a spreadsheet would run as a formula: =, +, - or @ (or their fullwidth forms, which
# some spreadsheets read alike), after any blanks, or a tab, carriage return or line feed.
FORMULA = re.compile(r"^(?:[\t\r\n]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])")
QUOTED_FORMULA = re.compile(r"^'(?:[\t\r\n]|[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20])")


def decode(data):
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise base.FormatError(
            _("the file is not UTF-8 text."), _("line %(line)s") % {"line": line}
        ) from error


def read(data):
    text = decode(data)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(rows)]
    except StopIteration:
        raise base.FormatError(_("the file is empty."), _("line 1")) from None
    except csv.Error as error:
        raise base.FormatError(str(error), _("line 1")) from error
    missing = [name for name in ("title",) if name not in header]
    has_utc = {"start_utc", "end_utc"} <= set(header)
    has_local = {"start_local", "end_local"} <= set(header)
    if not (has_utc or has_local):
        missing.append("start_utc, end_utc")
    if missing:
        raise base.FormatError(
            _("the header misses the required column(s) %(columns)s (it has: %(header)s).")
            % {"columns": ", ".join(missing), "header": ", ".join(header)},
            _("line 1"),
        )
    result = base.ImportedSchedule(format="csv")
    try:
        for values in rows:
            where = _("line %(line)s") % {"line": rows.line_num}
            if not any(value.strip() for value in values):
                continue
            if len(values) != len(header):
                result.reject(
                    where,
                    _("the row has %(count)s cells, the header %(expected)s.")
                    % {"count": len(values), "expected": len(header)},
                )
                continue
            row = {
                name: base.text(unquote(value)) for name, value in zip(header, values, strict=True)
            }
            session = read_row(row, where, result, has_utc)
            if session is not None:
                result.sessions.append(session)
    except csv.Error as error:
        raise base.FormatError(str(error), _("line %(line)s") % {"line": rows.line_num}) from error
    zones = {session.zone for session in result.sessions if session.zone}
    if len(zones) == 1:
        result.timezone = zones.pop()
    return result


def read_row(row, where, result, has_utc):
    problems = []
    if not row["title"]:
        problems.append(_("the title is empty."))
    zone = None
    if row.get("timezone"):
        try:
            zone = timezones.get_zone(row["timezone"])
        except timezones.UnknownTimezone as error:
            problems.append(str(error))
    start = end = None
    if has_utc and (row.get("start_utc") or row.get("end_utc")):
        try:
            start = base.parse_instant(row["start_utc"])
            end = base.parse_instant(row["end_utc"])
        except ValueError:
            problems.append(
                _("start_utc/end_utc “%(start)s”/“%(end)s” are not ISO 8601 times with Z.")
                % {"start": row["start_utc"], "end": row["end_utc"]}
            )
    else:
        start, end = read_local(row, zone, problems)
    if row.get("timezone") and zone is None:
        start = end = None
    if start is not None and end is not None and end <= start:
        problems.append(
            _("the session ends (%(end)s) before or when it starts (%(start)s).")
            % {"end": end.isoformat(), "start": start.isoformat()}
        )
    if result.reject_all(where, problems):
        return None
    key = row.get("uuid") or (f"slug:{row['slug']}" if row.get("slug") else "")
    return base.ImportedSession(
        key=key or f"title:{row['title']}:{start.isoformat()}",
        title=row["title"],
        start=start,
        end=end,
        where=where,
        stage=row.get("stage", ""),
        stage_id=row.get("stage_id", "") if row.get("stage") else "",
        track=row.get("track", ""),
        session_type=row.get("type", ""),
        abstract=row.get("abstract", ""),
        slug=row.get("slug", ""),
        cancelled=row.get("status", "").lower() == "cancelled",
        zone=zone.key if zone else "",
        speakers=read_speakers(row, where, result),
        links=read_links(row.get("links", ""), where, result),
    )


def read_links(cell, where, result):
    """The links of a links cell, "[kind] title <url>" one a line (see the module docstring)."""
    references = []
    for line in filter(None, (line.strip() for line in cell.splitlines())):
        match = LINK_LINE.match(line)
        if match is None:
            references.append((line, "", ""))
        elif match["kind"] and match["kind"].lower() not in LINK_KINDS:
            # "[draft] notes <url>": brackets that name no kind are part of the title.
            references.append((match["url"], line[: match.start("url") - 1].strip(), ""))
        else:
            references.append((match["url"], match["title"], (match["kind"] or "").lower()))
    return base.read_links(references, base_url="", where=where, result=result)


def read_local(row, zone, problems):
    """Local start and end: aware when the row names its timezone, naive (floating) otherwise."""
    try:
        start = base.dt.datetime.strptime(row["start_local"], LOCAL_FORMAT)
        end = base.dt.datetime.strptime(row["end_local"], LOCAL_FORMAT)
    except (KeyError, ValueError):
        problems.append(
            _("start_local/end_local “%(start)s”/“%(end)s” are not times as YYYY-MM-DD HH:MM.")
            % {"start": row.get("start_local", ""), "end": row.get("end_local", "")}
        )
        return None, None
    if zone is None:
        return start, end
    try:
        return timezones.to_utc(start, zone), timezones.to_utc(end, zone)
    except timezones.LocalTimeError as error:
        problems.append(str(error))
        return None, None


def unquote(value):
    return value[1:] if QUOTED_FORMULA.match(value) else value


def safe_cell(value):
    """A cell a spreadsheet shows as text: a leading quote before anything it would run."""
    return f"'{value}" if FORMULA.match(value) else value


def read_speakers(row, where, result):
    """The speakers cell, names separated by ";", and their ids in speaker_ids, in the same order
    (our export's person guids): with ids, two people of one name stay two."""
    names = [name.strip() for name in row.get("speakers", "").split(SPEAKER_SEPARATOR)]
    names = [name for name in names if name]
    ids = [value.strip() for value in row.get("speaker_ids", "").split(SPEAKER_SEPARATOR)]
    ids = [value for value in ids if value]
    if ids and len(ids) != len(names):
        result.note(
            where,
            _("speaker_ids has %(ids)d ids for %(names)d speakers: the ids are not used.")
            % {"ids": len(ids), "names": len(names)},
        )
        ids = []
    return [
        base.ImportedSpeaker(name=name, source_id=ids[number] if ids else "")
        for number, name in enumerate(names)
    ]


def link_line(link):
    title = " ".join(link.title.split())
    return f"[{link.kind}] {title} <{link.url}>" if title else f"[{link.kind}] <{link.url}>"


def write(conference, sessions, **_options):
    zone = conference.zone
    output = io.StringIO(newline="")
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for session in sessions:
        start = timezones.to_local(session.start, zone)
        end = timezones.to_local(session.end, zone)
        row = (
            str(session.uuid),
            session.slug,
            session.title,
            timezones.to_local(session.start, timezones.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            timezones.to_local(session.end, timezones.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            start.strftime(LOCAL_FORMAT),
            end.strftime(LOCAL_FORMAT),
            conference.timezone,
            session.stage.name if session.stage else "",
            str(base.stage_guid(conference, session.stage)) if session.stage else "",
            session.track.name if session.track else "",
            session.session_type.name if session.session_type else "",
            f"{SPEAKER_SEPARATOR} ".join(link.speaker.name for link in session.speaker_links.all()),
            f"{SPEAKER_SEPARATOR} ".join(
                str(base.person_guid(conference, link.speaker))
                for link in session.speaker_links.all()
            ),
            session.abstract,
            session.status,
            "\n".join(link_line(link) for link in session.links.all()),
        )
        writer.writerow([safe_cell(value) for value in row])
    return output.getvalue().encode()


class Csv(base.ScheduleFormat):
    identifier = "csv"
    label = "CSV"
    extension = "csv"
    content_type = CONTENT_TYPE
    read = staticmethod(read)
    write = staticmethod(write)
