"""Everything the schedule publishes to programs: the exports in every exchange format,
a session's "Add to calendar" and a person's agenda as a calendar subscription."""

import re

from django.http import Http404
from django.utils.translation import gettext as _

from attendees.agenda import Agenda
from attendees.models import AgendaFeed
from public import published
from public.filters import ScheduleFilters
from public.pages import get_conference, session_or_404
from schedule import queries
from schedule.formats import FORMATS
from schedule.models import Session

FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@published.publishing
def schedule_export(request, conference, format):
    """schedule.xml, .json, .csv and .ics: the whole public schedule for apps and calendars;
    schedule.ics?track=… (the schedule page's filters) only the sessions they select."""
    conference = get_conference(conference)
    params = ScheduleFilters.feed_params_of(request) if format == "ics" else []
    if params:
        return published.filtered_calendar_response(
            request,
            conference=conference,
            params=params,
            read_filters=lambda: ScheduleFilters.from_request(request, conference),
        )
    return published.export_response(request, conference, FORMATS[format])


@published.publishing
def session_ics(request, conference, slug):
    """'Add to calendar' for one session."""
    conference = get_conference(conference)
    session = session_or_404(conference, slug)
    return published.calendar_response(
        request,
        conference=conference,
        sessions=[session],
        name=session.title,
        filename=f"{slug}.ics",
    )


@published.publishing
def agenda_feed(request, conference, token):
    """A person's agenda for calendar apps. The token is the only key; it reveals only sessions."""
    # Tokens are URL-safe base64; anything else (a NUL byte PostgreSQL refuses) is no feed.
    feed = FEED_TOKEN.fullmatch(token) and (
        AgendaFeed.objects.select_related("conference", "user")
        .filter(conference__slug=conference, token=token)
        .first()
    )
    if feed is None:
        raise Http404(_("This calendar link is not valid (it may have been reset)."))
    agenda = Agenda.for_user(feed.user, feed.conference)
    # A reserved seat stays in the calendar even if its session left the agenda.
    listed = agenda.session_ids | agenda.reserved_ids
    return published.calendar_response(
        request,
        conference=feed.conference,
        sessions=queries.with_details(
            Session.objects.for_conference(feed.conference).filter(pk__in=listed)
        ),
        name=_("My agenda · %(name)s") % {"name": feed.conference.name},
        filename=f"{feed.conference.slug}-agenda.ics",
        # Which sessions: the agenda's own version, beside the schedule's.
        parts=[feed.pk, sorted(listed)],
        notes={pk: [_("You have a reserved seat.")] for pk in agenda.reserved_ids},
    )
