"""Importing a schedule file into a conference: one transaction, and a report of what it did.

Sessions are matched by the file's guid, UID or id (as a UUID, see formats.base.key_uuid) and
updated in place, so agenda entries and anything else pointing at them survive; Session.save
raises the revision of a session whose time, stage, title or status changes.

Sessions of the conference that the file no longer lists are reported as missing and left alone,
unless remove_missing is set: then each is cancelled (its revision goes up, so calendars drop or
strike it) and marked removed_at, which hides it from every public page, feed and agenda
(Session.objects), while the row and its agenda entries stay in the database. A later import
that lists the session again brings it back, agenda entries included.
"""

import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import DatabaseError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference.models import Conference, SessionType, Stage, Track
from conference.signals import bump as bump_schedule_version
from schedule import timezones
from schedule.formats import FORMATS, base, detect
from schedule.models import Session, SessionSpeaker
from schedule.search import normalise_query
from speakers.models import Speaker

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TIMEZONE_ELEMENT = {
    "xml": "<conference><time_zone_name>",
    "json": "schedule.conference.time_zone_name",
    "ics": "X-WR-TIMEZONE",
    "csv": _("timezone column"),
}
LIMITS = {"title": 300, "stage": 100, "track": 100, "session_type": 100}
PROGRESS_STEP = 100


def max_bytes():
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass
class ImportReport:
    conference_slug: str
    format: str = ""
    dry_run: bool = False
    conference_created: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejected: list[base.Problem] = field(default_factory=list)

    @property
    def ok(self):
        return not self.rejected

    @property
    def written(self):
        return self.ok and not self.dry_run

    def summary(self):
        return _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, "
            "%(removed)d removed, %(rejected)d rejected"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "removed": len(self.removed),
            "rejected": len(self.rejected),
        }


class Rejected(Exception):
    """Raised inside the transaction to undo everything when the file has problems."""


def import_schedule(
    *, conference_slug, source, format=None, dry_run, remove_missing=False, progress=None
):
    """Read source (bytes, text or a file) and apply it to the conference; never half-way.

    The report lists problems (with the line or element at fault) instead of raising: with any
    problem, or with dry_run, the transaction is rolled back and nothing is written.
    """
    report = ImportReport(conference_slug=conference_slug, dry_run=dry_run)
    try:
        data = read_source(source)
        report.format = detect.check_format(data, format)
        imported = FORMATS[report.format].read(data)
    except base.FormatError as error:
        report.rejected.append(base.Problem(error.where, error.message))
        return report
    report.rejected += imported.problems + check_schedule(imported)
    if report.rejected:
        return report
    try:
        with transaction.atomic():
            apply_schedule(imported, report, remove_missing=remove_missing, progress=progress)
            if report.rejected:
                raise Rejected
            if dry_run:
                transaction.set_rollback(True)
    except Rejected:
        pass
    except ValidationError as error:
        report.rejected.append(base.Problem(report.conference_slug, " ".join(error.messages)))
    except DatabaseError as error:
        report.rejected.append(
            base.Problem("", _("the database refused the import: %(error)s") % {"error": error})
        )
    return report


def read_source(source):
    data = source.read(max_bytes() + 1) if hasattr(source, "read") else source
    if isinstance(data, str):
        data = data.encode()
    if len(data) > max_bytes():
        raise base.FormatError(
            _("the file is larger than the limit of %(limit)s.")
            % {"limit": filesizeformat(max_bytes())}
        )
    if not data.strip():
        raise base.FormatError(_("the file is empty."))
    return data


def check_schedule(imported):
    """What is wrong with the file as a whole: duplicate keys, names that collide by slug."""
    problems = []
    if imported.timezone:
        try:
            timezones.get_zone(imported.timezone)
        except timezones.UnknownTimezone as error:
            problems.append(base.Problem(TIMEZONE_ELEMENT[imported.format], str(error)))
    seen = {}
    for session in imported.sessions:
        key = base.key_uuid(session.key)
        if key in seen:
            problems.append(
                base.Problem(
                    session.where,
                    _("the id “%(key)s” is used twice (first at %(first)s).")
                    % {"key": session.key, "first": seen[key].where},
                )
            )
        seen.setdefault(key, session)
        for name, limit in LIMITS.items():
            if len(getattr(session, name)) > limit:
                problems.append(
                    base.Problem(
                        session.where,
                        _("the %(field)s is longer than %(limit)d characters.")
                        % {"field": name.replace("_", " "), "limit": limit},
                    )
                )
    problems += slug_collisions(
        ((s.stage, s.where) for s in imported.sessions), _("stages"), imported.stages
    )
    problems += slug_collisions(
        ((person.name, s.where) for s in imported.sessions for person in s.speakers),
        _("speakers"),
        same_person=True,
    )
    return problems


