"""What every conference page shares: the conference from the URL, the viewer's timezone
and clock, the agenda in the header, and conditional GET.

A visitor with nothing personal (no session cookie: no agenda, no account, no message waiting)
gets a *shared page*: the same bytes for every such visitor asking for the same address with
the same display cookies and phone hint, with no CSRF token in it (see same_origin_post), sent
`Cache-Control: public` so a proxy or a CDN may keep it, and kept by the app itself in the cache
(config/shared_pages.py answers the next such request before sessions, authentication and
CSRF, with one cache read and no SQL).
"""

import hashlib
import re
from contextlib import nullcontext
from functools import partial, wraps
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.crypto import constant_time_compare
from django.utils.http import quote_etag, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from attendees.agenda import Agenda
from attendees.seats import with_seats_taken
from conference import timezones
from conference.models import Conference
from conference.search import MAX_QUERY_LENGTH, clean_query
from public import preferences
from public.forms import PreferencesForm
from public.offline import PERSON_HEADER, VERSION_HEADER, person_key
from schedule import queries, versions
from schedule.models import Session

# Masked CSRF tokens differ on every response though they stand for the same secret.
MASKED_CSRF_TOKEN = re.compile(rb'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')

# The cookies a shared page may be asked with: those that shape it (the page's key holds their
# values) and the CSRF cookie, which it ignores. Any other cookie (messages waiting, say) gets
# the page rendered for its visitor.
PAGE_SHAPING_COOKIES = (
    preferences.TIMEZONE_COOKIE,
    preferences.CLOCK_COOKIE,
    preferences.LAYOUT_COOKIE,
    preferences.NOTICES_COOKIE,
)
# Set by site.js: this browser fetches its own parts (agenda marks, seat boxes, account) after
# a shared page, so it may be given one even with a session.
FETCHES_PERSONAL_PARTS_COOKIE = "personal_parts"
# Short: seats left and the line that marks now move without a new schedule version, and a
# proxy must come back for a changed schedule soon. The long stale-while-revalidate lets a proxy
# answer at once while it refreshes the page in the background (or while the app is down).
SHARED_PAGE_SECONDS = 60
SHARED_PAGE_STALE_SECONDS = 600


def may_share(request, *, with_session=False):
    """Whether a GET could be answered with the shared page: no HTMX, no session cookie
    (unless with_session: a browser that fetches its personal parts itself), no cookie that is
    neither a display preference nor the CSRF cookie."""
    if request.method not in ("GET", "HEAD") or "HX-Request" in request.headers:
        return False
    allowed = {*PAGE_SHAPING_COOKIES, settings.CSRF_COOKIE_NAME, FETCHES_PERSONAL_PARTS_COOKIE}
    if with_session and request.COOKIES.get(FETCHES_PERSONAL_PARTS_COOKIE):
        allowed.add(settings.SESSION_COOKIE_NAME)
    return request.COOKIES.keys() <= allowed


