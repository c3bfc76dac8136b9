from django import template

from attendees.seats import seat_count

register = template.Library()


@register.simple_tag
def seat_state(session, agenda):
    """The seat count of a limited session and the viewer's own place: no query of its own."""
    mine = agenda.seats.get(session.pk) if agenda is not None else None
    return {"count": seat_count(session), "mine": mine}
