"""The markup that a session carries wherever it is listed, written in Python and only here:
its box in the day grid, its card in the list, its track and type tags, the "Add to my agenda"
toggle and the seat box of a limited session.

A busy day shows hundreds of sessions; rendered through template includes that costs several
times more than the rest of the page together (bench/markup.py measures both). Pages reach
these through the tags in templatetags/components.py.

What differs between visitors is written through visitor_part(): the visitor's own value on a
page rendered for them, a named marker on a rendering that is cached for everyone, which
personal.personalize() fills in per request.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendees.seats import seat_count, waitlist_place_label
from public.grid import is_all_day
from public.templatetags.clock import with_tz

# Markers open with "<" and close with ">": escaped text (a title, a search) never holds a raw
# "<", so nothing a visitor or an imported file writes can pass for a marker.
OPEN, CLOSE = "<\x1e", "\x1e>"
SLUG_PLACEHOLDER = "__slug__"


class Marker(StrEnum):
    AGENDA_CLASS = "agenda-class"  # " in-agenda" on a session in the visitor's agenda
    SEAT_BOX = "seat-box"  # a limited session's seats left and the visitor's place
    CSRF_TOKEN = "csrf-token"  # noqa: S105 (the visitor's token field, in every form)


SESSION_MARKER = re.compile(f"{OPEN}({Marker.AGENDA_CLASS}|{Marker.SEAT_BOX})(\\d+){CLOSE}")
TOKEN_MARKER = f"{OPEN}{Marker.CSRF_TOKEN}{CLOSE}"


def marker(name, session=None):
    """Where a visitor's own part goes in a rendering shared by everyone."""
    return mark_safe(f"{OPEN}{name}{session.pk if session else ''}{CLOSE}")  # noqa: S308 (a name and a pk)


def token_input(request):
    """A form's CSRF token field; none on a shared page (its POSTs check where they come from)."""
    if request is None or getattr(request, "shared_page", False):
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


def agenda_class(in_agenda):
    """The class that marks a session in the visitor's agenda and shows its "In my agenda"
    button instead of "Add to my agenda" (the words change, not only the colour)."""
    return " in-agenda" if in_agenda else ""


def visitor_part(context, name, session=None):
    """The visitor's own part of a session's markup, or its marker when rendering for the cache."""
    if context.get("for_cache"):
        return marker(name, session)
    if name == Marker.CSRF_TOKEN:
        return token_input(context.get("request"))
    if name == Marker.SEAT_BOX:
        return seat_box(context, session)
    return agenda_class(session in context["agenda"])


def url_for(context, name):
    """slug -> URL of one of the conference's routes, from a single reverse() per page."""
    key = f"_url_{name}"
    if key not in context:
        context[key] = reverse(
            name, kwargs={"conference": context["conference"].slug, "slug": SLUG_PLACEHOLDER}
        )
    pattern = context[key]
    return lambda slug: pattern.replace(SLUG_PLACEHOLDER, slug)


def session_link(context, session):
    return with_tz(url_for(context, "schedule:session")(session.slug), context.get("prefs"))


def session_tags(session):
    """Cancelled, the track with its colour swatch, the type."""
    parts = []
    if session.is_cancelled:
        parts.append(format_html('<span class="badge cancelled-badge">{}</span> ', _("Cancelled")))
    if session.track:
        parts.append(
            format_html(
                '<span class="tag track t{}"><span class="swatch t{}" aria-hidden="true"></span>{}</span> ',
                session.track.pk,
                session.track.pk,
                session.track.name,
            )
        )
    if session.session_type:
        parts.append(format_html('<span class="tag type">{}</span>', session.session_type.name))
    return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)


@dataclass(frozen=True)
class DayMoment:
    """Where the day shown stands now: the sessions running, the start of the next ones, and
    where "Jump to now" goes (the first talk running, not registration open since morning;
    else the next ones)."""

    now: object
    next_start: object
    jump_start: object

    def is_now(self, session):
        return session.start <= self.now < session.end

    def is_next(self, session):
        return session.start == self.next_start


