"""Planning an import: what a schedule file will do to a conference, decided before anything is
written. A dry run and a real run report the same decisions, and the write step (in
schedule.importing) only carries them out.
"""

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference import timezones
from conference.models import Conference, SessionType, Stage, Track
from conference.slugs import UniqueSlugs
from schedule.formats import base
from schedule.models import Session, SessionLink, SessionSpeaker
from speakers.models import Speaker

SLUG_LENGTH = 96  # UniqueSlugs keeps 6 characters for "-12345": imported slugs stop at 90
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
# The session fields that point at a stage, track or type, as named on Session and ImportedSession.
PART_FIELDS = {"stage": Stage, "track": Track, "session_type": SessionType}


class Rejected(Exception):
    """The file cannot go into this conference: raised inside the transaction, so nothing stays."""

    def __init__(self, problems):
        super().__init__(problems)
        self.problems = problems


def identity(name, source_id=""):
    """What a file names a stage, track, type or person by: its own id when it has one (two people
    called "Mo" are two people), else its name."""
    return ("id", source_id) if source_id else ("name", name)


@dataclass
class NamedRows:
    """The rows of one kind (stages, tracks, types or speakers) that the file names, by identity."""

    model: type[models.Model]
    matched: dict[tuple, models.Model] = field(default_factory=dict)  # already in the conference
    new: dict[tuple, models.Model] = field(default_factory=dict)  # unsaved, for the write step
    # Matched rows the import changes: the file's id adopted, or a new name for the same id.
    changed: dict[int, models.Model] = field(default_factory=dict)

    ids: dict[str, str] = field(default_factory=dict)  # known_ids() of the file's mentions

    def key(self, name, source_id=""):
        return identity(name, source_id or self.ids.get(name, ""))

    def __contains__(self, key):
        return key in self.matched or key in self.new

    def get(self, name, source_id=""):
        """The row for a mention of the file; None for no name."""
        key = self.key(name, source_id)
        return self.matched.get(key) or self.new.get(key)


class RowMatcher:
    """Finds the conference's row for a name and the file's id: the row that has the id; else,
    for a row that has no id yet and is not taken by another id of the file, the same name or
    slug. An id names one row even if its spelling changes; a name shared by two ids is two rows.
    """

    def __init__(self, existing, export_id=None):
        # A row is known by the id its file gave it and by the one our exports give it.
        self.by_id = {str(export_id(row)): row for row in existing} if export_id else {}
        self.by_id |= {row.source_id: row for row in existing if row.source_id}
        self.by_name = {row.name: row for row in existing}
        self.by_slug = {row.slug: row for row in existing}
        self.taken = set()  # pks of rows that an id of the file already claimed

    def find(self, name, source_id):
        if source_id and source_id in self.by_id:
            return self.by_id[source_id]
        for row in (self.by_name.get(name), self.by_slug.get(slugify(name))):
            if row is None or (source_id and (row.source_id or row.pk in self.taken)):
                continue
            if source_id:
                self.taken.add(row.pk)
            return row
        return None


def adopt(rows, row, name, source_id, notes, kind):
    """Record on a matched row what the file says of it: its id, and its name when the id found it
    under another spelling (the slug stays, so links keep working)."""
    if source_id and not row.source_id:
        row.source_id = source_id
        rows.changed[row.pk] = row
    elif source_id and row.name != fits(row, name):
        notes.append(
            base.Problem(
                "",
                _("%(kind)s with id “%(id)s” renamed from “%(old)s” to “%(new)s”.")
                % {"kind": kind, "id": source_id, "old": row.name, "new": name},
            )
        )
        row.name = fits(row, name)
        rows.changed[row.pk] = row


def fits(row, name):
    """The name cut to what the row's column holds."""
    return name[: row._meta.get_field("name").max_length]


@dataclass
class SessionChange:
    """What the import does to one session of the file: create it, change some fields, or nothing."""

    title: str
    key: uuid.UUID  # the session's UUID in this conference
    fields: dict  # the session as the file has it; stage, track and type as rows, maybe unsaved
    speakers: list[Speaker]  # in the file's order, each once
    links: list[SessionLink]  # unsaved; empty when the file lists none (the session's stay)
    session: Session | None = None  # the row to update; None when the session is new
    slug: str = ""  # a new session's slug
    changed: list[str] = field(default_factory=list)  # field names as reported, and "speakers"

    @property
    def is_new(self):
        return self.session is None


