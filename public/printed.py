"""The printed programme: one day, or every day, of the sessions the schedule's filters select
(a track, a stage, one's own agenda), each day on its own pages, and on every page a QR code of
the same view of the live schedule. The session cards are the list's own
(components.list_card), without anything to click."""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from public import published
from schedule import queries
from schedule.models import Session

# Pixels a module: about 2 cm across on paper, for a phone held over the page.
QR_SCALE = 2


@dataclass(frozen=True)
class PrintedDay:
    day: dt.date
    slots: list  # [(start, [Session, ...]), ...] as the day list shows them


def printed_days(*, conference, filters, prefs, day=None):
    """The days to print, in order, each with its sessions by start time and stage."""
    sessions = filters.apply(Session.objects.for_conference(conference))
    if day is not None:
        sessions = sessions.on_local_day(day, prefs.zone)
    sessions = queries.with_details(sessions, brief=True).order_by(
        "start", "stage__position", "end", "title"
    )
    return [
        PrintedDay(
            day=local_day,
            slots=[(start, list(slot)) for start, slot in groupby(on_day, key=lambda s: s.start)],
        )
        for local_day, on_day in groupby(sessions, key=lambda s: prefs.clock.date(s.start))
    ]


@dataclass(frozen=True)
class LiveSchedule:
    url: str
    qr_svg: str


def schedule_path(conference, day=None):
    """The live schedule of the day, or the schedule's own address (today, else day one)."""
    if day is None:
        return reverse("schedule:schedule", kwargs={"conference": conference.slug})
    return reverse("schedule:day", kwargs={"conference": conference.slug, "day": day})


def live_schedule(request, *, conference, filters, prefs, day=None):
    """The same view on the live schedule (the day, the filters, a timezone given in the
    link), which every printed page leads back to."""
    params = filters.params()
    if prefs.tz_in_link:
        params.append(("tz", prefs.zone.key))
    path = schedule_path(conference, day)
    url = request.build_absolute_uri(f"{path}?{urlencode(params)}" if params else path)
    return LiveSchedule(
        url=url,
        qr_svg=published.qr_svg(url, title=_("QR code of the live schedule"), scale=QR_SCALE),
    )


def programme_heading(filters):
    """What the printed programme holds, in a few words: "My agenda", "Compilers · Room A"."""
    parts = filters.describe()
    if filters.mine is not None:
        parts.insert(0, _("My agenda"))
    return " · ".join(parts)
