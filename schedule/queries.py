"""Reads for the public pages, with their joins decided here so each page's query count is fixed."""

from django.db.models import Prefetch

from schedule import timezones
from schedule.models import Session, SessionSpeaker


def with_details(sessions):
    """Sessions with stage, track, type and ordered speakers loaded in two queries."""
    return sessions.select_related("conference", "stage", "track", "session_type").prefetch_related(
        Prefetch(
            "speaker_links",
            queryset=SessionSpeaker.objects.select_related("speaker").order_by("position", "id"),
        )
    )


def sessions_on_day(conference, day, tz):
    return with_details(Session.objects.for_conference(conference).on_local_day(day, tz))


def local_days_with_sessions(conference, tz):
    """Every local date in tz on which a session of the conference starts, in order."""
    starts = Session.objects.for_conference(conference).values_list("start", flat=True)
    return sorted({timezones.local_date(start, tz) for start in starts})