def day_moment(context):
    """The moment on the day shown, while the conference runs and that day is today, else
    None; the cached rendering is keyed by the minute meanwhile. Worked out once per layer of
    the context: templates ask for it first, {% day_moment as moment %}."""
    if "_day_moment" not in context:
        context["_day_moment"] = _moment_today(context)
    return context["_day_moment"]


def _moment_today(context):
    now, conference = context.get("now"), context.get("conference")
    if not (now and conference and conference.is_running(now)):
        return None
    if context["clock"].date(now) != context.get("day"):
        return None
    sessions = context.get("sessions", ())
    next_start = min((s.start for s in sessions if s.start > now), default=None)
    running = [s.start for s in sessions if s.start <= now < s.end and not is_all_day(s)]
    return DayMoment(now, next_start, min(running, default=next_start))


def moment_badge(context, session):
    """ "Happening now" or "Next", in words, on a session of today."""
    moment = day_moment(context)
    if moment is None:
        return ""
    if moment.is_now(session):
        return format_html('<span class="badge now-badge">{}</span> ', _("Happening now"))
    if moment.is_next(session):
        return format_html('<span class="badge next-badge">{}</span> ', _("Next"))
    return ""


def seat_box_marker(context, session):
    return visitor_part(context, Marker.SEAT_BOX, session) if session.seat_limit is not None else ""


def grid_cell(context, placement, column_count):
    """A session's box in the day grid, as tall as it is long, in its stage's column."""
    session, clock = placement.session, context["clock"]
    classes = [f"cell r{placement.row} s{placement.span}"]
    if placement.column:
        classes.append(f"c{placement.column} lanes{placement.lanes} lane{placement.lane}")
    else:
        classes.append("span-all")
    if session.is_cancelled:
        classes.append("cancelled")
    if session.track:
        classes.append(f"t{session.track.pk}")
    stage = session.stage.name if session.stage else ""
    if placement.column:
        where = format_html('<span class="visually-hidden"> · {}</span>', stage)
    else:
        where = format_html(" · {}", stage) if stage else ""
    speakers = [link.speaker.name for link in session.speaker_links.all()]
    return format_html(
        '<div role="cell" aria-colindex="{}"{} class="{}{}">'
        '<h3 class="cell-title"><a href="{}">{}</a></h3>'
        '<p class="cell-time">{}{}{}</p>{}<p class="cell-tags">{}</p>{}{}</div>',
        placement.column or 2,
        format_html(' aria-colspan="{}"', column_count) if not placement.column else "",
        " ".join(classes),
        visitor_part(context, Marker.AGENDA_CLASS, session),
        session_link(context, session),
        session.title,
        moment_badge(context, session),
        clock.range(session.start, session.end),
        where,
        format_html('<p class="cell-speakers">{}</p>', ", ".join(speakers)) if speakers else "",
        session_tags(session),
        agenda_button(context, session),
        seat_box_marker(context, session),
    )


def list_card(context, session):
    """A session's card in the day list."""
    clock = context["clock"]
    speaker_url = url_for(context, "speakers:detail")
    classes = ["card"]
    if session.is_cancelled:
        classes.append("cancelled")
    if session.track:
        classes.append(f"t{session.track.pk}")
    links = [link.speaker for link in session.speaker_links.all()]
    speakers = format_html_join(
        ", ",
        '<a href="{}">{}</a>{}',
        (
            (speaker_url(s.slug), s.name, format_html(" ({})", s.company) if s.company else "")
            for s in links
        ),
    )
    return format_html(
        '<li class="{}{}"><h4 class="card-title"><a href="{}">{}</a></h4>'
        '<p class="card-when">{}{}{}</p>{}<p class="card-tags">{}</p>{}{}</li>',
        " ".join(classes),
        visitor_part(context, Marker.AGENDA_CLASS, session),
        session_link(context, session),
        session.title,
        moment_badge(context, session),
        clock.range(session.start, session.end),
        format_html(" · {}", session.stage.name) if session.stage else "",
        format_html('<p class="card-speakers">{}</p>', speakers) if links else "",
        session_tags(session),
        agenda_button(context, session),
        seat_box_marker(context, session),
    )


def agenda_anchor(session):
    """The toggle's id: a no-JS toggle comes back to the page at this session."""
    return f"agenda-toggle-{session.slug}"


