"""Conflicts a planner wants in view: two sessions on one stage at once, a speaker in two
places at once or without the minutes to walk between stages, a session outside its stage's
opening hours, a session across a daylight-saving change.

Found in memory over sessions loaded once (`Session.objects.for_planning()`), so a day's
conflicts cost the same few queries however many sessions it has.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from conference import timezones


@dataclass(frozen=True)
class Conflict:
    kind: str  # "stage", "speaker", "walk", "hours", "daylight"
    session_ids: tuple  # every session it involves
    message: str


def walking_time():
    return dt.timedelta(minutes=settings.BOARD_WALK_MINUTES)


def find_conflicts(sessions, zone, walk=None):
    """{session id: [Conflict, ...]} among the confirmed sessions, each conflict listed under
    every session it involves."""
    walk = walking_time() if walk is None else walk
    live = [s for s in sessions if not s.is_cancelled]
    conflicts = [
        *stage_clashes(live, zone),
        *speaker_clashes(live, zone, walk),
        *outside_opening_hours(live, zone),
        *across_daylight_change(live, zone),
    ]
    by_session = defaultdict(list)
    for conflict in conflicts:
        for pk in conflict.session_ids:
            by_session[pk].append(conflict)
    return dict(by_session)


def clock(instant, zone):
    return timezones.to_local(instant, zone).strftime("%H:%M")


def span(session, zone):
    return f"{clock(session.start, zone)}–{clock(session.end, zone)}"


def stage_clashes(sessions, zone):
    by_stage = defaultdict(list)
    for session in sessions:
        # Registration or an expo shares its stage with the talks there by design.
        if session.stage_id is not None and not session.is_open_all_day:
            by_stage[session.stage_id].append(session)
    for on_stage in by_stage.values():
        on_stage.sort(key=lambda s: (s.start, s.pk or 0))
        for i, first in enumerate(on_stage):
            for second in on_stage[i + 1 :]:
                if second.start >= first.end:
                    break
                yield Conflict(
                    "stage",
                    (first.pk, second.pk),
                    _(
                        "“%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s) are on %(stage)s at once."
                    )
                    % {
                        "first": first.title,
                        "first_time": span(first, zone),
                        "second": second.title,
                        "second_time": span(second, zone),
                        "stage": first.stage.name,
                    },
                )


def speakers_of(session):
    # speaker_links prefetched with their speakers (for_planning), so no query per session.
    return [link.speaker for link in session.speaker_links.all()]


def speaker_clashes(sessions, zone, walk):
    by_speaker = defaultdict(list)
    for session in sessions:
        for speaker in speakers_of(session):
            by_speaker[speaker.pk].append((speaker, session))
    for entries in by_speaker.values():
        entries.sort(key=lambda entry: entry[1].start)
        for i, (speaker, first) in enumerate(entries):
            for _speaker, second in entries[i + 1 :]:
                if second.start >= first.end + walk:
                    break
                if second.start < first.end:
                    message = _(
                        "%(speaker)s is in two places at once: “%(first)s” (%(first_time)s) and “%(second)s” (%(second_time)s)."
                    )
                elif first.stage_id != second.stage_id:
                    message = _(
                        "%(speaker)s has %(minutes)d min to walk from “%(first)s” to “%(second)s” on another stage; %(walk)d needed."
                    )
                else:
                    continue  # back to back on one stage: no walk
                yield Conflict(
                    "speaker" if second.start < first.end else "walk",
                    (first.pk, second.pk),
                    message
                    % {
                        "speaker": speaker.name,
                        "first": first.title,
                        "first_time": span(first, zone),
                        "second": second.title,
                        "second_time": span(second, zone),
                        "minutes": (second.start - first.end) // dt.timedelta(minutes=1),
                        "walk": walk // dt.timedelta(minutes=1),
                    },
                )


def outside_opening_hours(sessions, zone):
    for session in sessions:
        stage = session.stage
        if stage is None or (stage.opens_at is None and stage.closes_at is None):
            continue
        start = timezones.to_local(session.start, zone)
        end = timezones.to_local(session.end, zone)
        early = stage.opens_at is not None and start.time() < stage.opens_at
        late = stage.closes_at is not None and (
            end.date() > start.date() or end.time() > stage.closes_at
        )
        if early or late:
            yield Conflict(
                "hours",
                (session.pk,),
                _(
                    "“%(title)s” (%(time)s) is outside %(stage)s's opening hours, %(opens)s–%(closes)s."
                )
                % {
                    "title": session.title,
                    "time": span(session, zone),
                    "stage": stage.name,
                    "opens": stage.opens_at.strftime("%H:%M") if stage.opens_at else "…",
                    "closes": stage.closes_at.strftime("%H:%M") if stage.closes_at else "…",
                },
            )


def across_daylight_change(sessions, zone):
    for session in sessions:
        shown = timezones.to_local(session.end, zone).replace(tzinfo=None) - timezones.to_local(
            session.start, zone
        ).replace(tzinfo=None)
        if shown != session.end - session.start:
            yield Conflict(
                "daylight",
                (session.pk,),
                _(
                    "“%(title)s” crosses a daylight-saving change: the clock shows %(shown)d min, it lasts %(lasts)d min."
                )
                % {
                    "title": session.title,
                    "shown": shown // dt.timedelta(minutes=1),
                    "lasts": session.duration // dt.timedelta(minutes=1),
                },
            )
