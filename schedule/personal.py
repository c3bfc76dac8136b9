"""The per-visitor parts of a schedule page, kept out of its shared, cached rendering.

A day's grid or list is the same for everyone who asks for the same day, timezone, clock,
layout and filters, so it is rendered once per schedule version and cached. What differs
between visitors (whether a session is in their agenda, their seat, the CSRF token of the
forms) is written into that rendering as markers, and filled in for each request.
"""

import re

from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe

from attendees.templatetags.seats import seat_box_html
from schedule import queries
from schedule.models import Session

MARK = "\x1e"
MARKER = re.compile(MARK + r"([cS])(\d+)" + MARK)
TOKEN_MARKER = MARK + "k" + MARK


def marker(kind, session=None):
    return mark_safe(f"{MARK}{kind}{session.pk if session else ''}{MARK}")  # noqa: S308 (a kind letter and a pk)


def agenda_class(in_agenda):
    """The class that marks a session in the visitor's agenda and shows its "In my agenda"
    button instead of "Add to my agenda" (the words change, not only the colour)."""
    return " in-agenda" if in_agenda else ""


def personalize(html, *, request, context, sessions=()):
    """Fill a cached rendering's markers in for this request: one pass over the page.

    Seat boxes show live counts, so limited sessions are read again, unless the caller
    has just loaded them (`sessions`).
    """
    agenda = context["agenda"]
    ids = agenda.session_ids
    seat_pks = {int(pk) for kind, pk in MARKER.findall(html) if kind == "S"}
    seat_boxes = {}
    if seat_pks:
        limited = [s for s in sessions if s.pk in seat_pks] or (
            Session.objects.filter(pk__in=seat_pks)
            .select_related("conference")
            .annotate(seats_taken=queries.seats_taken())
        )
        context["seat_counts"] = sorted(
            (s.pk, getattr(s, "seats_taken", None), s.seat_limit, s.status) for s in limited
        )
        for session in limited:
            seat_boxes[str(session.pk)] = seat_box_html(
                session=session, conference=context["conference"], agenda=agenda, request=request
            )
    html = html.replace(TOKEN_MARKER, get_token(request))
    in_agenda, elsewhere = agenda_class(True), agenda_class(False)

    def fill(match):
        kind, pk = match.groups()
        if kind == "S":
            return seat_boxes.get(pk, "")
        return in_agenda if int(pk) in ids else elsewhere

    return mark_safe(MARKER.sub(fill, html))  # noqa: S308 (our own escaped rendering)
