import datetime as dt
import hashlib
import json
import re
from functools import wraps
from itertools import groupby
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from attendees.agenda import Agenda
from conference.models import Conference
from schedule import feeds, preferences, queries, timezones
from schedule.filters import ScheduleFilters
from schedule.forms import PreferencesForm
from schedule.grid import build_grid
from schedule.models import Session
from schedule.personal import personalize

RESULTS_TARGET = "schedule-results"
# Entries are keyed by schedule version, so age only bounds how long unused ones linger.
RESULTS_CACHE_SECONDS = 6 * 3600
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def get_conference(slug):
    try:
        return Conference.objects.get(slug=slug)
    except Conference.DoesNotExist:
        raise Http404(_("There is no conference “%(slug)s”.") % {"slug": slug}) from None


def conference_page(view):
    """Loads the conference and the viewer's timezone, and renders times in that timezone."""

    @wraps(view)
    def wrapper(request, conference, *args, **kwargs):
        conference = get_conference(conference)
        try:
            prefs = preferences.display_preferences(request, conference)
        except timezones.UnknownTimezone as error:
            return unknown_timezone(request, conference, error)
        with timezone.override(prefs.zone):
            response = view(request, conference, prefs, *args, **kwargs)
        # Partial or full page, and times from cookies: caches must tell them apart. Pages
        # carry personal parts, so only the visitor's browser may keep them, revalidating.
        patch_vary_headers(response, ["HX-Request", "Cookie"])
        patch_cache_control(response, private=True, no_cache=True)
        return conditional(request, response)

    return wrapper


# Masked CSRF tokens differ on every response though they stand for the same secret.
RESULTS_SLOT = "\x1eresults\x1e"
MASKED_CSRF_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def conditional(request, response):
    """ETag from what the page says (tokens aside, the visitor's CSRF secret included), and 304
    when the browser already has it. A view that knows a cheaper fingerprint sets its own."""
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        content = MASKED_CSRF_TOKEN.sub(rb"\1", response.content)
        response["ETag"] = page_etag(request, content)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def page_etag(request, *parts):
    digest = hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
    return quote_etag(digest.hexdigest()[:32])


def unknown_timezone(request, conference, error):
    """400: name the value that is not a timezone and offer the selector, never guess."""
    prefs = preferences.display_preferences(request, conference, use_link=False)
    picker = picker_context(request, conference, prefs, next_url=_path_without_tz(request))
    context = page_context(
        request, conference, prefs, nav="", unknown_timezone=error.name, picker=picker
    )
    return render(request, "schedule/unknown_timezone.html", context, status=400)


def _path_without_tz(request):
    params = request.GET.copy()
    params.pop("tz", None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


def page_context(request, conference, prefs, nav, **extra):
    """What every conference page shows: its timezone notice, clock and the visitor's agenda."""
    return {
        "conference": conference,
        "prefs": prefs,
        "clock": prefs.clock,
        "nav": nav,
        "agenda": Agenda(request, conference),
        **extra,
    }


def is_results_request(request):
    """An HTMX request that asks only for the schedule's results region."""
    return bool(request.htmx) and request.htmx.target == RESULTS_TARGET


@require_GET
def conference_home(request, conference):
    return redirect("schedule:schedule", conference=get_conference(conference).slug)


def pick_day(requested, days, conference, clock):
    """The day a schedule URL names, or today while the conference runs, or its first day."""
    if requested is None:
        today = clock.date(timezone.now())
        return today if today in days else (days[0] if days else conference.start_date)
    try:
        day = dt.date.fromisoformat(requested)
    except ValueError:
        raise BadRequest(_("“%(day)s” is not a date.") % {"day": requested}) from None
    if day not in days and day not in conference.days:
        raise Http404(
            _("%(conference)s has no sessions on %(day)s.")
            % {"conference": conference.name, "day": day.isoformat()}
        )
    return day


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
        **schedule_links(request, filters, layout, prefs),
    )
    context["agenda"] = agenda
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


def cached_local_days(conference, zone):
    key = f"days:{conference.pk}:{conference.schedule_version}:{zone.key}"
    days = cache.get(key)
    if days is None:
        days = queries.local_days_with_sessions(conference, zone)
        cache.set(key, days, RESULTS_CACHE_SECONDS)
    return days


def schedule_links(request, filters, layout, prefs):
    """The query strings of the day tabs and layout switch: only what describes the view."""
    params = filters.params()
    if prefs.tz_in_link:
        params.append(("tz", prefs.zone.key))
    if request.GET.get("clock") in preferences.CLOCKS:
        params.append(("clock", request.GET["clock"]))
    return {
        "tab_query": urlencode([*params, ("layout", layout)]),
        "layout_links": [
            (value, label, urlencode([*params, ("layout", value)]))
            for value, label in preferences.LAYOUT_LABELS.items()
        ],
    }


def day_results(request, context):
    """The day's grid or list: the shared rendering from the cache (keyed by everything that
    shapes it, the schedule version first), with this visitor's own parts filled in."""
    conference, prefs, filters = context["conference"], context["prefs"], context["filters"]
    now = timezone.now()
    key = None
    if filters.mine is None:  # a view of one's own agenda is nobody else's
        shape = ":".join(
            [
                request.path,
                context["day"].isoformat(),
                prefs.zone.key,
                "24" if prefs.clock.hour24 else "12",
                context["layout"],
                context["tab_query"],
                now.strftime("%Y%m%d%H%M") if conference.is_running(now) else "",
                get_language() or "",
            ]
        )
        digest = hashlib.sha256(shape.encode()).hexdigest()[:32]
        key = f"day:{conference.pk}:{conference.schedule_version}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            return (
                personalize(cached[0], request=request, context=context),
                cached[1],
                fingerprint(key, context),
            )
    sessions = list(
        filters.apply(
            queries.with_details(
                Session.objects.for_conference(conference).on_local_day(context["day"], prefs.zone),
                brief=True,
            )
        )
    )
    shared = {**context, "sessions": sessions, "now": now, "for_cache": True}
    if context["layout"] == "grid":
        shared["grid"] = build_grid(sessions, prefs.clock, now)
    else:
        shared["slots"] = [
            (start, list(group)) for start, group in groupby(sessions, key=lambda s: s.start)
        ]
    html = render_to_string("schedule/day.html#results", shared, request=request)
    if key:
        cache.set(key, (html, len(sessions)), RESULTS_CACHE_SECONDS)
    return (
        personalize(html, request=request, context=context, sessions=sessions),
        len(sessions),
        fingerprint(key or hashlib.sha256(html.encode()).hexdigest(), context),
    )


def fingerprint(shared, context):
    """What makes this visitor's results what they are: the shared rendering, their agenda,
    their seats, and the live seat counts of the day's limited sessions."""
    agenda = context["agenda"]
    return f"{shared}|{sorted(agenda.session_ids)}|{sorted(agenda.seats.items())}|{context.get('seat_counts', '')}"


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


def picker_context(request, conference, prefs, next_url=None):
    next_url = next_url or request.GET.get("next") or request.get_full_path()
    return {
        "form": PreferencesForm(
            conference=conference,
            initial={
                "tz": prefs.zone.key,
                "clock": "24" if prefs.clock.hour24 else "12",
                "next": next_url,
            },
        ),
        "next": next_url,
    }


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
