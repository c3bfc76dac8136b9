"""{% personal %}: a visitor's own part of a session's box, or its marker when the box is
rendered for the shared cache (see schedule/personal.py)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from schedule.personal import agenda_class, marker

register = template.Library()


@register.simple_tag(takes_context=True)
def personal(context, kind, session=None):
    """kind: 'c' agenda class, 'S' seat box, 'k' CSRF token."""
    if context.get("for_cache"):
        return marker(kind, session)
    if kind == "k":
        return context.get("csrf_token", "")
    if kind == "S":
        flat = context.flatten()
        seat_box = render_to_string(
            "attendees/_seat_box.html", flat, request=context.get("request")
        )
        return mark_safe(seat_box)  # noqa: S308 (a rendered, escaped template)
    return agenda_class(session in context["agenda"])
