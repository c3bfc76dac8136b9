"""HTTP responses for the calendar feeds: conditional GET and a cache per feed version.

Calendar apps poll every few minutes, so the ETag comes from what the feed says (sessions,
revisions, speakers) without writing it, and the written feed is cached under that ETag.
"""

import hashlib

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from schedule import calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 24 * 3600


def feed_version(sessions, *parts):
    """A digest of everything a feed shows; it changes whenever the feed would."""
    digest = hashlib.sha256(calendar.PRODID.encode())
    for part in parts:
        digest.update(f"|{part}".encode())
    for session in sessions:
        digest.update(f"|{session.pk}:{session.revision}:{session.updated.isoformat()}".encode())
        for link in session.speaker_links.all():
            speaker = link.speaker
            digest.update(f"/{speaker.pk}:{speaker.name}:{speaker.role}:{speaker.company}".encode())
    return digest.hexdigest()[:32]


def calendar_response(request, *, conference, sessions, name, filename, notes=None):
    sessions = list(sessions)
    notes = notes or {}
    version = feed_version(sessions, request.get_host(), name, sorted(notes.items()))
    etag = quote_etag(version)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        key = f"feed:{version}"
        body = cache.get(key)
        if body is None:
            body = calendar.build_calendar(
                conference=conference,
                sessions=sessions,
                name=name,
                absolute_url=request.build_absolute_uri,
                notes=notes,
            )
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    last_modified = max((s.updated for s in sessions), default=None)
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    return response
