"""The per-visitor parts of a schedule page, kept out of its shared, cached rendering.

A day's grid or list is the same for everyone who asks for the same day, timezone, clock,
layout and filters, so it is rendered once per schedule version and cached. What differs
between visitors (whether a session is in their agenda, their seat, the CSRF token of the
forms) is written into that rendering as markers, and filled in for each request.
"""

import re

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from schedule import queries
from schedule.models import Session

MARK = "\x1e"
MARKER = re.compile(MARK + r"(?:([capS])(\d+)|(k))" + MARK)


def marker(kind, session=None):
    return mark_safe(f"{MARK}{kind}{session.pk if session else ''}{MARK}")  # noqa: S308 (a kind letter and a pk)


def agenda_parts(in_agenda):
    """Class, action and aria-pressed of a session's agenda toggle."""
    return {
        "c": " in-agenda" if in_agenda else "",
        "a": "remove" if in_agenda else "add",
        "p": "true" if in_agenda else "false",
    }


def personalize(html, *, request, context, sessions=()):
    """Fill a cached rendering's markers in for this request: one pass over the page.

    Seat boxes show live counts, so limited sessions are read again, unless the caller
    has just loaded them (`sessions`).
    """
    agenda = context["agenda"]
    ids = agenda.session_ids
    seat_pks = {int(pk) for kind, pk, _ in MARKER.findall(html) if kind == "S"}
    seat_boxes = {}
    if seat_pks:
        limited = [s for s in sessions if s.pk in seat_pks] or (
            Session.objects.filter(pk__in=seat_pks)
            .select_related("conference")
            .annotate(seats_taken=queries.seats_taken())
        )
        for session in limited:
            seat_boxes[str(session.pk)] = render_to_string(
                "attendees/_seat_box.html", {**context, "session": session}, request=request
            )
    token = get_token(request)
    parts = {True: agenda_parts(True), False: agenda_parts(False)}

    def fill(match):
        kind, pk, is_token = match.groups()
        if is_token:
            return token
        if kind == "S":
            return seat_boxes.get(pk, "")
        return parts[int(pk) in ids][kind]

    return mark_safe(MARKER.sub(fill, html))  # noqa: S308 (our own escaped rendering)
