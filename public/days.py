"""The day page's results: the grid or list of one local day, rendered once per schedule
version and shape and cached, then filled in with each visitor's own parts."""

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import NamedTuple
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from attendees.seats import with_seats_taken
from conference import timezones
from public import preferences
from public.blocks import (
    WHOLE_DAY_SESSIONS,
    DayTimes,
    block_from,
    day_moment,
    day_times,
    split_day,
)
from public.components import fill_moment
from public.grid import build_grid, stage_columns
from public.pages import MASKED_CSRF_TOKEN, page_context, page_etag
from public.personal import personalize
from schedule import queries, versions
from schedule.models import Session, open_all_day

RESULTS_TARGET = "schedule-results"
# Entries are keyed by schedule version, so age only bounds how long unused ones linger.
RESULTS_CACHE_SECONDS = 6 * 3600
RESULTS_TEMPLATE = "schedule/day.html#results"
RESULTS_SLOT = "<\x1eresults\x1e>"  # a marker as components.OPEN and CLOSE write them


class DayView(NamedTuple):
    """A page that shows one day of the schedule: its template, the region of it that holds
    the results, and the route of a day, which its tabs, blocks and "Jump to now" lead to."""

    page_template: str
    results_template: str
    day_route: str


SCHEDULE_DAY = DayView("schedule/day.html", RESULTS_TEMPLATE, "schedule:day")


def day_view(context):
    return context.get("day_view", SCHEDULE_DAY)


BLOCK_TIME = re.compile(r"[0-2][0-9][0-5][0-9]")


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
    return conference.cached(
        "local-days",
        lambda: queries.local_days_with_sessions(conference, zone),
        RESULTS_CACHE_SECONDS,
        zone.key,
    )


def cached_latest_changes(conference):
    """versions.latest_changes (the marks), kept for the schedule version: renderings that
    are not cached themselves (a view of one's own agenda) read no version either."""
    return conference.cached(
        "latest-changes", lambda: versions.latest_changes(conference), RESULTS_CACHE_SECONDS
    )


def schedule_links(request, filters, layout, prefs):
    """The query strings of the day tabs and layout switch: only what describes the view."""
    params = filters.params()
    if prefs.tz_in_link:
        params.append(("tz", prefs.zone.key))
    if request.GET.get("clock") in preferences.CLOCKS:
        params.append(("clock", request.GET["clock"]))
    return {
        "tab_query": urlencode([*params, ("layout", layout)]),
        "print_query": urlencode(params),
        "layout_links": [
            (value, label, urlencode([*params, ("layout", value)]))
            for value, label in preferences.LAYOUT_LABELS.items()
        ],
    }


def day_context(request, conference, prefs, day, *, filters, **extra):
    """What a page of one local day needs: its filters, layout, day tabs and their links, and
    the day the URL names (pick_day)."""
    layout = preferences.layout_for(request)
    tabs = day_tabs(filters, cached_local_days(conference, prefs.zone), prefs.zone)
    return page_context(
        request,
        conference,
        prefs,
        day=pick_day(day, tabs, conference, prefs.clock),
        day_tabs=tabs,
        filters=filters,
        layout=layout,
        results_target=RESULTS_TARGET,
        **schedule_links(request, filters, layout, prefs),
        **extra,
    )


@dataclass(frozen=True)
class DayResults:
    html: str
    session_count: int
    # What makes this visitor's results what they are, for the page's ETag.
    fingerprint: str


@dataclass(frozen=True)
class SharedDay:
    """A cached rendering: the results (or one block of them), as everyone sees them."""

    html: str
    session_count: int  # the day's sessions that the filters let through, in every block
    times: DayTimes  # for the marks of the moment, filled in per request
    block: str | None  # the block the rendering shows


class SessionOutline(NamedTuple):
    """What cutting a day into blocks needs of each session: a row, not a model instance."""

    start: dt.datetime
    end: dt.datetime
    stage_id: int | None
    spans_all_stages: bool | None
    stage_name: str | None
    stage_position: int | None

    @property
    def is_open_all_day(self):
        return open_all_day(self.start, self.end, bool(self.spans_all_stages))

    @property
    def stage(self):
        """What a column head shows of the stage."""
        return (
            StageHead(self.stage_id, self.stage_name, self.stage_position)
            if self.stage_id
            else None
        )


class StageHead(NamedTuple):
    pk: int
    name: str
    position: int


def requested_block(request):
    """The local time ?from=HHMM (or HH:MM) names, or None."""
    value = request.GET.get("from", "").replace(":", "")
    return value if BLOCK_TIME.fullmatch(value) else None


def is_block_request(request):
    """An HTMX request for one more block of a big day, as the visitor scrolls to it."""
    return (
        bool(request.htmx)
        and requested_block(request) is not None
        and not is_results_request(request)
    )


def day_results(request, context):
    """The day's grid or list: the shared rendering from the cache (keyed by everything that
    shapes it, the schedule version first), with the marks of the moment and this visitor's
    own parts filled in."""
    conference, agenda, now = context["conference"], context["agenda"], timezone.now()
    key = None if context["filters"].mine is not None else shared_key(request, context)
    shared = cache.get(key) if key else None  # a view of one's own agenda is nobody else's
    sessions = ()
    if shared is None:
        shared, sessions = render_shared(request, context)
        if key:
            cache.set(key, shared, RESULTS_CACHE_SECONDS)
    moment = moment_now(context, shared.times, now)
    html = fill_moment(
        shared.html,
        moment=moment,
        clock=context["prefs"].clock,
        jump_url=jump_url(context, shared, moment),
    )
    personal = personalize(
        html, request=request, conference=conference, agenda=agenda, sessions=sessions
    )
    shared_id = key or hashlib.sha256(shared.html.encode()).hexdigest()
    return DayResults(
        personal.html, shared.session_count, fingerprint(shared_id, moment, agenda, personal)
    )


