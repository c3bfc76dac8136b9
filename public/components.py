"""The markup that a session carries wherever it is listed, written in Python and only here:
its box in the day grid, its card in the list, its track and type tags, the "Add to my agenda"
toggle and the seat box of a limited session.

A busy day shows hundreds of sessions; rendered through template includes that costs several
times more than the rest of the page together (README, Performance). Pages reach
these through the tags in templatetags/components.py.

What differs between visitors is written through visitor_part(): the visitor's own value on a
page rendered for them, a named marker on a rendering that is cached for everyone, which
personal.personalize() fills in per request. The marks of the moment ("Happening now", the
grid's line at now) are always markers, filled in per request by fill_moment().
"""

import datetime as dt
import re
from enum import StrEnum
from urllib.parse import quote

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendees.seats import seat_count, waitlist_place_label
from public.grid import now_row
from public.templatetags.clock import with_tz
from schedule.versions import change_notes

# Markers open with "<" and close with ">": escaped text (a title, a search) never holds a raw
# "<", so nothing a visitor or an imported file writes can pass for a marker.
OPEN, CLOSE = "<\x1e", "\x1e>"
SLUG_PLACEHOLDER = "__slug__"


class Marker(StrEnum):
    AGENDA_CLASS = "agenda-class"  # " in-agenda" on a session in the visitor's agenda
    SEAT_BOX = "seat-box"  # a limited session's seats left and the visitor's place
    CSRF_TOKEN = "csrf-token"  # noqa: S105 (the visitor's token field, in every form)


class Moment(StrEnum):
    """The marks that move with the clock while the day shown runs."""

    BADGE = "moment"  # "Happening now" or "Next" on a session
    SLOT = "now-slot"  # the id "Jump to now" leads to, in the list
    LINE = "now-line"  # the line at now across the grid
    JUMP = "jump-now"  # the "Jump to now" link


MOMENT_MARKER = re.compile(f"{OPEN}({'|'.join(Moment)})([0-9-]*){CLOSE}")
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
    """The visitor's own part of a session's markup, or its marker when rendering for the cache;
    nothing on a copy of the schedule made to leave the site (the embed, a printed page)."""
    if context.get("detached"):
        return ""
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


def link_target(context):
    """' target="_blank" rel="noopener"' in the embedded schedule, whose links open the full
    site in a new tab rather than inside another site's frame."""
    if context.get("links_in_new_tab"):
        return mark_safe(' target="_blank" rel="noopener"')
    return ""


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


def change_mark(context, session, with_changelog=False):
    """What the latest published version changed of the session, in words ("Changed: Moved
    from 10:00 to 11:30; New room: Central Room"), or nothing; with_changelog adds a link to
    the changelog. The page's renderer reads the latest changes once into
    context["latest_changes"] (versions.latest_changes)."""
    change = context.get("latest_changes", {}).get(session.pk)
    if not change:
        return ""
    link = ""
    if with_changelog:
        url = reverse("schedule:changes", kwargs={"conference": context["conference"].slug})
        link = format_html(
            ' <a href="{}">{}</a>', with_tz(url, context.get("prefs")), _("All schedule changes")
        )
    return change_notes_mark(change_notes(change, context["clock"]), link)


def change_notes_mark(notes, link=""):
    """The mark of a changed session: a label in words, then what changed."""
    return format_html(
        '<p class="change-mark"><strong class="change-label">{}</strong> {}{}</p>',
        _("Changed:"),
        "; ".join(notes),
        link,
    )


def moment_marker(name, *instants):
    """Where a mark of the moment goes (components.fill_moment writes it), with the instants
    it depends on, so a rendering shared for the day's version serves every minute of it."""
    numbers = "-".join(str(int(instant.timestamp())) for instant in instants)
    return mark_safe(f"{OPEN}{name}{numbers}{CLOSE}")  # noqa: S308 (a name and numbers)


