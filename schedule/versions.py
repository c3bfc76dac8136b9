"""Schedule versions: what the public sees of a conference that publishes versions is its
latest published version; organisers' edits in between are a draft (Session.draft, and new
sessions awaiting publication) that they preview and publish as a numbered, named version.

Publishing applies the draft, takes a snapshot of the schedule as the public now sees it and
keeps, with the version, what changed since the version before: the changelog, the marks on
changed sessions and the e-mails are all read from those stored changes, never recomputed.
"""

import datetime as dt
from contextlib import contextmanager

import django.dispatch
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from conference.models import Conference, writes_to_roll_back
from schedule.models import ScheduleVersion, Session, SessionSpeaker

# Sent inside the publishing transaction, with the new `version`: receivers that act outside
# the database (e-mail) do it on commit.
schedule_published = django.dispatch.Signal()

# The kinds of change, in the order a session's marks name them.
NEW, CANCELLED, REINSTATED, MOVED, ROOM, RENAMED, SPEAKERS, REMOVED = (
    "new",
    "cancelled",
    "reinstated",
    "moved",
    "room",
    "renamed",
    "speakers",
    "removed",
)


def describe_session(session):
    """What a version records of a session: what the changelog and the marks compare."""
    return {
        "slug": session.slug,
        "title": session.title,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "stage": session.stage.name if session.stage_id else "",
        "status": session.status,
        "speakers": [link.speaker.name for link in session.speaker_links.all()],
    }


def with_what_versions_record(sessions):
    return sessions.select_related("stage").prefetch_related(
        Prefetch("speaker_links", SessionSpeaker.objects.select_related("speaker"))
    )


def public_snapshot(conference):
    """{session pk (str): description} of every session the public sees, cancelled ones too."""
    sessions = with_what_versions_record(Session.objects.for_conference(conference))
    return {str(session.pk): describe_session(session) for session in sessions}


def draft_snapshot(conference):
    """The same, of the schedule as the next version would publish it."""
    sessions = with_what_versions_record(
        Session.all_objects.for_conference(conference).with_draft()
    )
    return {
        str(session.pk): describe_session(session)
        for session in sessions
        if session.removed_at is None and not session.in_tray
    }


def compare(before, after):
    """What changed from one snapshot to the next, session by session, in time order."""
    changes = []
    for pk in {*before, *after}:
        old, new = before.get(pk), after.get(pk)
        kinds = change_kinds(old, new)
        if kinds:
            shown = new or old
            changes.append(
                {
                    "session": int(pk),
                    "slug": shown["slug"],
                    "title": shown["title"],
                    "kinds": kinds,
                    "before": old,
                    "after": new,
                }
            )
    return sorted(changes, key=lambda change: ((change["after"] or change["before"])["start"],))


def change_kinds(old, new):
    if old is None and new is None:  # back in one version and gone in a later one
        return []
    if old is None:
        return [NEW]
    if new is None:
        return [REMOVED]
    kinds = []
    cancelled = new["status"] == Session.Status.CANCELLED
    if cancelled and old["status"] != Session.Status.CANCELLED:
        kinds.append(CANCELLED)
    elif old["status"] == Session.Status.CANCELLED and not cancelled:
        kinds.append(REINSTATED)
    if (old["start"], old["end"]) != (new["start"], new["end"]):
        kinds.append(MOVED)
    if old["stage"] != new["stage"]:
        kinds.append(ROOM)
    if old["title"] != new["title"]:
        kinds.append(RENAMED)
    if old["speakers"] != new["speakers"]:
        kinds.append(SPEAKERS)
    return kinds


def drafted_abstracts(conference):
    """{pk: title as planned} of the sessions whose draft holds a new abstract. Publishing
    applies it; versions do not record it (a reworded abstract is no news to the people who
    saved the session), so the organisers' view of the draft lists these apart."""
    sessions = (
        Session.all_objects.for_conference(conference)
        .filter(draft__has_key="abstract")
        .with_draft()
    )
    return {session.pk: session.title for session in sessions}


def latest_version(conference):
    return ScheduleVersion.objects.for_conference(conference).order_by("-number").first()


def draft_changes(conference):
    """What publishing now would change, against the latest published version; nothing before
    the first version, which is the schedule as it stands (as publish records it)."""
    latest = latest_version(conference)
    return compare(latest.snapshot, draft_snapshot(conference)) if latest else []


def has_draft(conference):
    return Session.all_objects.for_conference(conference).unpublished().exists()


def apply_draft(conference):
    """Write the draft into what the public sees: each session by save(), so its revision (the
    SEQUENCE calendars follow) goes up when its time, stage or status changed."""
    pending = Session.all_objects.for_conference(conference).unpublished().select_for_update()
    for session in pending:
        session.conference = conference
        session.apply_draft()
        session.draft = None
        session.awaiting_publication = False
        session.save(publish=True)


def draft_goes_public_with_every_save(sender, instance, **kwargs):
    """A conference switched to publishing every save shows its pending draft at once; the next
    version it records still lists those changes."""
    if not kwargs.get("raw") and instance.publish_every_save and has_draft(instance):
        with transaction.atomic():
            apply_draft(instance)