def slug_collisions(names, kind, listed=(), *, same_person=False):
    """Names that collide by slug, which the import cannot tell apart: refuse, naming both.

    Stages collide whenever two names share a slug ('Hall A', 'hall-a'). Speakers collide when
    their names differ only in case, accents or spacing ('José Díaz', 'jose diaz'); names that
    merely slugify alike ('Li Wei 🔥', 'Li Wei') are two people and get slugs -2, -3 ….
    """
    first = {}
    problems = []
    for name, where in [*((name, "") for name in listed), *names]:
        slug = slugify(name)
        if not slug:
            continue
        other = first.get(slug, (name,))[0]
        differ = other != name and (
            not same_person or normalise_query(other) == normalise_query(name)
        )
        if differ:
            other, other_where = first[slug]
            problems.append(
                base.Problem(
                    where,
                    _("%(kind)s “%(name)s” and “%(other)s”%(at)s collide: both become “%(slug)s”.")
                    % {
                        "kind": kind.capitalize(),
                        "name": name,
                        "other": other,
                        "at": f" ({other_where})" if other_where else "",
                        "slug": slug,
                    },
                )
            )
        first.setdefault(slug, (name, where))
    return problems


def apply_schedule(imported, report, *, remove_missing, progress):
    conference = find_or_create_conference(imported, report)
    if conference is None:
        return
    resolve_floating_times(imported, conference.zone, report)
    if report.rejected:
        return
    stages = parts_by_name(
        conference,
        Stage,
        [*imported.stages, *(s.stage for s in imported.sessions)],
        imported.colours,
    )
    tracks = parts_by_name(
        conference, Track, [s.track for s in imported.sessions], imported.colours
    )
    types = parts_by_name(
        conference, SessionType, [s.session_type for s in imported.sessions], imported.colours
    )
    speakers = speakers_by_name(conference, imported)
    existing = {
        session.uuid: session for session in Session.all_objects.filter(conference=conference)
    }
    links = {}
    for session_id, speaker_id in SessionSpeaker.objects.filter(
        session__conference=conference
    ).values_list("session_id", "speaker_id"):
        links.setdefault(session_id, []).append(speaker_id)
    keys = {s.key: base.key_uuid(s.key) for s in imported.sessions}
    elsewhere = set(
        Session.all_objects.filter(uuid__in=keys.values())
        .exclude(conference=conference)
        .values_list("uuid", flat=True)
    )
    slugs = {session.slug for session in existing.values()}
    seen, new_sessions, new_speakers = set(), [], []
    for number, item in enumerate(imported.sessions, start=1):
        key = keys[item.key]
        # The same file imported into a second conference keeps ids apart.
        local_key = key if key not in elsewhere else uuid.uuid5(key, conference.slug)
        values = {
            "title": item.title,
            "start": item.start,
            "end": item.end,
            # Ids, not objects: comparing objects would load each session's stage one by one.
            "stage_id": pk_of(stages.get(item.stage)),
            "track_id": pk_of(tracks.get(item.track)),
            "session_type_id": pk_of(types.get(item.session_type)),
            "abstract": item.abstract,
            "status": Session.Status.CANCELLED if item.cancelled else Session.Status.CONFIRMED,
            "removed_at": None,
        }
        speaker_ids = list(dict.fromkeys(speakers[p.name].pk for p in item.speakers))
        session = existing.get(local_key)
        if session is None:
            slug = unique_slug(item.slug or item.title, slugs, fallback="session")
            new_sessions.append(Session(conference=conference, slug=slug, uuid=local_key, **values))
            new_speakers.append(speaker_ids)
            report.created.append(item.title)
        else:
            seen.add(session.pk)
            update_session(session, values, speaker_ids, links.get(session.pk, []), report)
        if progress and number % PROGRESS_STEP == 0:
            progress(number, len(imported.sessions))
    created = Session.all_objects.bulk_create(new_sessions, batch_size=500)
    SessionSpeaker.objects.bulk_create(
        [
            SessionSpeaker(session=session, speaker_id=speaker_id, position=position)
            for session, speaker_ids in zip(created, new_speakers, strict=True)
            for position, speaker_id in enumerate(speaker_ids)
        ],
        batch_size=1000,
    )
    handle_missing(
        [s for s in existing.values() if s.pk not in seen and s.removed_at is None],
        report,
        remove=remove_missing,
    )
    if report.created or report.updated or report.removed:
        # bulk_create sends no post_save: move the version that cached pages are keyed by.
        bump_schedule_version(conference.pk)
    if progress:
        progress(len(imported.sessions), len(imported.sessions))


