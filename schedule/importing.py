"""Importing a schedule file into a conference: one transaction, and a report of what it did.

The import is planned first (schedule.import_plan decides what is created, updated, left alone
or gone, reading the database but writing nothing), the report is filled from the plan, and
write_plan here carries it out; a dry run rolls the writes back, so it reports the same.

Sessions are matched by the file's guid, UID or id (as a UUID, see formats.base.key_uuid) and
updated in place, so agenda entries and anything else pointing at them survive; Session.save
raises the revision of a session whose time, stage, title or status changes.

Sessions of the conference that the file no longer lists are reported as missing and left alone,
unless remove_missing is set: then each is cancelled (its revision goes up, so calendars drop or
strike it) and marked removed_at, which hides it from every public page, feed and agenda
(Session.objects), while the row and its agenda entries stay in the database. A later import
that lists the session again brings it back, agenda entries included.

Photos the file names for its people are fetched once the transaction has committed
(speakers/photos.py): one that cannot be had is a note in the report, never a failed import.
"""

from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference import timezones
from conference.locking import EditVersioned
from conference.models import Conference
from conference.search import normalise_query
from schedule import versions
from schedule.formats import FORMATS, base, detect
from schedule.import_plan import Rejected, conference_for, known_ids, plan_import
from schedule.models import Session, SessionLink, SessionSpeaker
from speakers import photos

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TIMEZONE_ELEMENT = {
    "xml": "<conference><time_zone_name>",
    "json": "schedule.conference.time_zone_name",
    "ics": "X-WR-TIMEZONE",
    "csv": _("timezone column"),
}
LIMITS = {"title": 300, "stage": 100, "track": 100, "session_type": 100}
ID_LIMIT = 200  # source_id of speakers, stages and tracks
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
    # Decided and done, but the organiser should know: contradictions in the file and which
    # field won, the timezone chosen for a TZID, renamed speakers, links left out.
    notes: list[base.Problem] = field(default_factory=list)
    # The schedule version the import was published as, when it was.
    version: object = None

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


def import_schedule(
    *,
    conference_slug,
    source,
    format=None,
    dry_run,
    remove_missing=False,
    progress=None,
    publish_as=None,
    user=None,
):
    """Read source (bytes, text or a file) and apply it to the conference; never half-way.
    With publish_as (a version's name, maybe ""), the import is published as the next schedule
    version in the same transaction.

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
        report.notes = imported.notes
        return report
    try:
        with transaction.atomic():
            conference = conference_for(imported, conference_slug)
            report.conference_created = conference.pk is None
            plan = plan_import(imported, conference, remove_missing=remove_missing)
            report_plan(plan, report)
            write_plan(plan, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
            elif publish_as is not None:
                report.version = versions.publish(conference, name=publish_as, user=user)
            else:
                # After the commit: the network never holds the transaction (or its locks).
                wanted = photos_wanted(imported, plan)
                transaction.on_commit(partial(fetch_photos, wanted, report))
    except Rejected as rejection:
        report.rejected += rejection.problems
    except ValidationError as error:
        report.rejected.append(base.Problem(report.conference_slug, " ".join(error.messages)))
    except DatabaseError as error:
        report.rejected.append(
            base.Problem("", _("the database refused the import: %(error)s") % {"error": error})
        )
    return report


def photos_wanted(imported, plan):
    """[(speaker, photo address)] of the file's people that name a photo, each speaker once."""
    wanted = {}
    for session in imported.sessions:
        for person in session.speakers:
            speaker = plan.speakers.get(person.name, person.source_id)
            if person.photo_url and speaker is not None:
                wanted.setdefault(speaker.pk, (speaker, person.photo_url))
    return list(wanted.values())


def fetch_photos(wanted, report):
    """Fetch the photos the file names; one that cannot be had is a note, never a failed import."""
    for failure in photos.import_photos(wanted):
        report.notes.append(
            base.Problem(
                failure.speaker.name,
                _("the photo “%(url)s” was not used: %(reason)s")
                % {"url": failure.url, "reason": failure.message},
            )
        )


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
    """What is wrong with the file as a whole: nothing in it, duplicate keys, names that collide
    by slug."""
    problems = []
    if not imported.sessions and not (imported.title or imported.acronym):
        problems.append(
            base.Problem(
                _("line 1"),
                _(
                    "the file names no conference and lists no sessions: there is nothing to import."
                ),
            )
        )
    if imported.timezone:
        try:
            timezones.get_zone(imported.timezone)
        except timezones.UnknownTimezone as error:
            problems.append(base.Problem(TIMEZONE_ELEMENT[imported.format], str(error)))
    problems += session_problems(imported.sessions)
    # Names the file gives an id are told apart by it; only the others can collide.
    stage_ids = known_ids((s.stage_id, s.stage) for s in imported.sessions)
    problems += stage_collisions(
        ((s.stage, s.where) for s in imported.sessions if s.stage not in stage_ids),
        [name for name in imported.stages if name not in stage_ids],
    )
    people = [(person, s.where) for s in imported.sessions for person in s.speakers]
    person_ids = known_ids((person.source_id, person.name) for person, _where in people)
    imported.notes += spelling_notes(
        (person.name, where) for person, where in people if person.name not in person_ids
    )
    return problems


