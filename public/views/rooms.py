from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from public import preferences
from public.pages import conference_page, page_context
from public.rooms import REFRESH_SECONDS, room_screen, stage_or_404


@require_safe
@conference_page
def room_index(request, conference, prefs):
    """Every stage's screen address, for the AV team that sets the screens up."""
    screens = [
        (
            stage,
            request.build_absolute_uri(
                reverse(
                    "schedule:room", kwargs={"conference": conference.slug, "stage": stage.slug}
                )
            ),
        )
        for stage in conference.stages.all()
    ]
    context = page_context(request, conference, prefs, nav="", screens=screens)
    return render(request, "schedule/rooms.html", context)


@require_safe
@conference_page
def room(request, conference, prefs, stage):
    """The screen by a stage's door; with HTMX, only its board, every REFRESH_SECONDS."""
    stage = stage_or_404(conference, stage)
    if not prefs.tz_in_link:  # only ?tz= changes a screen's clock, not a cookie or a profile
        prefs = preferences.at_the_venue(conference)
    context = page_context(request, conference, prefs, nav="")
    screen = room_screen(request, context, stage, timezone.now())
    if request.htmx:
        return HttpResponse(screen)
    context.update(stage=stage, screen=screen, refresh_seconds=REFRESH_SECONDS)
    return render(request, "schedule/room.html", context)