def update_session(session, values, speaker_ids, current_speaker_ids, report):
    changed = [
        name
        for name, value in values.items()
        if getattr(session, name) != value and not (name == "abstract" and not value)
    ]
    if speaker_ids != current_speaker_ids:
        changed.append("speakers")
        SessionSpeaker.objects.filter(session=session).delete()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, speaker_id=speaker_id, position=position)
            for position, speaker_id in enumerate(speaker_ids)
        )
    fields = [name for name in changed if name != "speakers"]
    if fields:
        for name in fields:
            setattr(session, name, values[name])
        session.save()
    if changed:
        report.updated.append((session.title, [name.removesuffix("_id") for name in changed]))
    else:
        report.unchanged += 1


def pk_of(part):
    return part.pk if part is not None else None


def handle_missing(sessions, report, *, remove):
    now = timezone.now()
    for session in sorted(sessions, key=lambda s: (s.start, s.title)):
        if not remove:
            report.missing.append(session.title)
            continue
        session.status = Session.Status.CANCELLED
        session.removed_at = now
        session.save()
        report.removed.append(session.title)


def find_or_create_conference(imported, report):
    conference = Conference.objects.filter(slug=report.conference_slug).first()
    if conference is not None:
        return conference
    try:
        validate_slug(report.conference_slug)
    except ValidationError:
        report.rejected.append(
            base.Problem(
                "",
                _("“%(slug)s” cannot be a conference slug (letters, digits, - and _ only).")
                % {"slug": report.conference_slug},
            )
        )
        return None
    zone = timezones.get_zone(imported.timezone or zone_from_offsets(imported))
    dates = [timezones.local_date(s.start, zone) for s in imported.sessions if s.start.tzinfo]
    dates += [day for day in (imported.start_date, imported.end_date) if day]
    today = timezones.local_date(timezone.now(), zone)
    conference = Conference(
        name=(imported.title or imported.acronym or report.conference_slug)[:200],
        slug=report.conference_slug,
        timezone=zone.key,
        start_date=min(dates, default=today),
        end_date=max(dates, default=today),
    )
    conference.full_clean()
    conference.save()
    report.conference_created = True
    return conference


def zone_from_offsets(imported):
    offsets = Counter(s.offset for s in imported.sessions if s.offset is not None)
    if not offsets:
        return "UTC"
    return base.zone_for_offset(offsets.most_common(1)[0][0])


def resolve_floating_times(imported, zone, report):
    """Floating times (no offset, no TZID) are the conference's clock."""
    for session in imported.sessions:
        try:
            if session.start.tzinfo is None:
                session.start = timezones.to_utc(session.start, zone)
            if session.end.tzinfo is None:
                session.end = timezones.to_utc(session.end, zone)
        except timezones.LocalTimeError as error:
            report.rejected.append(base.Problem(session.where, str(error)))


def parts_by_name(conference, model, names, colours):
    """{name: stage/track/type}, the existing ones by name or slug, the others created."""
    names = [name for name in dict.fromkeys(names) if name]
    existing = list(model.objects.filter(conference=conference))
    by_name = {part.name: part for part in existing}
    by_slug = {part.slug: part for part in existing}
    slugs = set(by_slug)
    parts, new = {}, []
    position = max((getattr(part, "position", 0) for part in existing), default=-1) + 1
    for name in names:
        part = by_name.get(name) or by_slug.get(slugify(name))
        if part is None:
            part = model(conference=conference, name=name, slug=unique_slug(name, slugs, "part"))
            if model is Stage:
                part.position = position
                position += 1
            elif name in colours and base.re.fullmatch(r"#[0-9a-fA-F]{6}", colours[name]):
                part.colour = colours[name]
            new.append(part)
        parts[name] = part
    model.objects.bulk_create(new)
    return parts


def speakers_by_name(conference, imported):
    existing = list(Speaker.objects.filter(conference=conference))
    by_name = {speaker.name: speaker for speaker in existing}
    by_slug = {speaker.slug: speaker for speaker in existing}
    slugs = set(by_slug)
    speakers, new = {}, []
    for person in (p for s in imported.sessions for p in s.speakers):
        if person.name in speakers:
            continue
        speaker = by_name.get(person.name) or by_slug.get(slugify(person.name))
        if speaker is None:
            speaker = Speaker(
                conference=conference,
                name=person.name[:200],
                slug=unique_slug(person.name, slugs, "speaker"),
                bio=person.bio,
            )
            new.append(speaker)
        speakers[person.name] = speaker
    Speaker.objects.bulk_create(new, batch_size=1000)
    return speakers


def unique_slug(text, taken, fallback):
    """slugify(text), or fallback, with -2, -3 … until it is not in taken; added to taken."""
    base_slug = slugify(text)[:90].strip("-") or fallback
    slug, number = base_slug, 1
    while slug in taken:
        number += 1
        slug = f"{base_slug}-{number}"
    taken.add(slug)
    return slug
