"""What every conference page shares: the conference from the URL, the viewer's timezone
and clock, the agenda in the header, and conditional GET."""

import hashlib
import re
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from attendees.agenda import Agenda
from attendees.seats import with_seats_taken
from conference import timezones
from conference.models import Conference
from conference.search import MAX_QUERY_LENGTH, clean_query
from public import preferences
from public.forms import PreferencesForm
from schedule import queries
from schedule.models import Session

# Masked CSRF tokens differ on every response though they stand for the same secret.
MASKED_CSRF_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


def get_conference(slug):
    try:
        return Conference.objects.get(slug=slug)
    except Conference.DoesNotExist:
        raise Http404(_("There is no conference “%(slug)s”.") % {"slug": slug}) from None


def search_query(request):
    """The text of ?q=, cleaned; 400 when it is longer than any search needs."""
    query = request.GET.get("q", "")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadRequest(
            _("The search text is too long: at most %(max)s characters, please.")
            % {"max": MAX_QUERY_LENGTH}
        )
    return clean_query(query)


def session_or_404(conference, slug, *, details=True):
    """A listed session of the conference, with what its page shows (stage, track, type,
    speakers, seats taken) unless details=False; 404 naming the slug otherwise."""
    sessions = Session.objects.for_conference(conference).filter(slug=slug)
    if details:
        sessions = with_seats_taken(queries.with_details(sessions))
    session = sessions.first()
    if session is None:
        raise Http404(_("There is no session “%(slug)s” in this conference.") % {"slug": slug})
    return session


def conference_page(view):
    """Loads the conference and the viewer's timezone, and renders times in that timezone."""

    @wraps(view)
    def wrapper(request, conference, *args, **kwargs):
        conference = get_conference(conference)
        try:
            prefs = preferences.display_preferences(request, conference)
        except timezones.UnknownTimezone as error:
            return unknown_timezone(request, conference, error)
        with timezone.override(prefs.zone):
            response = view(request, conference, prefs, *args, **kwargs)
        # Partial or full page, and times from cookies: caches must tell them apart. Pages
        # carry personal parts, so only the visitor's browser may keep them, revalidating.
        patch_vary_headers(response, ["HX-Request", "Cookie"])
        patch_cache_control(response, private=True, no_cache=True)
        return conditional(request, response)

    return wrapper


def conditional(request, response):
    """ETag from what the page says (tokens aside, the visitor's CSRF secret included), and 304
    when the browser already has it. A view that knows a cheaper fingerprint sets its own."""
    if response.status_code != 200 or response.streaming:
        return response
    if not response.has_header("ETag"):
        content = MASKED_CSRF_TOKEN.sub(rb"\1", response.content)
        response["ETag"] = page_etag(request, content)
    return get_conditional_response(request, etag=response["ETag"], response=response)


def page_etag(request, *parts):
    digest = hashlib.sha256(request.META.get("CSRF_COOKIE", "").encode())
    for part in parts:
        digest.update(part if isinstance(part, bytes) else str(part).encode())
    return quote_etag(digest.hexdigest()[:32])


def unknown_timezone(request, conference, error):
    """400: name the value that is not a timezone and offer the selector, never guess."""
    prefs = preferences.display_preferences(request, conference, use_link=False)
    picker = picker_context(request, conference, prefs, next_url=_path_without_tz(request))
    context = page_context(
        request, conference, prefs, nav="", unknown_timezone=error.name, picker=picker
    )
    return render(request, "schedule/unknown_timezone.html", context, status=400)


def _path_without_tz(request):
    params = request.GET.copy()
    params.pop("tz", None)
    return f"{request.path}?{params.urlencode()}" if params else request.path


def page_context(request, conference, prefs, nav, **extra):
    """What every conference page shows: its timezone notice, clock and the visitor's agenda."""
    return {
        "conference": conference,
        "prefs": prefs,
        "clock": prefs.clock,
        "nav": nav,
        "agenda": extra.pop("agenda") if "agenda" in extra else Agenda(request, conference),
        **extra,
    }


def picker_context(request, conference, prefs, next_url=None):
    next_url = next_url or request.GET.get("next") or request.get_full_path()
    return {
        "form": PreferencesForm(
            conference=conference,
            initial={
                "tz": prefs.zone.key,
                "clock": "24" if prefs.clock.hour24 else "12",
                "next": next_url,
            },
        ),
        "next": next_url,
    }


def same_site_path(request, url):
    """The path and query of a URL on this site, or None: where a form may send someone back."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return None  # "foo" is no page of ours (and redirect() would take it for a view name)
    return urlunsplit(("", "", parts.path, parts.query, ""))


def safe_next(request, fallback):
    """Where a no-JS form goes back to: its `next`, else the page it was sent from, on this site."""
    for target in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.headers.get("Referer"),
    ):
        if path := same_site_path(request, target):
            return path
    return fallback
