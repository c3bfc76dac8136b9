import datetime as dt
from itertools import groupby

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from conference.models import Conference
from schedule import queries, timezones
from schedule.models import Session


def get_conference(slug):
    return get_object_or_404(Conference, slug=slug)


@require_GET
def conference_home(request, conference):
    return redirect("schedule:schedule", conference=get_conference(conference).slug)


@require_GET
def schedule(request, conference, day=None):
    conference = get_conference(conference)
    tz = conference.zone
    days = queries.local_days_with_sessions(conference, tz)
    if day is None:
        today = timezones.local_date(timezone.now(), tz)
        day = today if today in days else (days[0] if days else conference.start_date)
    else:
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            return HttpResponseBadRequest(_("“%(day)s” is not a date.") % {"day": day})
    sessions = queries.sessions_on_day(conference, day, tz)
    slots = [
        (start, list(group))
        for start, group in groupby(sessions, key=lambda session: session.start)
    ]
    return render(
        request,
        "schedule/day.html",
        {"conference": conference, "tz": tz, "day": day, "days": days, "slots": slots},
    )


@require_GET
def session_detail(request, conference, slug):
    conference = get_conference(conference)
    session = get_object_or_404(
        queries.with_details(Session.objects.for_conference(conference)), slug=slug
    )
    return render(request, "schedule/session.html", {"conference": conference, "session": session})
