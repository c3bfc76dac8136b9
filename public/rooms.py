"""The screen by a room's door: the session on now (with the time left), the next two, and a
QR code of the session's short link; the same for everyone in a minute, so rendered once a
minute per stage and cached, like the now-and-next board."""

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from conference.models import Stage
from public.shared_pages import BOARD_CACHE_SECONDS, board_minute, cached_display
from public.sharing import share
from schedule import queries

# Seconds between refreshes: with HTMX, and by <meta http-equiv="refresh"> without JavaScript.
REFRESH_SECONDS = 30
# Pixels a module: about 8 cm across on a 55-inch 1080p screen, read by a phone from 3 m.
QR_SCALE = 8


def stage_or_404(conference, slug):
    try:
        return Stage.objects.get(conference=conference, slug=slug)
    except Stage.DoesNotExist:
        raise Http404(_("This conference has no stage “%(slug)s”.") % {"slug": slug}) from None


def room_screen(request, context, stage, now):
    """The screen's board as of this minute: cached for the minute."""
    conference = context["conference"]
    minute = board_minute(now)

    def render():
        sessions = queries.on_stage_from(stage, minute)
        current = sessions[0] if sessions and sessions[0].start <= minute else None
        following = sessions[1:] if current else sessions[:2]
        featured = current or (following[0] if following else None)
        start, end = conference.span_utc()
        board = {
            **context,
            "stage": stage,
            "now": minute,
            "current": current,
            "following": following[:2],
            "before": minute < start,
            "ended": minute >= end,
            "featured": featured,
            "share": share(request, conference, featured.pk, qr_scale=QR_SCALE)
            if featured
            else None,
            "refresh_seconds": REFRESH_SECONDS,
        }
        return render_to_string("schedule/room.html#screen", board, request=request)

    html = cached_display(
        conference,
        "room-screen",
        context["prefs"],
        render,
        minute.isoformat(),
        stage.pk,
        request.build_absolute_uri("/"),  # the QR code holds an absolute address
        request.GET.urlencode(),  # the screen's own refresh link repeats the query
        seconds=BOARD_CACHE_SECONDS,
    )
    return mark_safe(html)  # noqa: S308 (our own rendering)