def shared_page_key(request):
    """Everything a shared page is the same for: address, display cookies, phone or not, and
    the release of the code that rendered it."""
    parts = [
        settings.RELEASE,
        request.scheme,
        request.get_host(),
        request.path,
        request.META.get("QUERY_STRING", ""),
        "phone" if preferences.is_phone(request) else "",
        *(request.COOKIES.get(name, "") for name in PAGE_SHAPING_COOKIES),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"shared-page:{digest}"


def shares_page(request):
    """Whether this request's page is rendered as the shared page (no per-visitor value in it)."""
    return getattr(request, "shared_page", False)


def mark_shared(response, conference):
    """Public caching headers and an ETag from the schedule version and the bytes, the same
    for every visitor; the app's own cache keeps it (config/shared_pages.py) unless a cookie
    was set on the way out."""
    digest = hashlib.sha256(response.content).hexdigest()[:20]
    response["ETag"] = quote_etag(f"{conference.schedule_version}-{digest}")
    patch_cache_control(
        response,
        public=True,
        max_age=SHARED_PAGE_SECONDS,
        stale_while_revalidate=SHARED_PAGE_STALE_SECONDS,
    )
    response.shareable = True


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


def conference_page(view=None, *, of_the_agenda=False):
    """Loads the conference and the viewer's timezone, and renders times in that timezone;
    the shared page when the visitor has nothing personal. A page made of the visitor's
    agenda (of_the_agenda, or ?mine=1) is never shared: no fetched personal part fills it."""
    if view is None:
        return partial(conference_page, of_the_agenda=of_the_agenda)

    @wraps(view)
    def wrapper(request, conference, *args, **kwargs):
        # Rendered shared only for a visitor with no session: anything of theirs would be
        # stored for everyone. A browser that fetches its own parts is answered from the
        # shared copy by the middleware when there is one.
        personal = of_the_agenda or "mine" in request.GET or "preview" in request.GET
        request.shared_page = may_share(request) and not personal
        conference = get_conference(conference)
        if "preview" in request.GET and (refusal := refuse_preview(request, conference)):
            return refusal
        try:
            prefs = preferences.display_preferences(request, conference)
        except timezones.UnknownTimezone as error:
            return unknown_timezone(request, conference, error)
        preview = "preview" in request.GET
        drafted = versions.previewing(conference) if preview else nullcontext()
        with drafted, timezone.override(prefs.zone):
            response = view(request, conference, prefs, *args, **kwargs)
        # Partial or full page, and times from cookies: caches must tell them apart.
        patch_vary_headers(response, ["HX-Request", "Cookie"])
        if preview:
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
            return response
        # What the service worker compares its offline copies with (public/offline.py).
        response[VERSION_HEADER] = str(conference.schedule_version)
        if shares_page(request) and response.status_code == 200 and not response.streaming:
            mark_shared(response, conference)
        else:
            # Personal parts: only the visitor's browser may keep the page, revalidating.
            patch_cache_control(response, private=True, no_cache=True)
            response[PERSON_HEADER] = person_key(request)
        return conditional(request, response)

    return wrapper


def refuse_preview(request, conference):
    """?preview=<token> shows the unpublished draft to organisers who may change sessions and
    hold the conference's preview link; anyone else is told why not."""
    user = request.user
    if not (user.is_authenticated and user.is_staff and user.has_perm("schedule.change_session")):
        message = _(
            "The draft preview is for organisers: log in to the admin with an account that "
            "may change sessions, then open this link again."
        )
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
    if not constant_time_compare(request.GET["preview"], conference.preview_token):
        raise Http404(_("This preview link is not the conference's: copy it from the admin."))
    return None


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
    secret = "" if shares_page(request) else request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(secret.encode())
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
    """What every conference page shows: its timezone notice, clock and the visitor's agenda;
    no CSRF token on a shared page (its forms are same_origin_post views)."""
    return {
        "shared_page": shares_page(request),
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


def same_origin_post(view):
    """CSRF protection without a token for a first-time visitor (no session cookie), whose
    shared page carries none: "Add to my agenda", a notice's "Got it", the timezone choice and
    the seat box (which asks them to log in).

    A browser says where a request comes from: Sec-Fetch-Site ("same-origin" when our own page
    sent it), else Origin. A cross-site POST is refused with 403, as Go's CrossOriginProtection
    does. Anyone with a session (an agenda, an account) keeps Django's token check, and so
    does a request that names no origin (an old browser, a script): nothing gets through for
    them that the token would have stopped.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE") or has_session:
            return protected(request, *args, **kwargs)
        from_this_site = sent_from_this_site(request)
        if from_this_site is None:
            return protected(request, *args, **kwargs)
        if not from_this_site:
            return refuse_cross_site(request)
        return view(request, *args, **kwargs)

    return wrapper


def sent_from_this_site(request):
    """True when the browser says our own page sent the request, False when another site did,
    None when it does not say."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        # "none": the person did it themselves (a bookmark, a reload); never another site.
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin == f"{request.scheme}://{request.get_host()}":
        return True
    return origin in settings.CSRF_TRUSTED_ORIGINS


def refuse_cross_site(request):
    message = _("This form was sent from another site, so it was refused.")
    return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
