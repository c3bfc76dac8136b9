from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from public.cards import session_card_png
from public.pages import get_conference
from public.published import published_response, publishing
from schedule import queries
from schedule.models import Session


def session_by_pk_or_404(conference, pk, *, details=False):
    sessions = Session.objects.for_conference(conference).filter(pk=pk)
    session = (queries.with_details(sessions, brief=True) if details else sessions).first()
    if session is None:
        raise Http404(_("There is no session %(pk)s in this conference.") % {"pk": pk})
    return session


@require_safe
def short_link(request, conference, pk):
    """/<conference>/s/<pk>/: the session's page, wherever its slug now says it is. Not
    permanent: a browser must not remember where a renamed session used to be."""
    session = session_by_pk_or_404(get_conference(conference), pk)
    return redirect(session.get_absolute_url())


@publishing
def session_card(request, conference, pk):
    """The session's Open Graph image: drawn once per schedule version, with an ETag."""
    conference = get_conference(conference)

    def build():  # on a cache miss only; an unknown session is a 404, and nothing is kept
        return session_card_png(session_by_pk_or_404(conference, pk, details=True))

    return published_response(
        request,
        conference=conference,
        parts=["session-card", pk, get_language() or ""],
        build=build,
        content_type="image/png",
        filename=f"session-{pk}.png",
        public=True,
    )
