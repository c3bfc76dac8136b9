"""Session, speaker and now-and-next pages: what they show everyone is rendered once per
schedule version (and timezone, clock, language) and cached, like the day page's results
(public/days.py); each visitor's parts (agenda marks, seat boxes, tokens, the timezone
notice) are filled in per request.
"""

from dataclasses import dataclass

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from public.cards import card_fingerprint
from public.days import RESULTS_CACHE_SECONDS, cached_latest_changes
from public.pages import session_or_404
from public.personal import personalize
from schedule import queries
from schedule.models import Session
from speakers.models import Speaker

# Where the visitor's timezone notice goes: it carries their read notices and page path.
NOTICE_SLOT = "<\x1etime-notice\x1e>"  # a marker as components.OPEN and CLOSE write them
# A board is keyed by its minute: an entry is never read after it, so it need not outlive it.
BOARD_CACHE_SECONDS = 120


def cached_display(conference, kind, prefs, render, *parts, seconds=RESULTS_CACHE_SECONDS):
    """render()'s rendering for everyone who sees it in the same timezone and clock, language,
    and with ?tz= carried on its links or not: kept per schedule version (Conference.cached)."""
    return conference.cached(
        kind,
        render,
        seconds,
        prefs.zone.key,
        "24" if prefs.clock.hour24 else "12",
        prefs.tz_in_link,
        get_language() or "",
        *parts,
    )


def personal_html(request, context, shared_html):
    """A shared rendering with this visitor's marks, seat boxes, tokens and timezone notice."""
    personal = personalize(
        shared_html, request=request, conference=context["conference"], agenda=context["agenda"]
    )
    notice = render_to_string("schedule/_time_notice.html", context, request=request)
    return mark_safe(personal.html.replace(NOTICE_SLOT, notice))  # noqa: S308 (our own renderings)


@dataclass(frozen=True)
class SessionPage:
    pk: int  # for its short link and card
    card_version: str  # what its card shows, hashed: the card's address moves with it only
    title: str
    description: str
    html: str  # the article, with markers where the visitor's parts go


def session_page(request, context, slug):
    """A session's page as everyone sees it, with what runs around it: cached, or 404."""
    conference = context["conference"]

    def render():
        session = session_or_404(conference, slug)
        shared = {
            **context,
            **queries.neighbours(session),
            "session": session,
            "latest_changes": cached_latest_changes(conference),
            "for_cache": True,
            "time_notice": mark_safe(NOTICE_SLOT),  # noqa: S308 (our own marker)
        }
        return SessionPage(
            pk=session.pk,
            card_version=card_fingerprint(session),
            title=session.title,
            description=session.abstract or session.title,
            html=render_to_string("schedule/session.html#article", shared, request=request),
        )

    # "session-page-card": entries hold the session's pk and card version since issue 19.
    return cached_display(conference, "session-page-card", context["prefs"], render, slug)


@dataclass(frozen=True)
class SpeakerPage:
    speaker: object  # the Speaker, for the page's title and link previews
    html: str


def speaker_or_404(conference, slug):
    try:
        return Speaker.objects.get(conference=conference, slug=slug)
    except Speaker.DoesNotExist:
        raise Http404(
            _("There is no speaker “%(slug)s” at this conference.") % {"slug": slug}
        ) from None


def speaker_page(request, context, slug):
    """A speaker's page with their sessions as everyone sees it: cached, or 404."""
    conference = context["conference"]

    def render():
        speaker = speaker_or_404(conference, slug)
        sessions = queries.with_details(
            Session.objects.for_conference(conference).filter(speaker_links__speaker=speaker),
            brief=True,
        ).order_by("start")
        shared = {
            **context,
            "speaker": speaker,
            "sessions": sessions,
            "for_cache": True,
            "time_notice": mark_safe(NOTICE_SLOT),  # noqa: S308 (our own marker)
        }
        html = render_to_string("speakers/speaker_detail.html#article", shared, request=request)
        return SpeakerPage(speaker, html)

    return cached_display(conference, "speaker-page", context["prefs"], render, slug)


def board_minute(now):
    """The minute a board shows: everyone within it sees the same board."""
    return now.replace(second=0, microsecond=0)


def now_board(request, context, now):
    """What runs now and next on each stage, as of this minute: cached for the minute."""
    conference = context["conference"]
    minute = board_minute(now)

    def render():
        start, end = conference.span_utc()
        board = {
            **context,
            "now": minute,
            "before": minute < start,
            "ended": minute >= end,
            "starts_at": start,
            "stages": queries.now_and_next(conference, minute),
        }
        return render_to_string("schedule/now.html#board", board, request=request)

    html = cached_display(
        conference,
        "now-board",
        context["prefs"],
        render,
        minute.isoformat(),
        request.path,
        request.GET.urlencode(),  # the board's own refresh link repeats the query
        seconds=BOARD_CACHE_SECONDS,
    )
    return mark_safe(html)  # noqa: S308 (our own rendering)
