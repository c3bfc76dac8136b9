"""What publishing the draft would change, and whom it reaches: the organisers' view before
they publish a version ("moves a session in 183 agendas, 40 reservations")."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendees.models import AgendaEntry, Reservation, VisitorInterest, WaitlistEntry
from schedule import versions


@dataclass
class PendingChange:
    change: dict
    notes: list
    agendas: int
    reservations: int
    waiting: int

    @property
    def reach(self):
        """“in 183 agendas, 40 reservations, 3 on the waitlist”."""
        parts = [
            ngettext("in %(count)s agenda", "in %(count)s agendas", self.agendas)
            % {"count": self.agendas}
        ]
        if self.reservations:
            parts.append(
                ngettext("%(count)s reservation", "%(count)s reservations", self.reservations)
                % {"count": self.reservations}
            )
        if self.waiting:
            parts.append(
                ngettext("%(count)s on the waitlist", "%(count)s on the waitlist", self.waiting)
                % {"count": self.waiting}
            )
        return _(", ").join(parts)


def counts_by_session(model, session_ids, field="pk"):
    rows = (
        model.objects.filter(session_id__in=session_ids)
        .order_by()
        .values("session_id")
        .annotate(count=Count(field))
    )
    return {row["session_id"]: row["count"] for row in rows}


def pending_changes(conference):
    """The draft's changes against the latest version, each with the people it reaches: the
    agendas holding the session (accounts' and visitors'), its reservations and waitlist.
    Four queries for the counts, whatever the number of changes. A new abstract, which no
    version records, is listed too: it waits for the next version like the rest."""
    changes = versions.draft_changes(conference)
    abstracts = versions.drafted_abstracts(conference)
    listed = {change["session"] for change in changes}
    changes += [
        {"session": pk, "title": title, "kinds": [], "before": None, "after": None}
        for pk, title in abstracts.items()
        if pk not in listed
    ]
    ids = [change["session"] for change in changes]
    agendas = counts_by_session(AgendaEntry, ids)
    reservations = counts_by_session(Reservation, ids)
    waiting = counts_by_session(WaitlistEntry, ids)
    visitors = dict(
        VisitorInterest.objects.filter(session_id__in=ids).values_list("session_id", "visitors")
    )
    clock = conference.clock
    return [
        PendingChange(
            change,
            versions.change_notes(change, clock) + ([_("New abstract")] if pk in abstracts else []),
            agendas=agendas.get(pk, 0) + visitors.get(pk, 0),
            reservations=reservations.get(pk, 0),
            waiting=waiting.get(pk, 0),
        )
        for change in changes
        for pk in [change["session"]]
    ]
