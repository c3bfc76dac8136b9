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


def changelog_document(extension, write, content_type):
    """The view of the changelog as a document for feed readers and apps: write(conference,
    absolute_url) -> bytes, served like every export (ETag, 304, cached per version)."""

    @published.publishing
    def view(request, conference):
        conference = get_conference(conference)
        return published.published_response(
            request,
            conference=conference,
            parts=[f"changes-{extension}", get_language()],
            build=lambda: write(conference, request.build_absolute_uri),
            content_type=content_type,
            filename=f"{conference.slug}-changes.{extension}",
            public=True,
        )

    return view


changes_atom = changelog_document("atom", changelog.atom_document, changelog.ATOM_TYPE)
changes_json = changelog_document("json", changelog.json_document, changelog.JSON_TYPE)
