"""Every iCalendar feed the site serves is written here (RFC 5545, with icalendar).

Times are written in UTC, which every calendar reads the same way, so no VTIMEZONE is
needed; X-WR-TIMEZONE names the conference's IANA timezone for apps that show it.

CATEGORIES (track, then type) is for calendar apps; X-CONFSCHEDULE-TRACK and -TYPE say which is
which, so that reading our own feed back never mistakes a type for a track. Each link of a
session is an ATTACH with its address, its title in LABEL and its kind in X-CONFSCHEDULE-KIND;
each speaker an X-CONFSCHEDULE-SPEAKER with their guid, and LOCATION the stage's guid in an
X-CONFSCHEDULE-ID parameter.
"""

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from schedule import versions
from schedule.formats import base

PRODID = "-//Conference Schedule//Schedule 1.0//EN"
REFRESH = dt.timedelta(hours=1)
UID_DOMAIN = "schedule.invalid"
TRACK_PROPERTY = "X-CONFSCHEDULE-TRACK"
TYPE_PROPERTY = "X-CONFSCHEDULE-TYPE"
# RFC 7986's LABEL is the registered parameter for a human-readable name, which calendar apps
# that do not know it skip (RFC 5545 3.2); a link's kind has no registered parameter, so ours.
LINK_TITLE_PARAMETER = "LABEL"
LINK_KIND_PARAMETER = "X-CONFSCHEDULE-KIND"
# Each speaker with their guid, so that reading the feed back keeps two people of one name apart
# (DESCRIPTION names them for people; ATTENDEE would invite them); the stage's guid likewise
# keeps apart stages whose names differ in accents alone ("Salle E", "Salle É").
SPEAKER_PROPERTY = "X-CONFSCHEDULE-SPEAKER"
ID_PARAMETER = "X-CONFSCHEDULE-ID"
# A cancelled session's SUMMARY says so ("Cancelled: …") where every calendar shows it; its own
# title stays here, and what the latest schedule version changed of it (the first paragraph of
# DESCRIPTION) in CHANGE, so that reading the feed back takes neither for the session's words.
TITLE_PROPERTY = "X-CONFSCHEDULE-TITLE"
CHANGE_PROPERTY = "X-CONFSCHEDULE-CHANGE"


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
    # An unknown X- property would be written as text ("1:00:00"); Outlook reads a duration.
    calendar.add("x-published-ttl", vDuration(REFRESH))
    changes, label = versions.latest_changes_and_label(conference)
    clock = conference.clock
    for session in sessions:
        change = changes.get(session.pk)
        event = session_event(session, conference, absolute_url, (notes or {}).get(session.pk, ()))
        if change:
            told = _("Changed in %(version)s: %(notes)s") % {
                "version": label,
                "notes": "; ".join(versions.change_notes(change, clock)),
            }
            event.add(CHANGE_PROPERTY, told)
            event["description"] = f"{told}\n\n{event['description']}"
        calendar.add_component(event)
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
    if session.is_cancelled:
        event.add("summary", _("Cancelled: %(title)s") % {"title": session.title})
        event.add(TITLE_PROPERTY, session.title)
    else:
        event.add("summary", session.title)
    if session.stage:
        stage_id = str(base.stage_guid(conference, session.stage))
        event.add("location", location(session, conference), parameters={ID_PARAMETER: stage_id})
    else:
        event.add("location", location(session, conference))
    event.add("description", description(session, url, notes))
    event.add("url", url)
    categories = [part.name for part in (session.track, session.session_type) if part]
    if categories:
        event.add("categories", categories)
    if session.track:
        event.add(TRACK_PROPERTY, session.track.name)
    if session.session_type:
        event.add(TYPE_PROPERTY, session.session_type.name)
    for link in session.speaker_links.all():
        guid = str(base.person_guid(conference, link.speaker))
        event.add(SPEAKER_PROPERTY, link.speaker.name, parameters={ID_PARAMETER: guid})
    for link in session.links.all():
        parameters = {LINK_KIND_PARAMETER: link.kind}
        if link.title:
            parameters[LINK_TITLE_PARAMETER] = link.title
        event.add("attach", link.url, parameters=parameters)
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
    if session.abstract:
        lines.extend(["", session.abstract])
    lines.extend(["", url])
    return "\n".join(lines).strip("\n")
