from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from attendees.agenda import Agenda
from public.components import fill_moment
from public.days import cached_local_days, day_tabs, pick_day
from public.filters import ScheduleFilters
from public.pages import conference_page, page_context
from public.printed import live_schedule, printed_days, programme_heading, schedule_path


@require_safe
@conference_page
def programme(request, conference, prefs, day=None):
    """The printed programme of a day (or of every day) for the schedule's filters: a track
    (?track=), a stage, or one's own agenda (?mine=1)."""
    agenda = Agenda(request, conference)
    filters = ScheduleFilters.from_request(request, conference, agenda)
    if day is not None:
        tabs = day_tabs(filters, cached_local_days(conference, prefs.zone), prefs.zone)
        day = pick_day(day, tabs, conference, prefs.clock)
    back = schedule_path(conference, day)
    context = page_context(
        request,
        conference,
        prefs,
        nav="",
        agenda=agenda,
        filters=filters,
        day=day,
        heading=programme_heading(filters),
        days=printed_days(conference=conference, filters=filters, prefs=prefs, day=day),
        live=live_schedule(request, conference=conference, filters=filters, prefs=prefs, day=day),
        back_url=f"{back}?{request.GET.urlencode()}" if request.GET else back,
        detached=True,
    )
    html = render_to_string("schedule/print.html", context, request=request)
    # Paper has no "now": the marks of the moment are left out.
    return HttpResponse(fill_moment(html, moment=None, clock=prefs.clock, jump_url=None))
