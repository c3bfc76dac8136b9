"""The session components (public/components.py) as template tags."""

from django import template

from public import components

register = template.Library()

register.simple_tag(takes_context=True)(components.grid_cell)
register.simple_tag(takes_context=True)(components.list_card)
register.simple_tag(takes_context=True)(components.agenda_button)
register.simple_tag(takes_context=True)(components.seat_box)
register.simple_tag(takes_context=True)(components.change_mark)
register.simple_tag(components.change_notes_mark)
register.simple_tag(components.session_tags)
register.simple_tag(takes_context=True)(components.seat_box_marker)
register.simple_tag(components.now_slot)
register.simple_tag(components.now_line)
register.simple_tag(components.jump_now)
