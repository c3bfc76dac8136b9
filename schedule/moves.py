"""Moving a session to another time or stage, as the schedule board does: one service for
drags, keyboard moves, plain forms and undo.

A move names the edit version it was made from: a session someone saved meanwhile (in the
admin or on another board) is refused with what changed, as the admin's form refuses it. A
move that leaves the session in conflict is only saved once the organiser confirms it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from conference import timezones
from schedule.conflicts import find_conflicts, span, walking_time
from schedule.models import Session


@dataclass(frozen=True)
class Position:
    start: object
    end: object
    stage_id: int | None
    in_tray: bool = False

    @classmethod
    def of(cls, session):
        return cls(session.start, session.end, session.stage_id, session.in_tray)


@dataclass(frozen=True)
class Move:
    session: Session
    previous: Position
    conflicts: list  # the ones it is in now
    conflicts_left: list  # the ones it was in where it was

    @property
    def others_involved(self):
        """Other sessions whose conflicts this move may have changed."""
        ids = {pk for c in [*self.conflicts, *self.conflicts_left] for pk in c.session_ids}
        return ids - {self.session.pk}


class MoveRefused(Exception):
    def __init__(self, message, session=None):
        self.message = message
        self.session = session
        super().__init__(message)


class StaleMove(MoveRefused):
    """Someone saved the session after the board showed it."""


class ConflictsNeedConfirmation(MoveRefused):
    def __init__(self, message, session, conflicts):
        super().__init__(message, session)
        self.conflicts = conflicts


def conflicts_of(session):
    """The conflicts the session is in where it stands (saved or not): its neighbours within
    walking time, read in one query (and one for their speakers)."""
    walk = walking_time()
    start, end = session.start - walk, session.end + walk
    near = Q(
        start__lt=end,
        end__gt=start,
        status=Session.Status.CONFIRMED,
        in_tray=False,
        removed_at__isnull=True,
    )
    neighbours = [
        other
        for other in Session.all_objects.for_conference(session.conference_id)
        .planned(near)
        .exclude(pk=session.pk)
        .for_planning()
        if other.on_schedule and not other.is_cancelled and other.overlaps(start, end)
    ]
    found = find_conflicts([session, *neighbours], session.conference.zone, walk)
    return found.get(session.pk, [])


def describe_change(shown, session):
    """What someone else changed since the board showed the session, in words."""
    zone = session.conference.zone
    now = Position.of(session)
    parts = []
    if (shown.start, shown.end) != (now.start, now.end):
        parts.append(
            _("its time is now %(time)s on %(day)s")
            % {
                "time": span(session, zone),
                "day": timezones.local_date(session.start, zone).isoformat(),
            }
        )
    if shown.stage_id != now.stage_id:
        parts.append(_("its stage is now %(stage)s") % {"stage": session.stage or _("none")})
    if shown.in_tray != now.in_tray:
        parts.append(_("it is now in the tray") if now.in_tray else _("it is now in the schedule"))
    changed = "; ".join(parts) or _("its details changed (title, speakers or status)")
    return _(
        "Someone else saved “%(title)s” after your board showed it; your move is not saved: "
        "%(changed)s. Look at it again and move it once more."
    ) % {"title": session.title, "changed": changed}


def move_session(
    session,
    start,
    end,
    stage,
    *,
    expected_edit_version,
    confirm_conflicts=False,
    shown=None,
    to_tray=False,
):
    """Put the session at [start, end) on stage (instants in UTC; to_tray sends it to
    the board's tray). Returns the Move, with the position it left for undo."""
    with transaction.atomic():
        # Lock the row so two boards cannot both move from the same version.
        current = (
            Session.all_objects.select_for_update(of=("self",))
            .select_related("conference", "stage")
            .with_draft()
            .get(pk=session.pk)
        )
        if current.edit_version != expected_edit_version:
            raise StaleMove(describe_change(shown or Position.of(session), current), current)
        if end <= start:
            raise MoveRefused(_("A session must end after it starts."), current)
        if stage is not None and stage.conference_id != current.conference_id:
            raise MoveRefused(_("Choose one of this conference's own stages."), current)
        previous = Position.of(current)
        conflicts_left = conflicts_of(current) if not current.in_tray else []
        # The refusal below carries the session where it was asked to go, for the board.
        current.start, current.end, current.stage, current.in_tray = start, end, stage, to_tray
        conflicts = [] if to_tray else conflicts_of(current)
        if conflicts and not confirm_conflicts:
            raise ConflictsNeedConfirmation(
                _("This move puts “%(title)s” in conflict: %(conflicts)s Move it anyway?")
                % {
                    "title": current.title,
                    "conflicts": " ".join(conflict.message for conflict in conflicts),
                },
                current,
                conflicts,
            )
        current.save(update_fields=["start", "end", "stage", "in_tray", "updated"])
    return Move(current, previous, conflicts, conflicts_left)