def publish(conference, *, name="", user=None):
    """Publish the draft as the next version; returns it. Versions are numbered 1, 2, 3… per
    conference, one publication at a time (the conference row is locked). With nothing new
    since the latest version (a second click on "Publish"), that version is returned."""
    with transaction.atomic():
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
        drafted = has_draft(conference)
        apply_draft(conference)
        latest = latest_version(conference)
        snapshot = public_snapshot(conference)
        changes = compare(latest.snapshot, snapshot) if latest else []
        if latest and not (changes or drafted):
            return latest
        version = ScheduleVersion.objects.create(
            conference=conference,
            number=(latest.number if latest else 0) + 1,
            name=name.strip(),
            published_at=timezone.now(),
            published_by=user if user and user.is_authenticated else None,
            snapshot=snapshot,
            changes=changes,
            session_count=len(snapshot),
        )
        Conference.objects.bump_schedule_version(conference.pk)
        schedule_published.send(sender=ScheduleVersion, version=version)
    return version


@contextmanager
def previewing(conference):
    """The schedule as the next version would publish it, while the block runs: the draft is
    written and then rolled back, so a preview shows exactly what publishing would, through
    the same pages, and keeps nothing (the conference's cache keys are None meanwhile)."""
    rolling_back = writes_to_roll_back.set(True)  # nor does it retire the shared pages
    try:
        with transaction.atomic():
            latest = latest_version(conference)
            apply_draft(conference)
            # The marks the next version will put on the schedule.
            changes = compare(latest.snapshot, public_snapshot(conference)) if latest else []
            conference.previewed_changes = {change["session"]: change for change in changes}
            conference.previewing = True
            try:
                yield
            finally:
                conference.previewing = False
                transaction.set_rollback(True)
    finally:
        writes_to_roll_back.reset(rolling_back)


def latest_changes(conference):
    """{session pk: change} of the latest published version: the marks the public sees."""
    return latest_changes_and_label(conference)[0]


def latest_changes_and_label(conference):
    """({session pk: change}, "v2 — name") of the latest published version, in one query;
    while a draft is previewed, those of the version it would be."""
    if getattr(conference, "previewing", False):
        return conference.previewed_changes, _("the next version")
    latest = (
        ScheduleVersion.objects.for_conference(conference)
        .listed()
        .order_by("-number")
        .only("number", "name", "changes")
        .first()
    )
    if latest is None:
        return {}, ""
    return {change["session"]: change for change in latest.changes}, latest.label


def changes_since(conference, number, session_ids):
    """{session pk: [(version number, change), …]} of the given sessions in the versions
    published after `number`: one query, whatever the number of versions."""
    if not session_ids:
        return {}
    found = {}
    versions = (
        ScheduleVersion.objects.for_conference(conference)
        .filter(number__gt=number)
        .order_by("number")
        .values_list("number", "changes")
    )
    for version_number, changes in versions:
        for change in changes:
            if change["session"] in session_ids:
                found.setdefault(change["session"], []).append((version_number, change))
    return found


def latest_number(conference):
    return (
        ScheduleVersion.objects.for_conference(conference).aggregate(number=Max("number"))["number"]
        or 0
    )


def change_notes(change, clock):
    """What changed of a session, in words, times as `clock` (a conference.timezones.LocalClock)
    reads them: ["Moved from 10:00 to 11:30", "New room: Central Room"]. The marks, the
    changelog, calendar descriptions and e-mails all say it this way."""
    before, after = change["before"], change["after"]
    notes = []
    for kind in change["kinds"]:
        if kind == NEW:
            notes.append(_("New in the schedule"))
        elif kind == REMOVED:
            notes.append(_("Removed from the schedule"))
        elif kind == CANCELLED:
            notes.append(_("Cancelled"))
        elif kind == REINSTATED:
            notes.append(_("No longer cancelled"))
        elif kind == MOVED:
            notes.append(moved_note(before, after, clock))
        elif kind == ROOM:
            notes.append(_("New room: %(stage)s") % {"stage": after["stage"] or _("none")})
        elif kind == RENAMED:
            notes.append(_("Renamed from “%(title)s”") % {"title": before["title"]})
        elif kind == SPEAKERS:
            notes.append(
                _("Speakers now: %(names)s") % {"names": ", ".join(after["speakers"]) or _("none")}
            )
    return notes


def moved_note(before, after, clock):
    old_start, new_start = instant(before["start"]), instant(after["start"])
    if old_start == new_start:
        return _("Now ends at %(new)s (was %(old)s)") % {
            "new": clock.time(instant(after["end"])),
            "old": clock.time(instant(before["end"])),
        }
    old, new = clock.time(old_start), clock.time(new_start)
    if clock.date(old_start) != clock.date(new_start):
        old = f"{day_label(old_start, clock)} {old}"
        new = f"{day_label(new_start, clock)} {new}"
    return _("Moved from %(old)s to %(new)s") % {"old": old, "new": new}


def day_label(moment, clock):
    return dateformat.format(clock.local(moment), "D j M")


def instant(stored):
    return dt.datetime.fromisoformat(stored)
