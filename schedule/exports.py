"""The public schedule as schedule.xml, schedule.json and schedule.csv, for apps and pipelines.

Like the calendar feeds (schedule/feeds.py): the ETag is a digest of what the export says, so
any change to a session or its speakers makes a new one; the written body is cached under it.
"""

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from schedule import feeds, queries
from schedule.formats import c3voc_json, csv_format, frab_xml
from schedule.models import Session
from schedule.views import get_conference

CACHE_SECONDS = 24 * 3600


def export_response(request, conference_slug, module, filename):
    conference = get_conference(conference_slug)
    sessions = list(
        queries.with_details(Session.objects.for_conference(conference)).order_by(
            "start", "stage__position", "pk"
        )
    )
    version = feeds.feed_version(
        sessions,
        module.__name__,
        request.get_host(),
        conference.name,
        conference.slug,
        conference.timezone,
        conference.start_date,
        conference.end_date,
        # Renaming a stage, track or type changes the export without touching any session.
        sorted(
            {
                (part.pk, part.name, getattr(part, "colour", ""), getattr(part, "slug", ""))
                for session in sessions
                for part in (session.stage, session.track, session.session_type)
                if part is not None
            }
        ),
    )
    etag = quote_etag(version)
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        key = f"export:{version}"
        body = cache.get(key)
        if body is None:
            body = module.write(
                conference,
                sessions,
                absolute_url=request.build_absolute_uri,
                version=version[:12],
            )
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=module.CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = etag
    last_modified = max((s.updated for s in sessions), default=None)
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def schedule_xml(request, conference):
    return export_response(request, conference, frab_xml, "schedule.xml")


@require_GET
def schedule_json(request, conference):
    return export_response(request, conference, c3voc_json, "schedule.json")


@require_GET
def schedule_csv(request, conference):
    return export_response(request, conference, csv_format, "schedule.csv")