@dataclass
class ImportPlan:
    """Everything an import will do, sessions in the file's order; the report is read from it."""

    conference: Conference  # unsaved when the import creates it
    parts: dict[str, NamedRows]  # by PART_FIELDS name
    speakers: NamedRows
    sessions: list[SessionChange]
    gone: list[Session]  # live sessions the file no longer lists, by start and title
    remove_missing: bool  # remove the gone sessions, rather than only report them missing
    notes: list[base.Problem] = field(default_factory=list)  # what the organiser should know

    @property
    def created(self):
        return [change for change in self.sessions if change.is_new]

    @property
    def updated(self):
        return [change for change in self.sessions if change.changed and not change.is_new]

    @property
    def changes_schedule(self):
        return bool(self.created or self.updated or (self.remove_missing and self.gone))


def conference_for(imported, slug):
    """The conference to import into: the existing one, or a new one, validated but unsaved."""
    conference = Conference.objects.filter(slug=slug).first()
    if conference is not None:
        return conference
    try:
        validate_slug(slug)
    except ValidationError:
        message = _("“%(slug)s” cannot be a conference slug (letters, digits, - and _ only).")
        raise Rejected([base.Problem("", message % {"slug": slug})]) from None
    zone = timezones.get_zone(imported.timezone or zone_from_offsets(imported))
    dates = [timezones.local_date(s.start, zone) for s in imported.sessions if s.start.tzinfo]
    dates += [day for day in (imported.start_date, imported.end_date) if day]
    today = timezones.local_date(timezone.now(), zone)
    conference = Conference(
        name=(imported.title or imported.acronym or slug)[:200],
        slug=slug,
        timezone=zone.key,
        start_date=min(dates, default=today),
        end_date=max(dates, default=today),
    )
    conference.full_clean()
    return conference


def zone_from_offsets(imported):
    """A new conference's timezone when the file names none: the one of its commonest offset."""
    offsets = Counter(s.offset for s in imported.sessions if s.offset is not None)
    if not offsets:
        return "UTC"
    return base.zone_for_offset(offsets.most_common(1)[0][0])


def plan_import(imported, conference, *, remove_missing):
    """Decide what importing the file into the conference will do: reads rows, writes none."""
    resolve_floating_times(imported, conference.zone)
    notes = list(imported.notes)
    named = {
        "stage": [
            *(("", name) for name in imported.stages),
            *((s.stage_id, s.stage) for s in imported.sessions),
        ],
        "track": [(s.track_id, s.track) for s in imported.sessions],
        "session_type": [("", s.session_type) for s in imported.sessions],
    }
    parts = {
        name: plan_parts(conference, PART_FIELDS[name], named[name], imported.colours, notes)
        for name in PART_FIELDS
    }
    speakers = plan_speakers(conference, imported, notes)
    # Compared with the schedule as organisers plan it: a change the draft already holds is
    # no change, and Session.save keeps the import's changes in the draft.
    planned = Session.all_objects.select_related("conference").with_draft()
    existing = {s.uuid: s for s in in_conference(planned, conference)}
    sessions = plan_sessions(imported, conference, existing, parts, speakers, notes)
    listed = {change.session.pk for change in sessions if not change.is_new}
    gone = [s for s in existing.values() if s.pk not in listed and s.removed_at is None]
    return ImportPlan(
        conference=conference,
        parts=parts,
        speakers=speakers,
        sessions=sessions,
        gone=sorted(gone, key=lambda s: (s.start, s.title)),
        remove_missing=remove_missing,
        notes=notes,
    )


def resolve_floating_times(imported, zone):
    """Floating times (no offset, no TZID) are the conference's clock: made UTC in place."""
    problems = []
    for session in imported.sessions:
        try:
            if session.start.tzinfo is None:
                session.start = timezones.to_utc(session.start, zone)
            if session.end.tzinfo is None:
                session.end = timezones.to_utc(session.end, zone)
        except timezones.LocalTimeError as error:
            problems.append(base.Problem(session.where, str(error)))
    if problems:
        raise Rejected(problems)


