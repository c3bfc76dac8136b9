"""Reads for the public pages, with their joins decided here so each page's query count is fixed."""

import datetime as dt

from django.db.models import Prefetch, Q

from conference import timezones
from schedule.models import Session, SessionSpeaker


def with_details(sessions, *, brief=False, related=True):
    """Sessions with stage, track, type, ordered speakers and links in three queries.

    brief: without abstracts, speaker bios and links, for pages that list many sessions.
    related: False leaves speakers and links to related_details(), for a caller that reads
    more rows than it shows.
    """
    if brief:
        sessions = sessions.defer("abstract")
    sessions = sessions.select_related("conference", "stage", "track", "session_type")
    return sessions.prefetch_related(*related_details(brief=brief)) if related else sessions


def related_details(*, brief=False):
    """The speakers (and, unless brief, links) that with_details() reads, as prefetches."""
    speaker_links = SessionSpeaker.objects.select_related("speaker").order_by("position", "id")
    if brief:
        return [Prefetch("speaker_links", queryset=speaker_links.defer("speaker__bio"))]
    return [Prefetch("speaker_links", queryset=speaker_links), "links"]


def with_stage(sessions):
    """Sessions as a link to them shows them (title, time, stage), in one query."""
    return sessions.select_related("conference", "stage").defer("abstract")


def local_days_with_sessions(conference, tz):
    """Every local date in tz on which a session of the conference starts, in order."""
    # Distinct instants: a few hundred slots, however many sessions share them.
    starts = (
        Session.objects.for_conference(conference)
        .order_by()
        .values_list("start", flat=True)
        .distinct()
    )
    return sorted({timezones.local_date(start, tz) for start in starts})


def neighbours(session):
    """What runs before and after on the same stage, and what runs at the same time elsewhere:
    one query that reads only those candidates, however big the conference."""
    window = dt.timedelta(hours=12)
    siblings = Session.objects.for_conference(session.conference_id).exclude(pk=session.pk)
    same_stage = Q(stage_id=session.stage_id) & (
        Q(end__lte=session.start, end__gt=session.start - window)
        | Q(start__gte=session.end, start__lt=session.end + window)
    )
    elsewhere = Q(start__lt=session.end, end__gt=session.start) & ~Q(stage_id=session.stage_id)
    nearby = list(
        with_stage(
            siblings.filter(same_stage | elsewhere if session.stage_id else elsewhere)
        ).order_by("start", "stage__position")
    )
    on_stage = [s for s in nearby if session.stage_id and s.stage_id == session.stage_id]
    before = [s for s in on_stage if s.end <= session.start]
    after = [s for s in on_stage if s.start >= session.end]
    return {
        "before": before[-1] if before else None,
        "after": after[0] if after else None,
        "parallel": [s for s in nearby if s.stage_id != session.stage_id],
    }


def now_and_next(conference, now):
    """For each stage, the session running at `now` and the one after it (within a day)."""
    upcoming = with_stage(
        Session.objects.for_conference(conference)
        .confirmed()
        .filter(end__gt=now, start__lt=now + dt.timedelta(hours=24))
        .order_by("start")
    )
    by_stage = {}
    for session in upcoming:
        if session.stage is None:
            continue
        current, following = by_stage.setdefault(session.stage, [None, None])
        if session.start <= now and current is None:
            by_stage[session.stage][0] = session
        elif session.start > now and following is None:
            by_stage[session.stage][1] = session
    return sorted(by_stage.items(), key=lambda item: (item[0].position, item[0].name))


def on_stage_from(stage, now, count=3):
    """The session on a stage at `now`, if any, and the ones after it, `count` in all: what a
    screen by its door shows. Breaks drawn across every stage count as the stage's; what is
    open all day (registration, an expo) does not hide the talks."""
    here = Q(stage=stage) | Q(stage__isnull=True, session_type__spans_all_stages=True)
    sessions = with_details(
        Session.objects.for_conference(stage.conference_id)
        .confirmed()
        .filter(here, end__gt=now)
        .order_by("start", "end", "pk"),
        brief=True,
    )
    # Few rows are open all day; reading a few more than shown leaves room for them.
    shown = [session for session in sessions[: count + 3] if not session.is_open_all_day]
    return shown[:count]
