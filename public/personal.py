"""The per-visitor parts of a schedule page, kept out of its shared, cached rendering.

A day's grid or list is the same for everyone who asks for the same day, timezone, clock,
layout and filters, so it is rendered once per schedule version and cached. What differs
between visitors (whether a session is in their agenda, their seat, the CSRF token of the
forms) is written into that rendering as named markers (components.Marker), and filled in
for each request here. On a shared page (public/pages.py) the markers are filled with what a
visitor with nothing personal sees: no marks, seat counts, no token; a returning visitor's
browser then fetches their own (public/views/agenda.py: personal_parts).
"""

from dataclasses import dataclass

from django.utils.safestring import mark_safe

from attendees.seats import with_seats_taken
from public.components import (
    SESSION_MARKER,
    TOKEN_MARKER,
    Marker,
    agenda_class,
    seat_box_html,
    token_input,
)
from schedule.models import Session


@dataclass(frozen=True)
class Personalized:
    html: str
    # (pk, seats taken, limit, status) of the limited sessions shown: their boxes change with them.
    seat_counts: tuple


def personalize(html, *, request, conference, agenda, sessions=()):
    """Fill a cached rendering's markers in for this request: one pass over the page.

    Seat boxes show live counts, so limited sessions are read again, unless the caller
    has just loaded them (`sessions`).
    """
    seat_pks = {int(pk) for name, pk in SESSION_MARKER.findall(html) if name == Marker.SEAT_BOX}
    limited = []
    if seat_pks:
        limited = [s for s in sessions if s.pk in seat_pks] or list(
            with_seats_taken(Session.objects.filter(pk__in=seat_pks).select_related("conference"))
        )
    seat_boxes = {
        str(session.pk): seat_box_html(
            session=session, conference=conference, agenda=agenda, request=request
        )
        for session in limited
    }
    if TOKEN_MARKER in html:  # asking for a token sets the CSRF cookie: only for a form
        html = html.replace(TOKEN_MARKER, token_input(request))
    in_agenda, elsewhere, ids = agenda_class(True), agenda_class(False), agenda.session_ids

    def fill(match):
        name, pk = match.groups()
        if name == Marker.SEAT_BOX:
            return seat_boxes.get(pk, "")
        return in_agenda if int(pk) in ids else elsewhere

    return Personalized(
        html=mark_safe(SESSION_MARKER.sub(fill, html)),  # noqa: S308 (our own escaped rendering)
        seat_counts=tuple(
            sorted((s.pk, getattr(s, "seats_taken", None), s.seat_limit, s.status) for s in limited)
        ),
    )
