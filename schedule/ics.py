"""Every iCalendar feed the site serves is written here (RFC 5545, with icalendar).

Times are written in UTC, which every calendar reads the same way, so no VTIMEZONE is
needed; X-WR-TIMEZONE names the conference's IANA timezone for apps that show it.
"""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Conference Schedule//Schedule 1.0//EN"
REFRESH = dt.timedelta(hours=1)
UID_DOMAIN = "schedule.invalid"


def session_uid(session):
    """The same UID for a session in every feed, for every user, on every request."""
    return f"{session.uuid}@{UID_DOMAIN}"


def build_calendar(*, conference, sessions, name, absolute_url, notes=None):
    """The feed as bytes: CRLF line ends, lines folded at 75 octets, UTF-8.

    absolute_url turns a path into a full URL; notes maps a session's pk to extra lines
    for its DESCRIPTION (a seat reservation, say).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", conference.timezone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    for session in sessions:
        calendar.add_component(
            session_event(session, conference, absolute_url, (notes or {}).get(session.pk, ()))
        )
    return calendar.to_ical()


def session_event(session, conference, absolute_url, notes=()):
    event = Event()
    url = absolute_url(session.get_absolute_url())
    event.add("uid", session_uid(session))
    event.add("dtstamp", session.updated.astimezone(dt.UTC))
    event.add("last-modified", session.updated.astimezone(dt.UTC))
    event.add("sequence", session.revision)
    event.add("dtstart", session.start.astimezone(dt.UTC))
    event.add("dtend", session.end.astimezone(dt.UTC))
    event.add("summary", session.title)
    event.add("location", location(session, conference))
    event.add("description", description(session, url, notes))
    event.add("url", url)
    categories = [part.name for part in (session.track, session.session_type) if part]
    if categories:
        event.add("categories", categories)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if session.is_cancelled else "OPAQUE")
    return event


def location(session, conference):
    parts = [session.stage.name if session.stage else "", conference.venue, conference.city]
    return ", ".join(part for part in parts if part)


def description(session, url, notes=()):
    lines = list(notes)
    speakers = [link.speaker for link in session.speaker_links.all()]
    if speakers:
        lines.append(
            _("Speakers: %(names)s")
            % {
                "names": "; ".join(
                    f"{s.name} ({s.affiliation})" if s.affiliation else s.name for s in speakers
                )
            }
        )
    if session.is_cancelled:
        lines.append(_("This session is cancelled."))
    if session.abstract:
        lines.extend(["", session.abstract])
    lines.extend(["", url])
    return "\n".join(lines).strip("\n")
