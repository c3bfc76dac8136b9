"""Responses for everything the schedule publishes to programs: exports and calendar feeds.

Calendar apps and schedule apps poll, so a request must be cheap. The ETag comes from the
conference's schedule version (which moves with every change) and what else the document
depends on, without reading a single session; the document is written once per version
and kept in the cache, together with when it was written.

Last-Modified is the second after the document was written, and only a request that began
after that second is told it. Whatever the ETag covers changed before the document was written,
so the date is never older than a change; and a request that began after that second read the
schedule version, agenda and filter after it too, so any later change gets a later date, even
one made within the same second, on any server or process (clocks kept in step, as NTP does),
with or without a shared cache.
"""

import hashlib
import math
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

import segno
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from schedule import ics, queries
from schedule.models import Session

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 24 * 3600


def publishing(view):
    """GET and HEAD of a published document; notes when the request began, before the view
    reads anything the document's ETag covers."""

    @require_safe
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.published_since = time.time()
        return view(request, *args, **kwargs)

    return wrapper


def published_response(request, *, conference, parts, build, content_type, filename, public):
    """build() -> body bytes, called on a cache miss only. 304 for If-None-Match, or for
    If-Modified-Since when no If-None-Match is sent."""
    # "document": entries hold (body, time written), no longer (body, datetime).
    key = conference.cache_key("published-document", request.get_host(), *parts)
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'public' if public else 'private'}, max-age=300",
    }
    cached = cache.get(key)
    if cached is None:
        # A client that has this version needs no copy of it, even when the cache lost it.
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            not_modified.headers.update(headers)
            return not_modified
        cached = (build(), time.time())
        cache.set(key, cached, CACHE_SECONDS)
    body, written = cached
    response = HttpResponse(body, content_type=content_type, headers=headers)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    modified = last_modified(request, written)
    if modified is not None:
        response["Last-Modified"] = http_date(modified)
    response = get_conditional_response(
        request, etag=etag, last_modified=modified, response=response
    )
    # The same document for everyone: the shared-page cache answers the next one without SQL.
    response.shareable = public and response.status_code == 200
    return response


def last_modified(request, written):
    """The second after `written`, or None while the request began before it (see above)."""
    modified = math.floor(written) + 1
    return modified if modified <= request.published_since else None


def export_response(request, conference, schedule_format):
    """The conference's whole public schedule in one exchange format."""

    def build():
        sessions = queries.with_details(Session.objects.for_conference(conference)).order_by(
            "start", "stage__position", "pk"
        )
        return schedule_format.write(
            conference,
            list(sessions),
            absolute_url=request.build_absolute_uri,
            version=str(conference.schedule_version),
        )

    return published_response(
        request,
        conference=conference,
        parts=["export", schedule_format.identifier],
        build=build,
        content_type=schedule_format.content_type,
        filename=schedule_format.filename(conference),
        public=True,
    )


def calendar_response(request, *, conference, sessions, name, filename, parts=(), notes=None):
    """An iCalendar document of `sessions` (a queryset, read on a cache miss only); `parts`
    name what else it depends on, which makes it private (a person's agenda)."""
    notes = notes or {}

    def build():
        return ics.build_calendar(
            conference=conference,
            sessions=list(sessions),
            name=name,
            absolute_url=request.build_absolute_uri,
            notes=notes,
        )

    return published_response(
        request,
        conference=conference,
        parts=["ics", name, *parts, sorted(notes.items())],
        build=build,
        content_type=CALENDAR_TYPE,
        filename=filename,
        public=not parts,
    )


def filtered_calendar_response(request, *, conference, params, read_filters):
    """schedule.ics?track=…: the sessions the schedule page's filters select, as one public
    subscription. `params` are the filters as the request names them, normalised, for the key;
    read_filters() looks them up (Http404 for one the conference lacks) on a cache miss only."""

    def build():
        filters = read_filters()
        sessions = filters.apply(queries.with_details(Session.objects.for_conference(conference)))
        return ics.build_calendar(
            conference=conference,
            sessions=list(sessions.order_by("start", "end", "title")),
            name=" · ".join([conference.name, ", ".join(filters.describe())]),
            absolute_url=request.build_absolute_uri,
        )

    return published_response(
        request,
        conference=conference,
        parts=["ics-filtered", params],
        build=build,
        content_type=CALENDAR_TYPE,
        filename=f"{conference.slug}.ics",
        public=True,
    )


@dataclass(frozen=True)
class Subscription:
    """A filtered schedule.ics as the schedule page offers it."""

    url: str
    webcal_url: str
    qr_svg: str
    session_count: int


def subscription(request, *, conference, params, session_count):
    """The subscription to the `session_count` sessions that `params` select."""
    path = reverse("schedule:schedule_ics", kwargs={"conference": conference.slug})
    url = request.build_absolute_uri(f"{path}?{urlencode(params)}")
    return Subscription(
        url=url,
        webcal_url="webcal://" + url.split("://", 1)[1],
        qr_svg=qr_svg(url, title=_("QR code of the calendar address of these sessions")),
        session_count=session_count,
    )


def qr_svg(url, *, title, scale=4):
    """An address as an inline SVG QR code for a phone's camera: segno writes no style=.
    `scale`: pixels a module; the code is drawn on white, so it reads on any background."""
    return segno.make(url, error="m").svg_inline(
        scale=scale, title=title, dark="#111827", light="#ffffff"
    )
