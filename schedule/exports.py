"""The public schedule as schedule.xml, schedule.json and schedule.csv, for apps and pipelines,
published like the calendar feeds (schedule/feeds.py): one written document per schedule version."""

from django.views.decorators.http import require_GET

from schedule import feeds, queries
from schedule.formats import c3voc_json, csv_format, frab_xml
from schedule.models import Session
from schedule.pages import get_conference


def export_response(request, conference_slug, module, filename):
    conference = get_conference(conference_slug)

    def build():
        sessions = list(
            queries.with_details(Session.objects.for_conference(conference)).order_by(
                "start", "stage__position", "pk"
            )
        )
        body = module.write(
            conference,
            sessions,
            absolute_url=request.build_absolute_uri,
            version=str(conference.schedule_version),
        )
        return body, max((s.updated for s in sessions), default=None)

    return feeds.published_response(
        request,
        conference=conference,
        parts=[module.__name__],
        build=build,
        content_type=module.CONTENT_TYPE,
        filename=filename,
        public=True,
    )


@require_GET
def schedule_xml(request, conference):
    return export_response(request, conference, frab_xml, "schedule.xml")


@require_GET
def schedule_json(request, conference):
    return export_response(request, conference, c3voc_json, "schedule.json")


@require_GET
def schedule_csv(request, conference):
    return export_response(request, conference, csv_format, "schedule.csv")