def in_conference(queryset, conference, path="conference"):
    """The queryset's rows of the conference; none for a conference the import will create."""
    if conference.pk is None:
        return queryset.none()
    return queryset.filter(**{path: conference})


def known_ids(mentions):
    """{name: the first id the file gives it}: a name mentioned without an id elsewhere is that
    row (a room listed by name, its events giving its guid)."""
    ids = {}
    for source_id, name in mentions:
        if source_id and name:
            ids.setdefault(name, source_id)
    return ids


def plan_parts(conference, model, mentions, colours, notes):
    """Match stages, tracks or types to the conference's rows (RowMatcher); plan the others as new
    rows: stages after the existing ones, tracks and types in the file's colour."""
    existing = list(in_conference(model.objects, conference))
    export_id = partial(base.stage_guid, conference) if model is Stage else None
    matcher = RowMatcher(existing, export_id)
    slugs = UniqueSlugs((part.slug for part in existing), max_length=SLUG_LENGTH)
    position = max((getattr(part, "position", 0) for part in existing), default=-1) + 1
    rows = NamedRows(model, ids=known_ids(mentions))
    for source_id, name in mentions:
        key = rows.key(name, source_id)
        if not name or key in rows:
            note_second_name(rows, key, name, notes)
            continue
        source_id = key[1] if key[0] == "id" else ""
        part = matcher.find(name, source_id)
        if part is not None:
            rows.matched[key] = part
            adopt(rows, part, name, source_id, notes, model._meta.verbose_name.capitalize())
            continue
        part = model(
            conference=conference,
            name=name,
            slug=slugs.make(name, fallback="part"),
            source_id=source_id,
        )
        if model is Stage:
            part.position = position
            position += 1
        elif name in colours and COLOUR.fullmatch(colours[name]):
            part.colour = colours[name]
        rows.new[key] = part
    return rows


def plan_speakers(conference, imported, notes):
    """Match the file's people to the conference's speakers (RowMatcher); plan the others."""
    existing = list(in_conference(Speaker.objects, conference))
    matcher = RowMatcher(existing, partial(base.person_guid, conference))
    slugs = UniqueSlugs((speaker.slug for speaker in existing), max_length=SLUG_LENGTH)
    people = [person for session in imported.sessions for person in session.speakers]
    rows = NamedRows(Speaker, ids=known_ids((p.source_id, p.name) for p in people))
    for person in people:
        key = rows.key(person.name, person.source_id)
        if key in rows:
            note_second_name(rows, key, person.name, notes)
            continue
        name, source_id = person.name, (key[1] if key[0] == "id" else "")
        speaker = matcher.find(name, source_id)
        if speaker is not None:
            rows.matched[key] = speaker
            adopt(rows, speaker, name, source_id, notes, _("Speaker"))
            continue
        rows.new[key] = Speaker(
            conference=conference,
            name=name[:200],
            slug=slugs.make(name, fallback="speaker"),
            bio=person.bio,
            source_id=source_id,
        )
    return rows


def note_second_name(rows, key, name, notes):
    """One id under two names in the file: the first name is kept, and the organiser told."""
    row = rows.matched.get(key) or rows.new.get(key)
    if row is None or key[0] != "id" or not name or fits(row, name) == row.name:
        return
    message = _("the id “%(id)s” is given to “%(first)s” and to “%(name)s”; “%(first)s” is kept.")
    problem = base.Problem("", message % {"id": key[1], "first": row.name, "name": name})
    if problem not in notes:
        notes.append(problem)


def plan_sessions(imported, conference, existing, parts, speakers, notes):
    """A SessionChange for each session of the file, matched to existing rows by UUID."""
    keys = uuids_in_conference(imported, conference)
    current_speakers = speaker_ids_by_session(conference)
    current_links = links_by_session(conference)
    slugs = UniqueSlugs((s.slug for s in existing.values()), max_length=SLUG_LENGTH)
    changes = []
    for item in imported.sessions:
        change = SessionChange(
            title=item.title,
            key=keys[item.key],
            fields=fields_from_file(item, parts),
            speakers=speakers_of(item, speakers),
            links=[],
        )
        change.session = existing.get(change.key)
        previous = current_links.get(change.session.pk, []) if change.session else []
        change.links = links_of(item, previous, notes)
        if change.is_new:
            change.slug = slugs.make(item.slug or item.title, fallback="session")
        else:
            change.changed = changed_fields(
                change, current_speakers.get(change.session.pk, []), previous
            )
        changes.append(change)
    return changes


