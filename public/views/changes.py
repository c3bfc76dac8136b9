"""The schedule's changelog: a page per twenty versions, an Atom feed and JSON for apps."""

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from public import changelog, published
from public.pages import conference_page, get_conference, page_context
from public.templatetags.clock import with_tz

VERSIONS_PER_PAGE = 20


@require_safe
@conference_page
def changes_page(request, conference, prefs):
    """Each published version, newest first, with what it changed in the viewer's time."""
    paginator = Paginator(changelog.versions_newest_first(conference), VERSIONS_PER_PAGE)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except InvalidPage:
        raise Http404(_("There is no page “%(page)s” of changes.") % {"page": number}) from None
    context = page_context(
        request,
        conference,
        prefs,
        nav="",
        versions_page=page,
        entries=changelog.entries(
            conference, page.object_list, prefs.clock, link=lambda url: with_tz(url, prefs)
        ),
    )
    return render(request, "schedule/changes.html", context)


@published.publishing
def changes_atom(request, conference):
    conference = get_conference(conference)
    return published.published_response(
        request,
        conference=conference,
        parts=["changes-atom", get_language()],
        build=lambda: changelog.atom_document(conference, request.build_absolute_uri),
        content_type=changelog.ATOM_TYPE,
        filename=f"{conference.slug}-changes.atom",
        public=True,
    )


@published.publishing
def changes_json(request, conference):
    conference = get_conference(conference)
    return published.published_response(
        request,
        conference=conference,
        parts=["changes-json", get_language()],
        build=lambda: changelog.json_document(conference, request.build_absolute_uri),
        content_type=changelog.JSON_TYPE,
        filename=f"{conference.slug}-changes.json",
        public=True,
    )
