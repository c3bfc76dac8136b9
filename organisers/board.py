"""The schedule board's layout: one local day, stages as columns, and rows of five minutes of
the conference's wall clock down the side, so a card's row is the time an organiser reads and
types (a time skipped by a daylight-saving change is a row a move is refused into).

Cards are placed with the public grid's generated classes (.r12 row, .s6 span, .c3 column in
public/static/css/grid.css): a strict Content-Security-Policy forbids style= attributes.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from attendees.overflow import room_interest
from conference import timezones
from schedule.conflicts import find_conflicts
from schedule.models import Session

STEP = dt.timedelta(minutes=5)
HEADER_ROWS = 1
TIME_COLUMNS = 1
MAX_ROWS = 30 * 12  # the public grid's classes go as far
# The board shows at least this much of a day, so there is room to move sessions into.
EARLIEST = dt.time(8)
LATEST = dt.time(20)


def wall_clock(instant, zone):
    return timezones.to_local(instant, zone).replace(tzinfo=None)


@dataclass
class Card:
    session: Session
    start: dt.datetime  # the conference's wall clock
    end: dt.datetime
    interest: object = None  # attendees.overflow.Interest
    conflicts: list = field(default_factory=list)
    row: int | None = None  # None: waiting in the tray
    span: int = 1
    column: int | None = None  # None on the board: across every stage

    @property
    def placement(self):
        if self.row is None:
            return ""
        column = f"c{self.column}" if self.column else "c2 all-stages"
        all_day = " all-day" if self.session.is_open_all_day else ""
        return f"r{self.row} s{self.span} {column}{all_day}"

    @property
    def minutes(self):
        return self.session.duration // dt.timedelta(minutes=1)

    @property
    def interest_text(self):
        if self.interest is None:
            return ""
        if self.interest.capacity is None:
            return _("%(count)d interested") % {"count": self.interest.interested}
        return _("%(count)d interested · room holds %(seats)d") % {
            "count": self.interest.interested,
            "seats": self.interest.capacity,
        }

    @property
    def overflows(self):
        return self.interest is not None and self.interest.overflow > 0


@dataclass
class Tick:
    row: int
    label: str
    skipped: bool  # a daylight-saving gap: this time does not exist


@dataclass
class Board:
    conference: object
    day: dt.date
    stages: list
    first: dt.datetime  # wall-clock time of the first row
    row_count: int
    columns: dict  # {stage pk: grid column}
    cards: list
    tray: list
    ticks: list
    conflicts: list  # each Conflict once, in time order

    def card(self, pk):
        return next((card for card in [*self.cards, *self.tray] if card.session.pk == pk), None)

    @property
    def column_count(self):
        return len(self.stages)

    def place(self, card):
        return place(card, self.first, self.columns, self.row_count)


def board_window(day, starts, ends):
    """The wall-clock hours the board shows: at least EARLIEST to LATEST, widened to whole
    hours around every session, at most MAX_ROWS rows."""
    first = dt.datetime.combine(day, EARLIEST)
    last = dt.datetime.combine(day, LATEST)
    if starts:
        first = min(first, min(starts).replace(minute=0))
        latest = max(ends)
        last = max(last, latest.replace(minute=0) + dt.timedelta(hours=1 if latest.minute else 0))
    return first, min(last, first + MAX_ROWS * STEP)


def place(card, board_first, columns, row_count):
    """Set the card's row, span and column on a board that starts at board_first."""
    rows = (card.start - board_first) // STEP
    span = -(-(card.end - card.start) // STEP)  # rounded up: a 7-minute talk takes two rows
    card.row = HEADER_ROWS + 1 + max(rows, 0)
    card.span = max(1, min(span, row_count - max(rows, 0)))
    card.column = columns.get(card.session.stage_id)
    return card


def build_board(conference, day):
    """The board of one local day: its cards, the tray, the conflicts, in a fixed number of
    queries whatever the number of sessions."""
    zone = conference.zone
    stages = list(conference.stages.all())
    day_start, day_end = timezones.day_bounds(day, zone)
    planned = Session.all_objects.for_conference(conference)
    sessions = [
        session
        for session in planned.planned(
            Q(start__gte=day_start, start__lt=day_end, in_tray=False, removed_at__isnull=True)
        ).for_planning()
        if session.on_schedule and day_start <= session.start < day_end
    ]
    waiting = [
        session
        for session in planned.planned(Q(in_tray=True, removed_at__isnull=True)).for_planning()
        if session.in_tray and session.removed_at is None
    ]
    interest = {row.session.pk: row for row in room_interest(conference)}
    conflicts = find_conflicts(sessions, zone)

    cards = [
        Card(
            session,
            wall_clock(session.start, zone),
            wall_clock(session.end, zone),
            interest.get(session.pk),
            conflicts.get(session.pk, []),
        )
        for session in sessions
    ]
    first, last = board_window(day, [c.start for c in cards], [c.end for c in cards])
    row_count = (last - first) // STEP
    columns = {stage.pk: TIME_COLUMNS + 1 + i for i, stage in enumerate(stages)}
    for card in cards:
        place(card, first, columns, row_count)
    tray = [
        Card(session, wall_clock(session.start, zone), wall_clock(session.end, zone))
        for session in waiting
    ]
    unique = {id(c): c for found in conflicts.values() for c in found}
    starts = {session.pk: session.start for session in sessions}
    return Board(
        conference=conference,
        day=day,
        stages=stages,
        first=first,
        row_count=row_count,
        columns=columns,
        cards=cards,
        tray=tray,
        ticks=ticks(first, row_count, zone),
        conflicts=sorted(
            unique.values(), key=lambda c: (min(starts[pk] for pk in c.session_ids), c.kind)
        ),
    )


def ticks(first, row_count, zone):
    """A label every half hour; a time a daylight-saving change skips says so."""
    labels = []
    for offset in range(0, row_count, 6):
        time = first + offset * STEP
        try:
            timezones.to_utc(time, zone)
            skipped = False
        except timezones.NonexistentLocalTime:
            skipped = True
        except timezones.AmbiguousLocalTime:
            skipped = False
        labels.append(Tick(HEADER_ROWS + 1 + offset, time.strftime("%H:%M"), skipped))
    return labels
