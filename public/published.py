"""Responses for everything the schedule publishes to programs: exports and calendar feeds.

Calendar apps and schedule apps poll, so a request must be cheap. The ETag comes from the
conference's schedule version (which moves with every change) and what else the document
depends on, without reading a single session; the document is written once per version
and kept in the cache, together with its Last-Modified.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from schedule import ics, queries
from schedule.models import Session

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 24 * 3600


def published_response(request, *, conference, parts, build, content_type, filename, public):
    """build() -> (body bytes, last modified datetime or None), called on a cache miss only."""
    key = conference.cache_key("published", request.get_host(), *parts)
    etag = quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])
    cached = cache.get(key)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        if cached is None:
            cached = build()
            cache.set(key, cached, CACHE_SECONDS)
        response = HttpResponse(cached[0], content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if cached is not None and cached[1] is not None:
        response["Last-Modified"] = http_date(cached[1].timestamp())
    response["Cache-Control"] = f"{'public' if public else 'private'}, max-age=300"
    return response


def export_response(request, conference, schedule_format):
    """The conference's whole public schedule in one exchange format."""

    def build():
        sessions = list(
            queries.with_details(Session.objects.for_conference(conference)).order_by(
                "start", "stage__position", "pk"
            )
        )
        body = schedule_format.write(
            conference,
            sessions,
            absolute_url=request.build_absolute_uri,
            version=str(conference.schedule_version),
        )
        return body, last_modified(sessions)

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
        listed = list(sessions)
        body = ics.build_calendar(
            conference=conference,
            sessions=listed,
            name=name,
            absolute_url=request.build_absolute_uri,
            notes=notes,
        )
        return body, last_modified(listed)

    return published_response(
        request,
        conference=conference,
        parts=["ics", name, *parts, sorted(notes.items())],
        build=build,
        content_type=CALENDAR_TYPE,
        filename=filename,
        public=not parts,
    )


def last_modified(sessions):
    return max((session.updated for session in sessions), default=None)
