from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from schedule.views import get_conference
from speakers.models import Speaker


@require_GET
def speaker_list(request, conference):
    conference = get_conference(conference)
    speakers = Speaker.objects.filter(conference=conference)
    return render(
        request, "speakers/speaker_list.html", {"conference": conference, "speakers": speakers}
    )


@require_GET
def speaker_detail(request, conference, slug):
    conference = get_conference(conference)
    speaker = get_object_or_404(Speaker, conference=conference, slug=slug)
    sessions = speaker.sessions.select_related("stage").order_by("start")
    return render(
        request,
        "speakers/speaker_detail.html",
        {"conference": conference, "speaker": speaker, "sessions": sessions},
    )