def uuids_in_conference(imported, conference):
    """{file key: UUID}; a file already imported into another conference gets UUIDs of its own
    here, so the two copies stay apart."""
    keys = {s.key: base.key_uuid(s.key) for s in imported.sessions}
    elsewhere = Session.all_objects.filter(uuid__in=keys.values())
    if conference.pk is not None:
        elsewhere = elsewhere.exclude(conference=conference)
    taken = set(elsewhere.values_list("uuid", flat=True))
    return {
        key: uuid.uuid5(value, conference.slug) if value in taken else value
        for key, value in keys.items()
    }


def speaker_ids_by_session(conference):
    """{session pk: speaker pks in order}, in one query rather than one per session."""
    links = in_conference(SessionSpeaker.objects, conference, path="session__conference")
    speaker_ids = {}
    for session_id, speaker_id in links.values_list("session_id", "speaker_id"):
        speaker_ids.setdefault(session_id, []).append(speaker_id)
    return speaker_ids


def links_by_session(conference):
    """{session pk: its links in order}, in one query."""
    links = in_conference(SessionLink.objects, conference, path="session__conference")
    by_session = {}
    for link in links.order_by("position", "pk"):
        by_session.setdefault(link.session_id, []).append(link)
    return by_session


def links_of(item, previous, notes):
    """The session's links as the file has them, unsaved, each address once. A link the session
    already has keeps the kind given here when the file does not say; an address the database
    cannot hold is left out with a note."""
    kinds = {link.url: link.kind for link in previous}
    validate = URLValidator(schemes=["http", "https"])
    links = {}
    for imported in item.links:
        url = imported.url.strip()
        try:
            validate(url)
            if len(url) > SessionLink._meta.get_field("url").max_length:
                raise ValidationError("too long")
        except ValidationError:
            notes.append(
                base.Problem(
                    item.where,
                    _("the link “%(url)s” is not a usable http(s) address; it is left out.")
                    % {"url": url[:200]},
                )
            )
            continue
        kind = imported.kind or kinds.get(url) or SessionLink.guess_kind(url, imported.title)
        links.setdefault(url, SessionLink(url=url, title=imported.title[:300], kind=kind))
    for position, link in enumerate(links.values()):
        link.position = position
    return list(links.values())


def fields_from_file(item, parts):
    """The session's fields as the file has them, in the order changes are reported."""
    return {
        "title": item.title,
        "start": item.start,
        "end": item.end,
        "stage": parts["stage"].get(item.stage, item.stage_id),
        "track": parts["track"].get(item.track, item.track_id),
        "session_type": parts["session_type"].get(item.session_type),
        "abstract": item.abstract,
        "status": Session.Status.CANCELLED if item.cancelled else Session.Status.CONFIRMED,
        "removed_at": None,  # listed again: a removed session comes back
    }


def speakers_of(item, speakers):
    """The session's speakers in the file's order, each once: two names may be one speaker."""
    rows = {}
    for person in item.speakers:
        row = speakers.get(person.name, person.source_id)
        rows.setdefault(id(row), row)  # by identity: unsaved rows cannot be hashed
    return list(rows.values())


def changed_fields(change, current_speaker_ids, current_links):
    """The names of the fields the file changes on the existing session, "speakers" and "links"
    last. A file that lists no links leaves the session's links alone."""
    session = change.session
    changed = [name for name, value in change.fields.items() if differs(session, name, value)]
    # A speaker still to be created has no id yet, so it never matches: a change, as it should.
    if [speaker.pk for speaker in change.speakers] != current_speaker_ids:
        changed.append("speakers")
    if change.links and link_values(change.links) != link_values(current_links):
        changed.append("links")
    return changed


def link_values(links):
    return [(link.kind, link.title, link.url) for link in links]


def differs(session, name, value):
    """Whether the file's value is news for this field of the existing session."""
    if name == "abstract" and not value:
        return False  # a file without abstracts leaves the ones written here alone
    if name in PART_FIELDS:
        # By id, so no stage is loaded per session; a row still to be created is always a change.
        if value is not None and value.pk is None:
            return True
        return getattr(session, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(session, name) != value
