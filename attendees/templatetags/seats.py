"""The seat box of a limited session, written in Python: a busy day shows a score of them on
every page view, filled in after the shared rendering comes from the cache."""

from urllib.parse import quote

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attendees.seats import seat_count

register = template.Library()

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
        url = reverse(
            "attendees:seat", kwargs={"conference": conference.slug, "slug": session.slug}
        )
        form = format_html(
            '<form class="seat-form" method="post" action="{}" hx-post="{}" hx-target="closest .seat-box" '
            'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">{}<input type="hidden" name="action" value="{}">'
            '<button type="submit" class="{}">{}<span class="visually-hidden">: {}</span></button></form>',
            url,
            url,
            get_token(request) if request is not None else "",
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


@register.simple_tag(takes_context=True)
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
