"""The shared page from the cache, before sessions, authentication and CSRF are looked at.

A visitor with nothing personal gets the same page as every other such visitor
(public/pages.py: may_share, mark_shared). This middleware keeps those pages in the cache and
answers the next request for one with a single cache read: get_many of the site's shared-pages
generation and the page's entry, which holds the generation it was rendered under. No SQL, no
session, no CSRF cookie. A schedule change deletes the generation (conference/models.py:
forget_shared_pages), so the next request renders the page afresh; entries also expire after
SHARED_PAGE_SECONDS, which bounds how old the seats left and the line that marks now can be.

Placed after the security and conditional-GET middleware (HTTPS redirects, headers, 304 on a
matching ETag still apply) and before SessionMiddleware.
"""

import secrets

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from conference.models import SHARED_PAGES_GENERATION_KEY
from public.pages import SHARED_PAGE_SECONDS, may_share, shared_page_key

# Long: it only goes away when a schedule changes (or the cache forgets it).
GENERATION_SECONDS = 7 * 24 * 3600


class SharedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not may_share(request, with_session=True):
            return self.get_response(request)
        key = shared_page_key(request)
        found = cache.get_many([SHARED_PAGES_GENERATION_KEY, key])
        generation, entry = found.get(SHARED_PAGES_GENERATION_KEY), found.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            return stored_response(entry)
        if generation is None:
            # Before the view reads a row: a change committed later deletes it again.
            cache.add(SHARED_PAGES_GENERATION_KEY, new_generation(), GENERATION_SECONDS)
            generation = cache.get(SHARED_PAGES_GENERATION_KEY)
        response = self.get_response(request)
        if getattr(response, "shareable", False):
            keep(key, generation, response)
        return response


def new_generation():
    return secrets.token_hex(8)


def keep(key, generation, response):
    """Store a shared page, unless a cookie was set on its way out: then it is one visitor's."""
    if response.cookies:
        del response["Cache-Control"]
        patch_cache_control(response, private=True, no_cache=True)
        return
    if "Last-Modified" not in response:
        response["Last-Modified"] = http_date()
    if generation is not None:
        headers = [(name, value) for name, value in response.items()]
        cache.set(key, (generation, response.content, headers), SHARED_PAGE_SECONDS)


def stored_response(entry):
    _generation, content, headers = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
