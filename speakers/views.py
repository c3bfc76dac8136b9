import hashlib
from itertools import groupby

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.db.models.lookups import Contains
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from schedule import queries
from schedule.days import RESULTS_CACHE_SECONDS
from schedule.models import Session
from schedule.pages import conference_page, page_context
from schedule.search import MAX_QUERY_LENGTH, Fold, clean_query, normalise_query
from speakers.models import Speaker


def get_speaker(conference, slug):
    try:
        return Speaker.objects.get(conference=conference, slug=slug)
    except Speaker.DoesNotExist:
        raise Http404(
            _("There is no speaker “%(slug)s” at this conference.") % {"slug": slug}
        ) from None


@require_GET
@conference_page
def speaker_list(request, conference, prefs):
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(
            _("The search text is too long: at most %(max)s characters, please.")
            % {"max": MAX_QUERY_LENGTH}
        )
    context = page_context(request, conference, prefs, "speakers", query=clean_query(query))
    context["results_html"] = speaker_results(request, context)
    if request.htmx:
        return HttpResponse(context["results_html"])
    return render(request, "speakers/speaker_list.html", context)


def speaker_results(request, context):
    """The list of speakers, rendered once per schedule version and search (nothing personal)."""
    conference, query = context["conference"], context["query"]
    digest = hashlib.sha256(f"{request.path}|{query}|{get_language()}".encode()).hexdigest()[:32]
    key = f"speakers:{conference.pk}:{conference.schedule_version}:{digest}"
    html = cache.get(key)
    if html is None:
        speakers = Speaker.objects.filter(conference=conference).order_by("name")
        for word in normalise_query(query).split():
            speakers = speakers.filter(
                Q(Contains(Fold("name"), word)) | Q(Contains(Fold("company"), word))
            )
        speakers = sorted(speakers, key=lambda speaker: (speaker.initial, speaker.name.casefold()))
        groups = [
            (letter, list(group)) for letter, group in groupby(speakers, key=lambda s: s.initial)
        ]
        shared = {**context, "groups": groups, "count": len(speakers)}
        html = render_to_string("speakers/speaker_list.html#results", shared, request=request)
        cache.set(key, html, RESULTS_CACHE_SECONDS)
    return html


@require_GET
@conference_page
def speaker_detail(request, conference, prefs, slug):
    speaker = get_speaker(conference, slug)
    sessions = queries.with_details(
        Session.objects.for_conference(conference).filter(speaker_links__speaker=speaker)
    ).order_by("start")
    context = page_context(
        request, conference, prefs, "speakers", speaker=speaker, sessions=sessions
    )
    return render(request, "speakers/speaker_detail.html", context)


@require_GET
@conference_page
def speaker_bio(request, conference, prefs, slug):
    """A bio, whole or cut short: what "Read more" and "Read less" swap in place."""
    speaker = get_speaker(conference, slug)
    context = {"conference": conference, "speaker": speaker, "full": request.GET.get("full") == "1"}
    return render(request, "speakers/_bio.html", context)