def session_problems(sessions):
    """Ids used twice, which would make two sessions one, and names too long for their column."""
    problems, seen = [], {}
    for session in sessions:
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
        ids = [session.stage_id, session.track_id, *(p.source_id for p in session.speakers)]
        if any(len(source_id) > ID_LIMIT for source_id in ids):
            problems.append(
                base.Problem(
                    session.where,
                    _("an id of a room, track or person is longer than %(limit)d characters.")
                    % {"limit": ID_LIMIT},
                )
            )
        for name, limit in LIMITS.items():
            if len(getattr(session, name)) > limit:
                problems.append(
                    base.Problem(
                        session.where,
                        _("the %(field)s is longer than %(limit)d characters.")
                        % {"field": name.replace("_", " "), "limit": limit},
                    )
                )
    return problems


def slug_collisions(names, listed=(), *, same_person=False):
    """(where, name, other name, where the other is, slug) for names that share a slug.

    Stages collide whenever two names share a slug ('Hall A', 'hall-a'). Speakers only when their
    names differ in case, accents or spacing alone ('José Díaz', 'jose diaz'); names that merely
    slugify alike ('Li Wei 🔥', 'Li Wei') are two people and get slugs -2, -3 ….
    """
    first = {}
    for name, where in [*((name, "") for name in listed), *names]:
        slug = slugify(name)
        if not slug:
            continue
        other, other_where = first.setdefault(slug, (name, where))
        if other != name and (not same_person or normalise_query(other) == normalise_query(name)):
            yield where, name, other, f" ({other_where})" if other_where else "", slug


def stage_collisions(names, listed):
    """Stages the file names two ways, which the import cannot tell apart: refused."""
    message = _("Stages “%(name)s” and “%(other)s”%(at)s collide: both become “%(slug)s”.")
    return [
        base.Problem(where, message % {"name": name, "other": other, "at": at, "slug": slug})
        for where, name, other, at, slug in slug_collisions(names, listed)
    ]


def spelling_notes(names):
    """People the file names alike but not the same, with no id to tell: imported as two, and
    the organiser told, since they may be one person typed twice."""
    message = _(
        "“%(name)s” and “%(other)s”%(at)s differ only in case, accents or spacing and the file "
        "gives no id: they are imported as two speakers."
    )
    return [
        base.Problem(where, message % {"name": name, "other": other, "at": at})
        for where, name, other, at, _slug in slug_collisions(names, same_person=True)
    ]


def report_plan(plan, report):
    """Fill the report from the plan, before writing: a dry run reports what a real run does."""
    report.notes = plan.notes
    report.created = [change.title for change in plan.created]
    report.updated = [(change.title, change.changed) for change in plan.updated]
    report.unchanged = len(plan.sessions) - len(report.created) - len(report.updated)
    gone = [session.title for session in plan.gone]
    if plan.remove_missing:
        report.removed = gone
    else:
        report.missing = gone


def write_plan(plan, *, progress):
    """Write what the plan decided: new rows in bulk, each changed session by save() so that its
    revision goes up, then the schedule version once, since bulk_create sends no post_save."""
    conference = plan.conference
    if conference.pk is None:
        conference.save()  # the rows planned for it take its id when they are saved
    for rows in (*plan.parts.values(), plan.speakers):
        fields = ["name", "source_id"]
        if issubclass(rows.model, EditVersioned):
            fields.append("edit_version")  # a form opened before the import refuses to save
            for row in rows.changed.values():
                row.edit_version = F("edit_version") + 1
        rows.model.objects.bulk_update(rows.changed.values(), fields)
        rows.model.objects.bulk_create(rows.new.values(), batch_size=1000)
    new_sessions, total = [], len(plan.sessions)
    for number, change in enumerate(plan.sessions, start=1):
        if change.is_new:
            new_sessions.append(change)
        elif change.changed:
            update_session(change)
        if progress and number % PROGRESS_STEP == 0:
            progress(number, total)
    create_sessions(conference, new_sessions)
    if plan.remove_missing:
        now = timezone.now()
        for session in plan.gone:
            session.remove(now)
    if plan.changes_schedule:
        # Move the version that cached pages and exports are keyed by.
        Conference.objects.bump_schedule_version(conference.pk)
    if progress:
        progress(total, total)


def create_sessions(conference, changes):
    """New sessions and their speaker links in a few bulk inserts, not a query per session."""
    sessions = Session.all_objects.bulk_create(
        [
            Session(
                conference=conference,
                slug=change.slug,
                uuid=change.key,
                # Public with the next version, where the conference publishes versions.
                awaiting_publication=not conference.publish_every_save,
                **change.fields,
            )
            for change in changes
        ],
        batch_size=500,
    )
    SessionSpeaker.objects.bulk_create(
        [
            link
            for session, change in zip(sessions, changes, strict=True)
            for link in speaker_links(session, change.speakers)
        ],
        batch_size=1000,
    )
    SessionLink.objects.bulk_create(
        [
            link
            for session, change in zip(sessions, changes, strict=True)
            for link in attached(change.links, session)
        ],
        batch_size=1000,
    )


def update_session(change):
    """Update in place, so agenda entries and links to the session survive."""
    session = change.session
    if "speakers" in change.changed:
        SessionSpeaker.objects.filter(session=session).delete()
        SessionSpeaker.objects.bulk_create(speaker_links(session, change.speakers))
    if "links" in change.changed:
        session.links.all().delete()
        SessionLink.objects.bulk_create(attached(change.links, session))
    fields = [name for name in change.changed if name not in ("speakers", "links")]
    for name in fields:
        setattr(session, name, change.fields[name])
    if fields:
        session.save()


def speaker_links(session, speakers):
    return [
        SessionSpeaker(session=session, speaker=speaker, position=position)
        for position, speaker in enumerate(speakers)
    ]


def attached(links, session):
    """The planned links, pointed at their session now that it has an id."""
    for link in links:
        link.session = session
    return links