def shared_key(request, context):
    """Everything that shapes the shared rendering; not the time of day, whose marks are
    filled in per request."""
    conference, prefs = context["conference"], context["prefs"]
    return conference.cache_key(
        "day-results",
        request.build_absolute_uri(request.path),  # a filtered day's subscribe links are absolute
        context["day"].isoformat(),
        prefs.zone.key,
        "24" if prefs.clock.hour24 else "12",
        context["layout"],
        context["tab_query"],
        "block" if is_block_request(request) else "page",
        requested_block(request) or "",
        get_language() or "",
    )


def render_shared(request, context):
    """The results as everyone sees them, markers where each visitor's parts and the marks of
    the moment go: on a big day only the block asked for (the first by default), its
    sessions the only ones read in full."""
    conference, prefs, layout = context["conference"], context["prefs"], context["layout"]
    matching = context["filters"].apply(
        Session.objects.for_conference(conference).on_local_day(context["day"], prefs.zone)
    )
    # Speakers are read for the sessions shown only, below.
    detailed = with_seats_taken(queries.with_details(matching, brief=True, related=False))
    sessions = list(detailed[: WHOLE_DAY_SESSIONS + 1])
    if len(sessions) <= WHOLE_DAY_SESSIONS:  # a usual day, read once and shown whole
        outline, big = sessions, False
    else:
        outline = [
            SessionOutline(*row)
            for row in matching.values_list(
                "start",
                "end",
                "stage_id",
                "session_type__spans_all_stages",
                "stage__name",
                "stage__position",
            )
        ]
        big = True
    blocks = split_day([session.start for session in outline], prefs.clock)
    block = block_from(blocks, requested_block(request))
    times = day_times(outline, blocks, prefs.clock, grid=layout == "grid")
    if big:  # a big day: only the block shown read in full
        shown = detailed.filter(start__gte=block.start)
        sessions = list(shown.filter(start__lt=block.end) if block.end else shown)
    prefetch_related_objects(sessions, *queries.related_details(brief=True))
    index = blocks.index(block) if block else 0
    shared = {
        **context,
        "sessions": sessions,
        "session_count": len(outline),
        "for_cache": True,
        "latest_changes": cached_latest_changes(conference),
        "block": block,
        "blocks_url": f"{day_url(context)}?{context['tab_query']}",
        "previous_block": blocks[index - 1] if index else None,
        "next_block": blocks[index + 1] if index + 1 < len(blocks) else None,
        "days_with_matches": [
            tab for tab in context["day_tabs"] if tab.matches and tab.day != context["day"]
        ],
    }
    if layout == "grid" and block:
        columns = stage_columns([session for session in outline if not session.is_open_all_day])
        shared["grid"] = build_grid(sessions, prefs.clock, columns=columns)
        shared["line"] = next((line for line in times.lines if line[3] == block.key), None)
    elif block:
        shared["slots"] = [
            (start, list(group)) for start, group in groupby(sessions, key=lambda s: s.start)
        ]
    template = (
        "schedule/_day_block.html"
        if is_block_request(request)
        else day_view(context).results_template
    )
    html = render_to_string(template, shared, request=request)
    return SharedDay(html, len(outline), times, block and block.key), sessions


def moment_now(context, times, now):
    """The moment on the day shown while the conference runs and that day is today, else None."""
    if not context["conference"].is_running(now):
        return None
    if context["prefs"].clock.date(now) != context["day"]:
        return None
    return day_moment(times, now, grid=context["layout"] == "grid")


def jump_url(context, shared, moment):
    """Where "Jump to now" goes: down the page when its target is in the block shown, else to
    the block that holds it."""
    if moment is None or moment.jump_start is None:
        return None
    if moment.jump_block == shared.block:
        return "#now"
    return f"{day_url(context)}?{context['tab_query']}&from={moment.jump_block}#now"


def day_url(context):
    """The URL of the day shown, which its block links and "Jump to now" start from."""
    return reverse(
        day_view(context).day_route,
        kwargs={"conference": context["conference"].slug, "day": context["day"]},
    )


def fingerprint(shared_id, moment, agenda, personal):
    """The shared rendering, the minute while its marks move, the visitor's agenda, seats and
    waitlist places, and the live seat counts of the day's limited sessions."""
    return (
        f"{shared_id}|{moment.now.strftime('%Y%m%d%H%M') if moment else ''}"
        f"|{sorted(agenda.session_ids)}|{sorted(agenda.seats.items())}"
        f"|{personal.seat_counts}|{sorted(agenda.waitlist_places.items())}"
    )


def day_response(request, context):
    """The day page, or only its results for an HTMX request that targets them, with an ETag
    from what the visitor sees."""
    results = day_results(request, context)
    context["session_count"] = results.session_count
    if is_results_request(request) or is_block_request(request):
        response = HttpResponse(results.html)
        response["ETag"] = page_etag(request, results.fingerprint)
        return response
    # The page around the results is small: its own fingerprint, then the results put in.
    context["results_html"] = mark_safe(RESULTS_SLOT)  # noqa: S308 (our own marker)
    shell = render_to_string(day_view(context).page_template, context, request=request)
    response = HttpResponse(shell.replace(RESULTS_SLOT, results.html))
    response["ETag"] = page_etag(
        request, MASKED_CSRF_TOKEN.sub(rb"\1", shell.encode()), results.fingerprint
    )
    return response
