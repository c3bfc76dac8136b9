"""{% personal %}: a visitor's own part of a session's box, or its marker when the box is
rendered for the shared cache (see schedule/personal.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from attendees.templatetags.seats import seat_box
from schedule.personal import agenda_class, marker

register = template.Library()
PLACEHOLDER = "__slug__"


def url_for(context, name):
    """slug -> URL of one of the conference's routes, from a single reverse() per page."""
    key = f"_url_{name}"
    if key not in context:
        context[key] = reverse(
            name, kwargs={"conference": context["conference"].slug, "slug": PLACEHOLDER}
        )
    pattern = context[key]
    return lambda slug: pattern.replace(PLACEHOLDER, slug)


@register.simple_tag(takes_context=True)
def personal(context, kind, session=None):
    """kind: 'c' agenda class, 'S' seat box, 'k' CSRF token."""
    if context.get("for_cache"):
        return marker(kind, session)
    if kind == "k":
        return context.get("csrf_token", "")
    if kind == "S":
        return seat_box(context, session)
    return agenda_class(session in context["agenda"])


@register.simple_tag(takes_context=True)
def agenda_button(context, session):
    """The "Add to my agenda" / "In my agenda" toggle: a form that works without JavaScript,
    swapped in place with HTMX. Both buttons are there; the form's class shows one, so the
    words change with the state, not only the colour. Written in Python: a day shows
    hundreds of them."""
    url = url_for(context, "attendees:toggle")(session.slug)
    return format_html(
        '<form class="agenda-form{}" method="post" action="{}" hx-post="{}" hx-target="this" '
        'hx-swap="outerHTML"><input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" name="action" value="add" class="agenda-toggle if-out">'
        '<span aria-hidden="true">☆</span> {}<span class="visually-hidden">: {}</span></button>'
        '<button type="submit" name="action" value="remove" class="agenda-toggle if-in">'
        '<span aria-hidden="true">★</span> {}<span class="visually-hidden"> ({}): {}</span>'
        "</button></form>",
        personal(context, "c", session),
        url,
        url,
        personal(context, "k"),
        _("Add to my agenda"),
        session.title,
        _("In my agenda"),
        _("remove"),
        session.title,
    )
