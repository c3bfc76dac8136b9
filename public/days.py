"""The day page's results: the grid or list of one local day, rendered once per schedule
version and shape and cached, then filled in with each visitor's own parts."""

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from attendees.seats import with_seats_taken
from conference import timezones
from public import preferences
from public.grid import build_grid
from public.pages import MASKED_CSRF_TOKEN, page_etag
from public.personal import personalize
from schedule import queries
from schedule.models import Session

RESULTS_TARGET = "schedule-results"
# Entries are keyed by schedule version, so age only bounds how long unused ones linger.
RESULTS_CACHE_SECONDS = 6 * 3600
RESULTS_SLOT = "<\x1eresults\x1e>"  # a marker as components.OPEN and CLOSE write them


def is_results_request(request):
    """An HTMX request that asks only for the schedule's results region."""
    return bool(request.htmx) and request.htmx.target == RESULTS_TARGET


@dataclass(frozen=True)
class DayTab:
    day: dt.date
    matches: int | None  # the day's sessions that the filters let through; None when unfiltered


def day_tabs(filters, days, zone):
    """The schedule's days, each with its number of matches while something is filtered."""
    if not filters.is_active:
        return [DayTab(day, None) for day in days]
    counts = Counter(timezones.local_date(start, zone) for start in filters.matching_starts)
    return [DayTab(day, counts[day]) for day in days]


def pick_day(requested, tabs, conference, clock):
    """The day a schedule URL names; else, of the days that have matches (all days when nothing
    is filtered or nothing matches), today while the conference runs, or the first."""
    days = [tab.day for tab in tabs]
    if requested is None:
        candidates = [tab.day for tab in tabs if tab.matches is None or tab.matches] or days
        if not candidates:
            return conference.start_date
        today = clock.date(timezone.now())
        return today if today in candidates else candidates[0]
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


def cached_local_days(conference, zone):
    key = conference.cache_key("local-days", zone.key)
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


@dataclass(frozen=True)
class DayResults:
    html: str
    session_count: int
    # What makes this visitor's results what they are, for the page's ETag.
    fingerprint: str


def day_results(request, context):
    """The day's grid or list: the shared rendering from the cache (keyed by everything that
    shapes it, the schedule version first), with this visitor's own parts filled in."""
    conference, agenda, now = context["conference"], context["agenda"], timezone.now()
    key = None if context["filters"].mine is not None else shared_key(request, context, now)
    cached = cache.get(key) if key else None  # a view of one's own agenda is nobody else's
    if cached is not None:
        html, session_count = cached
        personal = personalize(html, request=request, conference=conference, agenda=agenda)
        return DayResults(personal.html, session_count, fingerprint(key, agenda, personal))
    html, sessions = render_shared(request, context, now)
    if key:
        cache.set(key, (html, len(sessions)), RESULTS_CACHE_SECONDS)
    personal = personalize(
        html, request=request, conference=conference, agenda=agenda, sessions=sessions
    )
    shared_id = key or hashlib.sha256(html.encode()).hexdigest()
    return DayResults(personal.html, len(sessions), fingerprint(shared_id, agenda, personal))


def shared_key(request, context, now):
    """Everything that shapes the shared rendering; the minute too while the conference runs,
    for the line that marks now."""
    conference, prefs = context["conference"], context["prefs"]
    return conference.cache_key(
        "day-results",
        request.build_absolute_uri(request.path),  # a filtered day's subscribe links are absolute
        context["day"].isoformat(),
        prefs.zone.key,
        "24" if prefs.clock.hour24 else "12",
        context["layout"],
        context["tab_query"],
        now.strftime("%Y%m%d%H%M") if conference.is_running(now) else "",
        get_language() or "",
    )


def render_shared(request, context, now):
    """The results as everyone sees them, markers where each visitor's parts go."""
    conference, prefs = context["conference"], context["prefs"]
    day_sessions = Session.objects.for_conference(conference).on_local_day(
        context["day"], prefs.zone
    )
    sessions = list(
        context["filters"].apply(with_seats_taken(queries.with_details(day_sessions, brief=True)))
    )
    shared = {**context, "sessions": sessions, "now": now, "for_cache": True}
    shared["days_with_matches"] = [
        tab for tab in context["day_tabs"] if tab.matches and tab.day != context["day"]
    ]
    if context["layout"] == "grid":
        shared["grid"] = build_grid(sessions, prefs.clock, now)
    else:
        shared["slots"] = [
            (start, list(group)) for start, group in groupby(sessions, key=lambda s: s.start)
        ]
    return render_to_string("schedule/day.html#results", shared, request=request), sessions


def fingerprint(shared_id, agenda, personal):
    """The shared rendering, the visitor's agenda, seats and waitlist places, and the live seat
    counts of the day's limited sessions."""
    return (
        f"{shared_id}|{sorted(agenda.session_ids)}|{sorted(agenda.seats.items())}"
        f"|{personal.seat_counts}|{sorted(agenda.waitlist_places.items())}"
    )


def day_response(request, context):
    """The day page, or only its results for an HTMX request that targets them, with an ETag
    from what the visitor sees."""
    results = day_results(request, context)
    context["session_count"] = results.session_count
    if is_results_request(request):
        response = HttpResponse(results.html)
        response["ETag"] = page_etag(request, results.fingerprint)
        return response
    # The page around the results is small: its own fingerprint, then the results put in.
    context["results_html"] = mark_safe(RESULTS_SLOT)  # noqa: S308 (our own marker)
    shell = render_to_string("schedule/day.html", context, request=request)
    response = HttpResponse(shell.replace(RESULTS_SLOT, results.html))
    response["ETag"] = page_etag(
        request, MASKED_CSRF_TOKEN.sub(rb"\1", shell.encode()), results.fingerprint
    )
    return response
