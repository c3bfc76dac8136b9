import json
import re

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from attendees.agenda import Agenda
from schedule import feeds, preferences, queries
from schedule.days import (
    RESULTS_SLOT,
    RESULTS_TARGET,
    cached_local_days,
    day_results,
    is_results_request,
    pick_day,
    schedule_links,
)
from schedule.filters import ScheduleFilters
from schedule.forms import PreferencesForm
from schedule.models import Session
from schedule.pages import (
    MASKED_CSRF_TOKEN,
    conference_page,
    get_conference,
    page_context,
    page_etag,
    picker_context,
)

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@require_GET
def conference_home(request, conference):
    return redirect("schedule:schedule", conference=get_conference(conference).slug)


@require_GET
@conference_page
def schedule(request, conference, prefs, day=None):
    agenda = Agenda(request, conference)
    filters = ScheduleFilters.from_request(request, conference, agenda)
    layout = preferences.layout_for(request)
    days = cached_local_days(conference, prefs.zone)
    day = pick_day(day, days, conference, prefs.clock)
    context = page_context(
        request,
        conference,
        prefs,
        nav="schedule",
        day=day,
        days=days,
        filters=filters,
        layout=layout,
        results_target=RESULTS_TARGET,
        agenda=agenda,
        **schedule_links(request, filters, layout, prefs),
    )
    results, context["session_count"], fingerprint = day_results(request, context)
    if is_results_request(request):
        response = HttpResponse(results)
        response["ETag"] = page_etag(request, fingerprint)
    else:
        # The page around the results is small: its own fingerprint, then the results put in.
        context["results_html"] = RESULTS_SLOT
        shell = render_to_string("schedule/day.html", context, request=request)
        response = HttpResponse(shell.replace(RESULTS_SLOT, results))
        response["ETag"] = page_etag(
            request, MASKED_CSRF_TOKEN.sub(rb"\1", shell.encode()), fingerprint
        )
    if request.GET.get("layout") in preferences.LAYOUTS:
        preferences.remember(response, preferences.LAYOUT_COOKIE, layout)
    return response


@require_GET
@conference_page
def session_detail(request, conference, prefs, slug):
    session = (
        queries.with_details(Session.objects.for_conference(conference)).filter(slug=slug).first()
    )
    if session is None:
        raise Http404(_("There is no session “%(slug)s” in this conference.") % {"slug": slug})
    context = page_context(
        request, conference, prefs, nav="schedule", session=session, **queries.neighbours(session)
    )
    return render(request, "schedule/session.html", context)


@require_GET
@conference_page
def now_and_next(request, conference, prefs):
    now = timezone.now()
    start, end = conference.span_utc()
    context = page_context(
        request,
        conference,
        prefs,
        nav="now",
        now=now,
        before=now < start,
        ended=now >= end,
        starts_at=start,
        stages=queries.now_and_next(conference, now),
    )
    template = "schedule/now.html#board" if request.htmx else "schedule/now.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@conference_page
def timezone_picker(request, conference, prefs):
    """The full timezone selector; POST keeps the choice and shows the page it came from."""
    if request.method == "POST":
        form = PreferencesForm(request.POST, conference=conference)
        if form.is_valid():
            return remember_choice(request, form)
    else:
        form = None
    picker = picker_context(request, conference, prefs)
    if form is not None:
        picker["form"] = form
    context = page_context(request, conference, prefs, nav="", picker=picker)
    template = "schedule/timezone.html#picker" if request.htmx else "schedule/timezone.html"
    return render(request, template, context, status=400 if form is not None else 200)


def remember_choice(request, form):
    url = form.next_url_with_timezone()
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Location"] = json.dumps({"path": url, "target": "body"})
    else:
        response = redirect(url)
    preferences.remember(response, preferences.TIMEZONE_COOKIE, form.cleaned_data["tz"])
    if form.cleaned_data["clock"]:
        preferences.remember(response, preferences.CLOCK_COOKIE, form.cleaned_data["clock"])
    if request.user.is_authenticated:
        # Signed in: the choice follows the person to their other devices.
        preferences.save_to_profile(
            request.user, timezone=form.cleaned_data["tz"], clock=form.cleaned_data["clock"]
        )
    return response


@require_GET
def session_ics(request, conference, slug):
    """'Add to calendar' for one session."""
    conference = get_conference(conference)
    sessions = list(
        queries.with_details(Session.objects.for_conference(conference)).filter(slug=slug)
    )
    if not sessions:
        raise Http404(_("There is no session “%(slug)s” in this conference.") % {"slug": slug})
    return feeds.calendar_response(
        request,
        conference=conference,
        sessions=sessions,
        name=sessions[0].title,
        filename=f"{slug}.ics",
    )


@require_GET
def schedule_ics(request, conference):
    """The whole public schedule, cancelled sessions included (marked), for calendar apps."""
    conference = get_conference(conference)
    return feeds.calendar_response(
        request,
        conference=conference,
        sessions=queries.with_details(Session.objects.for_conference(conference)),
        name=conference.name,
        filename=f"{conference.slug}.ics",
    )


@require_GET
def colours(request, conference):
    """Track colours as CSS classes: colours are data, and a strict CSP forbids style=."""
    conference = get_conference(conference)
    rules = [
        f".t{track.pk}{{--track:{track.colour}}}"
        for track in conference.tracks.all()
        if COLOUR.fullmatch(track.colour)
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
