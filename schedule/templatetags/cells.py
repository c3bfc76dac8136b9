"""A session's box in the day grid and its card in the list, written in Python.

A busy day shows hundreds of sessions; rendered through template includes that costs more
than the rest of the page together, so these two pieces of markup live here, and only here.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from schedule.templatetags.clock import with_tz
from schedule.templatetags.personal import agenda_button, personal, url_for

register = template.Library()


def session_link(context, session):
    return with_tz(url_for(context, "schedule:session")(session.slug), context.get("prefs"))


def tags(session):
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


def seats(context, session):
    return personal(context, "S", session) if session.seat_limit is not None else ""


@register.simple_tag(takes_context=True)
def grid_cell(context, placement, column_count):
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
    if placement.span < 4:
        classes.append("short")
    stage = session.stage.name if session.stage else ""
    if placement.column:
        where = format_html('<span class="visually-hidden"> · {}</span>', stage)
    else:
        where = format_html(" · {}", stage) if stage else ""
    speakers = [link.speaker.name for link in session.speaker_links.all()]
    return format_html(
        '<div role="cell" aria-colindex="{}"{} class="{}{}">'
        '<h3 class="cell-title"><a href="{}">{}</a></h3>'
        '<p class="cell-time">{}{}</p>{}<p class="cell-tags">{}</p>{}{}</div>',
        placement.column or 2,
        format_html(' aria-colspan="{}"', column_count) if not placement.column else "",
        " ".join(classes),
        personal(context, "c", session),
        session_link(context, session),
        session.title,
        clock.range(session.start, session.end),
        where,
        format_html('<p class="cell-speakers">{}</p>', ", ".join(speakers)) if speakers else "",
        tags(session),
        agenda_button(context, session),
        seats(context, session),
    )


@register.simple_tag(takes_context=True)
def list_card(context, session):
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
        '<p class="card-when">{}{}</p>{}<p class="card-tags">{}</p>{}{}</li>',
        " ".join(classes),
        personal(context, "c", session),
        session_link(context, session),
        session.title,
        clock.range(session.start, session.end),
        format_html(" · {}", session.stage.name) if session.stage else "",
        format_html('<p class="card-speakers">{}</p>', speakers) if links else "",
        tags(session),
        agenda_button(context, session),
        seats(context, session),
    )