def agenda_button(context, session):
    """The "Add to my agenda" / "In my agenda" toggle: a form that works without JavaScript,
    swapped in place with HTMX. Both buttons are there; the form's class shows one, so the
    words change with the state, not only the colour. Written in Python: a day shows
    hundreds of them."""
    url = url_for(context, "attendees:toggle")(session.slug)
    return format_html(
        '<form class="agenda-form{}" id="{}" method="post" action="{}" hx-post="{}" '
        'hx-target="this" hx-swap="outerHTML">'
        "{}"
        '<button type="submit" name="action" value="add" class="agenda-toggle if-out">'
        '<span aria-hidden="true">☆</span> {}<span class="visually-hidden">: {}</span></button>'
        '<button type="submit" name="action" value="remove" class="agenda-toggle if-in">'
        '<span aria-hidden="true">★</span> {}<span class="visually-hidden"> ({}): {}</span>'
        "</button></form>",
        visitor_part(context, Marker.AGENDA_CLASS, session),
        agenda_anchor(session),
        url,
        url,
        visitor_part(context, Marker.CSRF_TOKEN),
        _("Add to my agenda"),
        session.title,
        _("In my agenda"),
        _("remove"),
        session.title,
    )


# What the viewer can do, by their place: (action, button class, label, note above the button).
ACTIONS = {
    "reserved": (
        "cancel",
        "button secondary",
        gettext_lazy("Cancel reservation"),
        gettext_lazy("You have a reserved seat."),
    ),
    "waitlisted": (
        "leave",
        "button secondary",
        gettext_lazy("Leave waitlist"),
        gettext_lazy("You are on the waitlist."),
    ),
    "full": ("join", "button", gettext_lazy("Join waitlist"), None),
    "open": ("reserve", "button", gettext_lazy("Reserve a seat"), None),
}


def seat_box_html(
    *, session, conference, agenda, request, message=None, level=None, code=None, next_url=None
):
    """Seats left, the viewer's place, a message after an action, and the one action that fits."""
    count = seat_count(session)
    mine = agenda.seats.get(session.pk) if agenda is not None else None
    classes = " ".join(part for part in ("seat-box", count.level, mine) if part)
    note = ""
    if message:
        login = ""
        if code == "anonymous":
            login_url = f"{reverse('account_login')}?next={quote(session.get_absolute_url())}"
            login = format_html(' <a href="{}">{}</a>', login_url, _("Log in"))
        note = format_html(
            '<p class="seat-message {}" role="{}">{}{}</p>',
            level or "",
            "alert" if level == "error" else "status",
            message,
            login,
        )
    form = ""
    if not session.is_cancelled:
        action, button, label, mine_note = ACTIONS[
            mine or ("full" if count.level == "full" else "open")
        ]
        place = agenda.waitlist_places.get(session.pk) if mine == "waitlisted" else None
        if place:
            mine_note = waitlist_place_label(place)
        url = reverse(
            "attendees:seat", kwargs={"conference": conference.slug, "slug": session.slug}
        )
        form = format_html(
            '<form class="seat-form" method="post" action="{}" hx-post="{}" hx-target="closest .seat-box" '
            'hx-swap="outerHTML">{}'
            '<input type="hidden" name="next" value="{}">{}<input type="hidden" name="action" value="{}">'
            '<button type="submit" class="{}">{}<span class="visually-hidden">: {}</span></button></form>',
            url,
            url,
            token_input(request),
            next_url or (request.get_full_path() if request is not None else ""),
            format_html('<p class="seat-mine">{}</p>', mine_note) if mine_note else "",
            action,
            button,
            label,
            session.title,
        )
    return format_html(
        '<div class="{}" data-session="{}"><p class="seat-count">{}</p>{}{}</div>',
        classes,
        session.pk,
        count.label,
        note,
        form,
    )


def seat_box(context, session):
    return seat_box_html(
        session=session,
        conference=context["conference"],
        agenda=context.get("agenda"),
        request=context.get("request"),
        message=context.get("seat_message"),
        level=context.get("seat_message_level"),
        code=context.get("seat_error_code"),
        next_url=context.get("next_url"),
    )
