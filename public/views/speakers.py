from itertools import groupby

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from public.days import RESULTS_CACHE_SECONDS
from public.pages import conference_page, page_context, search_query
from public.shared_pages import personal_html, speaker_or_404, speaker_page
from speakers.models import Speaker


@require_safe
@conference_page
def speaker_list(request, conference, prefs):
    context = page_context(request, conference, prefs, "speakers", query=search_query(request))
    context["results_html"] = speaker_results(request, context)
    if request.htmx:
        return HttpResponse(context["results_html"])
    return render(request, "speakers/speaker_list.html", context)


def speaker_results(request, context):
    """The list of speakers, rendered once per schedule version and search (nothing personal)."""
    conference, query = context["conference"], context["query"]

    def render_results():
        speakers = Speaker.objects.filter(conference=conference).matching(query).order_by("name")
        speakers = sorted(speakers, key=lambda speaker: (speaker.initial, speaker.name.casefold()))
        groups = [
            (letter, list(group)) for letter, group in groupby(speakers, key=lambda s: s.initial)
        ]
        shared = {**context, "groups": groups, "count": len(speakers)}
        return render_to_string("speakers/speaker_list.html#results", shared, request=request)

    return conference.cached(
        "speakers", render_results, RESULTS_CACHE_SECONDS, request.path, query, get_language()
    )


@require_safe
@conference_page
def speaker_detail(request, conference, prefs, slug):
    context = page_context(request, conference, prefs, "speakers")
    page = speaker_page(request, context, slug)
    context.update(speaker=page.speaker, article=personal_html(request, context, page.html))
    return render(request, "speakers/speaker_detail.html", context)


@require_safe
@conference_page
def speaker_bio(request, conference, prefs, slug):
    """A bio, whole or cut short: what "Read more" and "Read less" swap in place."""
    speaker = speaker_or_404(conference, slug)
    context = {"conference": conference, "speaker": speaker, "full": request.GET.get("full") == "1"}
    return render(request, "speakers/_bio.html", context)
