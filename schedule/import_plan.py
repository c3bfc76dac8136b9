"""Planning an import: what a schedule file will do to a conference, decided before anything is
written. A dry run and a real run report the same decisions, and the write step (in
schedule.importing) only carries them out.
"""

import re
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference import timezones
from conference.models import Conference, SessionType, Stage, Track
from conference.slugs import UniqueSlugs
from schedule.formats import base
from schedule.models import Session, SessionSpeaker
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


@dataclass
class NamedRows:
    """The rows of one kind (stages, tracks, types or speakers) that the file names, by name."""

    model: type[models.Model]
    matched: dict[str, models.Model] = field(default_factory=dict)  # already in the conference
    new: dict[str, models.Model] = field(default_factory=dict)  # unsaved, for the write step

    def __contains__(self, name):
        return name in self.matched or name in self.new

    def get(self, name):
        return self.matched.get(name) or self.new.get(name)


@dataclass
class SessionChange:
    """What the import does to one session of the file: create it, change some fields, or nothing."""

    title: str
    key: uuid.UUID  # the session's UUID in this conference
    fields: dict  # the session as the file has it; stage, track and type as rows, maybe unsaved
    speakers: list[Speaker]  # in the file's order, each once
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
    names = {
        "stage": [*imported.stages, *(s.stage for s in imported.sessions)],
        "track": [s.track for s in imported.sessions],
        "session_type": [s.session_type for s in imported.sessions],
    }
    parts = {
        name: plan_parts(conference, PART_FIELDS[name], names[name], imported.colours)
        for name in PART_FIELDS
    }
    speakers = plan_speakers(conference, imported)
    existing = {s.uuid: s for s in in_conference(Session.all_objects, conference)}
    sessions = plan_sessions(imported, conference, existing, parts, speakers)
    listed = {change.session.pk for change in sessions if not change.is_new}
    gone = [s for s in existing.values() if s.pk not in listed and s.removed_at is None]
    return ImportPlan(
        conference=conference,
        parts=parts,
        speakers=speakers,
        sessions=sessions,
        gone=sorted(gone, key=lambda s: (s.start, s.title)),
        remove_missing=remove_missing,
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


def plan_parts(conference, model, names, colours):
    """Match stage, track or type names to the conference's rows by name, then by slug; plan
    the others as new rows: stages after the existing ones, tracks and types in the file's colour.
    """
    existing = list(in_conference(model.objects, conference))
    by_name = {part.name: part for part in existing}
    by_slug = {part.slug: part for part in existing}
    slugs = UniqueSlugs(by_slug, max_length=SLUG_LENGTH)
    position = max((getattr(part, "position", 0) for part in existing), default=-1) + 1
    rows = NamedRows(model)
    for name in (name for name in dict.fromkeys(names) if name):
        part = by_name.get(name) or by_slug.get(slugify(name))
        if part is not None:
            rows.matched[name] = part
            continue
        part = model(conference=conference, name=name, slug=slugs.make(name, fallback="part"))
        if model is Stage:
            part.position = position
            position += 1
        elif name in colours and COLOUR.fullmatch(colours[name]):
            part.colour = colours[name]
        rows.new[name] = part
    return rows


def plan_speakers(conference, imported):
    """Match speaker names to the conference's speakers by name, then by slug; plan the others."""
    existing = list(in_conference(Speaker.objects, conference))
    by_name = {speaker.name: speaker for speaker in existing}
    by_slug = {speaker.slug: speaker for speaker in existing}
    slugs = UniqueSlugs(by_slug, max_length=SLUG_LENGTH)
    rows = NamedRows(Speaker)
    for person in (p for s in imported.sessions for p in s.speakers):
        if person.name in rows:
            continue
        speaker = by_name.get(person.name) or by_slug.get(slugify(person.name))
        if speaker is not None:
            rows.matched[person.name] = speaker
            continue
        rows.new[person.name] = Speaker(
            conference=conference,
            name=person.name[:200],
            slug=slugs.make(person.name, fallback="speaker"),
            bio=person.bio,
        )
    return rows


def plan_sessions(imported, conference, existing, parts, speakers):
    """A SessionChange for each session of the file, matched to existing rows by UUID."""
    keys = uuids_in_conference(imported, conference)
    current_speakers = speaker_ids_by_session(conference)
    slugs = UniqueSlugs((s.slug for s in existing.values()), max_length=SLUG_LENGTH)
    changes = []
    for item in imported.sessions:
        change = SessionChange(
            title=item.title,
            key=keys[item.key],
            fields=fields_from_file(item, parts),
            speakers=speakers_of(item, speakers),
        )
        change.session = existing.get(change.key)
        if change.is_new:
            change.slug = slugs.make(item.slug or item.title, fallback="session")
        else:
            change.changed = changed_fields(change, current_speakers.get(change.session.pk, []))
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


def fields_from_file(item, parts):
    """The session's fields as the file has them, in the order changes are reported."""
    return {
        "title": item.title,
        "start": item.start,
        "end": item.end,
        "stage": parts["stage"].get(item.stage),
        "track": parts["track"].get(item.track),
        "session_type": parts["session_type"].get(item.session_type),
        "abstract": item.abstract,
        "status": Session.Status.CANCELLED if item.cancelled else Session.Status.CONFIRMED,
        "removed_at": None,  # listed again: a removed session comes back
    }


def speakers_of(item, speakers):
    """The session's speakers in the file's order, each once: two names may be one speaker."""
    rows = {}
    for person in item.speakers:
        row = speakers.get(person.name)
        rows.setdefault(id(row), row)  # by identity: unsaved rows cannot be hashed
    return list(rows.values())


def changed_fields(change, current_speaker_ids):
    """The names of the fields the file changes on the existing session, "speakers" last."""
    session = change.session
    changed = [name for name, value in change.fields.items() if differs(session, name, value)]
    # A speaker still to be created has no id yet, so it never matches: a change, as it should.
    if [speaker.pk for speaker in change.speakers] != current_speaker_ids:
        changed.append("speakers")
    return changed


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
