import json
import re

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from attendees.agenda import Agenda
from conference.models import Conference
from public import preferences
from public.days import day_context, day_response
from public.filters import ScheduleFilters
from public.forms import PreferencesForm
from public.pages import (
    conference_page,
    get_conference,
    page_context,
    picker_context,
    same_origin_post,
)
from public.shared_pages import now_board, personal_html, session_page
from public.sharing import share

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@require_safe
def conference_list(request):
    """The only conference's schedule, or every conference, running and upcoming first."""
    conferences = Conference.objects.current_and_upcoming_first()
    if len(conferences) == 1:
        return redirect(conferences[0])
    return render(request, "conference/conference_list.html", {"conferences": conferences})


@require_safe
def conference_home(request, conference):
    return redirect("schedule:schedule", conference=get_conference(conference).slug)


@require_safe
@conference_page
def schedule(request, conference, prefs, day=None):
    agenda = Agenda(request, conference)
    filters = ScheduleFilters.from_request(request, conference, agenda)
    context = day_context(
        request, conference, prefs, day, filters=filters, nav="schedule", agenda=agenda
    )
    response = day_response(request, context)
    patch_vary_headers(response, preferences.LAYOUT_HINTS)
    if request.GET.get("layout") in preferences.LAYOUTS:
        preferences.remember(response, preferences.LAYOUT_COOKIE, context["layout"])
    return response


@require_safe
@conference_page
def session_detail(request, conference, prefs, slug):
    context = page_context(request, conference, prefs, nav="schedule")
    context["page"] = session_page(request, context, slug)
    context["article"] = personal_html(request, context, context["page"].html)
    page = context["page"]
    context["share"] = share(request, conference, page.pk, card_version=page.card_version)
    return render(request, "schedule/session.html", context)


@require_safe
@conference_page
def now_and_next(request, conference, prefs):
    context = page_context(request, conference, prefs, nav="now")
    board = now_board(request, context, timezone.now())
    if request.htmx:
        return HttpResponse(board)
    return render(request, "schedule/now.html", {**context, "board": board})


@require_http_methods(["GET", "HEAD", "POST"])
@same_origin_post
@conference_page
def timezone_picker(request, conference, prefs):
    """The full timezone selector; POST keeps the choice and shows the page it came from."""
    picker = picker_context(request, conference, prefs)
    if request.method == "POST":
        picker["form"] = PreferencesForm(request.POST, conference=conference)
        if picker["form"].is_valid():
            return remember_choice(request, picker["form"])
    context = page_context(request, conference, prefs, nav="", picker=picker)
    template = "schedule/timezone.html#picker" if request.htmx else "schedule/timezone.html"
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def remember_choice(request, form):
    url = form.next_url_with_timezone()
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Location"] = json.dumps({"path": url, "target": "body"})
    else:
        response = redirect(url)
    preferences.remember_choice(
        request, response, timezone=form.cleaned_data["tz"], clock=form.cleaned_data["clock"]
    )
    return response


@require_safe
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
