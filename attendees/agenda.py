"""A visitor's agenda for one conference: in the database once signed in, in the browser
session before that, merged into the account when they sign up or log in."""

import datetime as dt
from functools import cached_property

from django.db import models, transaction

from attendees.changes import SeenChanges
from attendees.models import AgendaEntry, Reservation, VisitorInterest, WaitlistEntry
from attendees.seats import waitlist_place, with_seats_taken
from schedule import queries
from schedule.models import Session

SESSION_KEY = "agenda"


class Agenda:
    def __init__(self, request, conference, user=None):
        self.request = request
        self.conference = conference
        self.user = user or (request.user if request and request.user.is_authenticated else None)

    @classmethod
    def for_user(cls, user, conference):
        """A signed-in person's agenda outside a request of theirs (their calendar feed)."""
        return cls(None, conference, user=user)

    @cached_property
    def session_ids(self):
        """The pks of the sessions in this agenda: one query for a user, none for a visitor."""
        if self.user:
            return {pk for pk, kind, _place in self._signed_in_rows if kind == "agenda"}
        return set(self._stored().get(str(self.conference.pk), []))

    @cached_property
    def seats(self):
        """{session pk: "reserved" or "waitlisted"} for a user; visitors hold no seats."""
        if not self.user:
            return {}
        return {pk: kind for pk, kind, _place in self._signed_in_rows if kind != "agenda"}

    @cached_property
    def waitlist_places(self):
        """{session pk: the user's place in its waitlist, 1 for next}; no query of its own."""
        return {pk: place for pk, kind, place in self._signed_in_rows if kind == "waitlisted"}

    @property
    def reserved_ids(self):
        return {pk for pk, kind in self.seats.items() if kind == "reserved"}

    @cached_property
    def _signed_in_rows(self):
        """(session pk, kind, place in the waitlist or 0) of the user's agenda entries, seats and
        waitlist places in one query, so a schedule page pays nothing extra for showing seats."""

        def rows(model, kind, place=None):
            return (
                model.objects.filter(user=self.user, session__conference=self.conference)
                .order_by()
                .values_list(
                    "session_id",
                    models.Value(kind, output_field=models.CharField()),
                    place or models.Value(0, output_field=models.IntegerField()),
                )
            )

        return list(
            rows(AgendaEntry, "agenda").union(
                rows(Reservation, "reserved"),
                rows(WaitlistEntry, "waitlisted", waitlist_place()),
                all=True,
            )
        )

    def __contains__(self, session):
        return session.pk in self.session_ids

    def __len__(self):
        return len(self.session_ids)

    def add(self, session):
        """Idempotent: adding a session twice keeps one entry. The first session saved starts
        "Since your last visit" from the latest published version."""
        SeenChanges(self.request, self.conference, user=self.user).start_watching()
        if self.user:
            AgendaEntry.objects.get_or_create(user=self.user, session=session)
        elif session.pk not in self.session_ids:
            self._store(self.session_ids | {session.pk})
            VisitorInterest.count_in(session.pk)
        self.session_ids.add(session.pk)

    def remove(self, session):
        if self.user:
            AgendaEntry.objects.filter(user=self.user, session=session).delete()
        elif session.pk in self.session_ids:
            self._store(self.session_ids - {session.pk})
            VisitorInterest.count_out([session.pk])
        self.session_ids.discard(session.pk)

    def sessions(self):
        return with_seats_taken(
            queries.with_details(
                Session.objects.for_conference(self.conference).filter(pk__in=self.session_ids)
            )
        ).order_by("start", "end")

    def waitlisted_sessions(self):
        """The sessions the user waits for a seat in and has not put in the agenda, by start."""
        ids = {pk for pk, kind in self.seats.items() if kind == "waitlisted"} - self.session_ids
        if not ids:
            return []
        sessions = Session.objects.for_conference(self.conference).filter(pk__in=ids)
        return with_seats_taken(sessions.select_related("conference", "stage")).order_by(
            "start", "end"
        )

    def _stored(self):
        return self.request.session.get(SESSION_KEY, {})

    def _store(self, ids):
        stored = dict(self._stored())
        stored[str(self.conference.pk)] = sorted(ids)
        self.request.session[SESSION_KEY] = stored


@transaction.atomic
def merge_visitor_agenda(*, request, user):
    """Move a visitor's agenda into their account on sign-in: nothing lost, no duplicates."""
    stored = request.session.pop(SESSION_KEY, {})
    session_ids = {pk for ids in stored.values() for pk in ids}
    existing = Session.objects.filter(pk__in=session_ids).values_list("pk", flat=True)
    AgendaEntry.objects.bulk_create(
        [AgendaEntry(user=user, session_id=pk) for pk in existing], ignore_conflicts=True
    )
    # Counted with the account's agenda from now on.
    VisitorInterest.count_out(list(existing))


def with_conflicts_and_gaps(sessions, clock):
    """Agenda rows by local day: each session, the others it overlaps, the free time before it."""
    sessions = list(sessions)
    days = {}
    for session in sessions:
        overlaps = [
            other
            for other in sessions
            if other.pk != session.pk
            and not other.is_cancelled
            and other.overlaps(session.start, session.end)
        ]
        days.setdefault(clock.date(session.start), []).append(
            {"session": session, "overlaps": overlaps}
        )
    for rows in days.values():
        latest_end = None
        for row in rows:
            start = row["session"].start
            row["gap"] = (
                start - latest_end if latest_end and start > latest_end else dt.timedelta(0)
            )
            latest_end = max(latest_end or start, row["session"].end)
    return sorted(days.items())
