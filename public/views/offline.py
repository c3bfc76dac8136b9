"""The conference as an installable app that works offline: manifest, icons, the service
worker and what it keeps, the schedule version it watches, the page it shows for an address
it did not keep. See public/offline.py and public/static/js/sw.js."""

from functools import cache, wraps

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from conference.models import Conference
from public import offline, preferences
from public.days import cached_local_days
from public.pages import conditional, conference_page, get_conference, may_share, page_context

# What logging out clears in the browser besides our service worker's personal copies (which
# offline.js has it delete): the HTTP cache's copies of the person's pages. Not "storage": it
# would also unregister the service worker and drop the schedule kept for everyone.
CLEAR_ON_LOGOUT = '"cache"'


@require_safe
def manifest(request, conference):
    conference = get_conference(conference)
    response = JsonResponse(offline.manifest(conference), content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=300"
    return conditional(request, response)


@require_safe
def icon(request, conference, size, maskable=False):
    if size not in offline.ICON_SIZES:
        sizes = " and ".join(map(str, offline.ICON_SIZES))
        raise Http404(_("Icons are %(sizes)s pixels wide.") % {"sizes": sizes})
    conference = get_conference(conference)
    png = offline.icon_png(conference, size, maskable=maskable)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = f"public, max-age={offline.ICON_SECONDS}"
    response["ETag"] = quote_etag(f"{conference.schedule_version}-{size}-{int(maskable)}")
    return conditional(request, response)


@require_safe
def version(request, conference):
    """{"version": n}: what the service worker compares its copies with. One query, none when
    the shared-page cache has it (config/shared_pages.py); revalidated by ETag every time."""
    request.shared_page = may_share(request)
    found = Conference.objects.filter(slug=conference).values_list("schedule_version", flat=True)
    if not found:
        get_conference(conference)  # the 404 that names it
    conference_version = found[0]
    response = JsonResponse({"version": conference_version})
    response[offline.VERSION_HEADER] = str(conference_version)
    response["ETag"] = quote_etag(f"v{conference_version}")
    # The same for everyone: config/shared_pages.py keeps it for the next request.
    response.shareable = request.shared_page
    response["Cache-Control"] = "public, no-cache" if request.shared_page else "private, no-cache"
    return conditional(request, response)


@require_safe
@conference_page
def offline_list(request, conference, prefs):
    """The addresses the service worker keeps, in the visitor's timezone and layout, with the
    key of what they depend on; a shared page like the others."""
    layout = preferences.layout_for(request)
    addresses = offline.offline_addresses(conference, cached_local_days(conference, prefs.zone))
    response = JsonResponse(
        {
            "version": conference.schedule_version,
            "key": offline.offline_key(conference, prefs, layout),
            **addresses,
        }
    )
    patch_vary_headers(response, preferences.LAYOUT_HINTS)
    return response


@require_safe
@conference_page
def offline_page(request, conference, prefs):
    """What an address the service worker did not keep shows offline."""
    context = page_context(request, conference, prefs, nav="")
    return render(request, "schedule/offline.html", context)


@require_safe
def service_worker(request, conference):
    """The service worker, from its static file, at an address whose scope is the conference:
    a worker controls only the pages under its own path."""
    conference = get_conference(conference)
    response = HttpResponse(service_worker_source(), content_type="text/javascript")
    # The browser checks for a new worker on navigation; never an old one from a cache.
    patch_cache_control(response, no_cache=True, max_age=0)
    response["Service-Worker-Allowed"] = f"/{conference.slug}/"
    return response


@cache
def service_worker_source():
    with open(finders.find("js/sw.js"), "rb") as file:
        return file.read()


def clears_browser_copies(view):
    """Logging out (or out everywhere) tells the browser to drop its cached copies."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "POST":
            response["Clear-Site-Data"] = CLEAR_ON_LOGOUT
        return response

    return wrapper
