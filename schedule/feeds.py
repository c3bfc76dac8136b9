"""HTTP responses for the calendar feeds: content type, file name and conditional GET."""

import hashlib

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag

from schedule import calendar

CONTENT_TYPE = "text/calendar; charset=utf-8"


def calendar_response(request, *, conference, sessions, name, filename, notes=None):
    sessions = list(sessions)
    body = calendar.build_calendar(
        conference=conference,
        sessions=sessions,
        name=name,
        absolute_url=request.build_absolute_uri,
        notes=notes,
    )
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    last_modified = max((s.updated for s in sessions), default=None)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "private, max-age=300"
    return response
