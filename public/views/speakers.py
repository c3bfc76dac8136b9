from itertools import groupby

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from public.days import RESULTS_CACHE_SECONDS
from public.pages import conference_page, page_context, search_query
from schedule import queries
from schedule.models import Session
from speakers.models import Speaker


def speaker_or_404(conference, slug):
    try:
        return Speaker.objects.get(conference=conference, slug=slug)
    except Speaker.DoesNotExist:
        raise Http404(
            _("There is no speaker “%(slug)s” at this conference.") % {"slug": slug}
        ) from None


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
    key = conference.cache_key("speakers", request.path, query, get_language())
    html = cache.get(key)
    if html is None:
        speakers = Speaker.objects.filter(conference=conference).matching(query).order_by("name")
        speakers = sorted(speakers, key=lambda speaker: (speaker.initial, speaker.name.casefold()))
        groups = [
            (letter, list(group)) for letter, group in groupby(speakers, key=lambda s: s.initial)
        ]
        shared = {**context, "groups": groups, "count": len(speakers)}
        html = render_to_string("speakers/speaker_list.html#results", shared, request=request)
        cache.set(key, html, RESULTS_CACHE_SECONDS)
    return html


@require_safe
@conference_page
def speaker_detail(request, conference, prefs, slug):
    speaker = speaker_or_404(conference, slug)
    sessions = queries.with_details(
        Session.objects.for_conference(conference).filter(speaker_links__speaker=speaker)
    ).order_by("start")
    context = page_context(
        request, conference, prefs, "speakers", speaker=speaker, sessions=sessions
    )
    return render(request, "speakers/speaker_detail.html", context)


@require_safe
@conference_page
def speaker_bio(request, conference, prefs, slug):
    """A bio, whole or cut short: what "Read more" and "Read less" swap in place."""
    speaker = speaker_or_404(conference, slug)
    context = {"conference": conference, "speaker": speaker, "full": request.GET.get("full") == "1"}
    return render(request, "speakers/_bio.html", context)
