"""The day page's results: the grid or list of one local day, rendered once per schedule
version and shape and cached, then filled in with each visitor's own parts."""

import datetime as dt
import hashlib
from itertools import groupby
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from schedule import preferences, queries
from schedule.grid import build_grid
from schedule.models import Session
from schedule.personal import personalize

RESULTS_TARGET = "schedule-results"
# Entries are keyed by schedule version, so age only bounds how long unused ones linger.
RESULTS_CACHE_SECONDS = 6 * 3600
RESULTS_SLOT = "\x1eresults\x1e"


def is_results_request(request):
    """An HTMX request that asks only for the schedule's results region."""
    return bool(request.htmx) and request.htmx.target == RESULTS_TARGET


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
