"""Room overflow ahead of time: how many people hold each session against its stage's seats,
so organisers can swap rooms before the day. Aggregates only: nobody sees who saved what."""

from dataclasses import dataclass

from django.db.models import Count, F, Value
from django.db.models.functions import Coalesce

from schedule.models import Session

SORTS = {
    "overflow": lambda row: (-row.overflow, -row.interested, row.session.start),
    "interest": lambda row: (-row.interested, row.session.start),
    "time": lambda row: (row.session.start, row.session.title),
}


@dataclass(frozen=True)
class Interest:
    session: Session
    interested: int  # agendas holding it: accounts' and visitors'
    reserved: int

    @property
    def capacity(self):
        return self.session.stage.capacity if self.session.stage else None

    @property
    def overflow(self):
        """People beyond the room's seats (negative: seats to spare); 0 when the room's size
        is not known."""
        return self.interested - self.capacity if self.capacity is not None else 0


def room_interest(conference, sort="overflow"):
    """Every listed session of the conference with its interest, in one query."""
    sessions = (
        Session.objects.for_conference(conference)
        .select_related("stage", "conference")
        .annotate(
            accounts=Count("agenda_entries", distinct=True),
            reserved=Count("reservations", distinct=True),
            visitors=Coalesce(F("visitor_interest__visitors"), Value(0)),
        )
    )
    rows = [
        Interest(session=s, interested=s.accounts + s.visitors, reserved=s.reserved)
        for s in sessions
    ]
    return sorted(rows, key=SORTS.get(sort, SORTS["overflow"]))
