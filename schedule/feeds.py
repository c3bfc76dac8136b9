"""Responses for everything the schedule publishes to programs: calendar feeds and exports.

Calendar apps and schedule apps poll, so a request must be cheap. The ETag comes from the
conference's schedule version (which moves with every change) and what else the document
depends on, without reading a single session; the document is written once per version
and kept in the cache, together with its Last-Modified.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from schedule import calendar

CALENDAR_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 24 * 3600


def published_response(request, *, conference, parts, build, content_type, filename, public):
    """build() -> (body bytes, last modified datetime or None), called on a cache miss only."""
    digest = hashlib.sha256()
    for part in (conference.pk, conference.schedule_version, request.get_host(), *parts):
        digest.update(f"{part}|".encode())
    version = digest.hexdigest()[:32]
    etag = quote_etag(version)
    key = f"published:{version}"
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


def calendar_response(request, *, conference, sessions, name, filename, parts=(), notes=None):
    """An iCalendar document of `sessions` (a queryset, read on a cache miss only)."""
    notes = notes or {}

    def build():
        listed = list(sessions)
        body = calendar.build_calendar(
            conference=conference,
            sessions=listed,
            name=name,
            absolute_url=request.build_absolute_uri,
            notes=notes,
        )
        return body, max((s.updated for s in listed), default=None)

    return published_response(
        request,
        conference=conference,
        parts=["ics", name, *parts, sorted(notes.items())],
        build=build,
        content_type=CALENDAR_TYPE,
        filename=filename,
        public=not parts,
    )