def moment_badge(session):
    """Where "Happening now" or "Next" may go on a session."""
    return moment_marker(Moment.BADGE, session.start, session.end)


def now_slot(start):
    """Where the list's slot that "Jump to now" leads to gets its id."""
    return moment_marker(Moment.SLOT, start)


def now_line(since, until, origin):
    """Where the grid draws its line at now while now is in [since, until); origin is the
    instant of the grid's first row."""
    return moment_marker(Moment.LINE, since, until, origin)


def jump_now():
    return moment_marker(Moment.JUMP)


def fill_moment(html, *, moment, clock, jump_url):
    """Write the marks of the moment into a day's rendering: "Happening now" and "Next", the
    grid's line at now, and "Jump to now" (to jump_url) with its target; none when the day
    shown is not running now (moment None). One pass over the page."""
    now = moment and int(moment.now.timestamp())
    next_start = moment and moment.next_start and int(moment.next_start.timestamp())
    jump_start = moment and moment.jump_start and int(moment.jump_start.timestamp())

    def fill(match):
        if moment is None:
            return ""
        name, numbers = match.group(1), [int(n) for n in match.group(2).split("-") if n]
        if name == Moment.BADGE:
            if numbers[0] <= now < numbers[1]:
                return format_html('<span class="badge now-badge">{}</span> ', _("Happening now"))
            if numbers[0] == next_start:
                return format_html('<span class="badge next-badge">{}</span> ', _("Next"))
        elif name == Moment.SLOT and numbers[0] == jump_start:
            return ' id="now"'
        elif name == Moment.LINE and numbers[0] <= now < numbers[1]:
            origin = dt.datetime.fromtimestamp(numbers[2], dt.UTC)
            return format_html(
                '<div id="now" class="now-line r{}"><span>{} {}</span></div>',
                now_row(origin, moment.now),
                _("Now"),
                clock.time(moment.now),
            )
        elif name == Moment.JUMP and jump_url:
            return format_html(
                '<p class="jump-now"><a href="{}">{}</a></p>', jump_url, _("Jump to now")
            )
        return ""

    return mark_safe(MOMENT_MARKER.sub(fill, html))  # noqa: S308 (our own escaped rendering)


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
        '<h3 class="cell-title"><a href="{}"{}>{}</a></h3>'
        '<p class="cell-time">{}{}{}</p>{}{}<p class="cell-tags">{}</p>{}{}</div>',
        placement.column or 2,
        format_html(' aria-colspan="{}"', column_count) if not placement.column else "",
        " ".join(classes),
        visitor_part(context, Marker.AGENDA_CLASS, session),
        session_link(context, session),
        link_target(context),
        session.title,
        moment_badge(session),
        clock.range(session.start, session.end),
        where,
        format_html('<p class="cell-speakers">{}</p>', ", ".join(speakers)) if speakers else "",
        change_mark(context, session),
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
    target = link_target(context)
    speakers = format_html_join(
        ", ",
        '<a href="{}"{}>{}</a>{}',
        (
            (
                speaker_url(s.slug),
                target,
                s.name,
                format_html(" ({})", s.company) if s.company else "",
            )
            for s in links
        ),
    )
    return format_html(
        '<li class="{}{}"><h4 class="card-title"><a href="{}"{}>{}</a></h4>'
        '<p class="card-when">{}{}{}</p>{}{}<p class="card-tags">{}</p>{}{}</li>',
        " ".join(classes),
        visitor_part(context, Marker.AGENDA_CLASS, session),
        session_link(context, session),
        target,
        session.title,
        moment_badge(session),
        clock.range(session.start, session.end),
        format_html(" · {}", session.stage.name) if session.stage else "",
        format_html('<p class="card-speakers">{}</p>', speakers) if links else "",
        change_mark(context, session),
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
    hundreds of them. None on a copy that leaves the site: it has no visitor."""
    if context.get("detached"):
        return ""
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
