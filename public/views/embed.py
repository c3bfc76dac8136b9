"""The schedule inside another site's page: the day list or grid alone, in a frame that only
the origins the organiser lists may show (Conference.embed_origins). It sets no cookie and
shows nothing of the visitor; its links open the full site in a new tab."""

from functools import wraps

from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from public import preferences
from public.days import DayView, day_context, day_response
from public.filters import ScheduleFilters
from public.pages import conference_page

EMBED_DAY = DayView("schedule/embed.html", "schedule/embed.html#results", "schedule:embed_day")


def framed_by_listed_origins(view):
    """Lets the origins the conference lists frame the response (304s included, as a browser
    revalidating a framed page keeps the headers it is sent); any other framing stays refused.
    The view names the origins on the request once it has read the conference."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        origins = getattr(request, "embed_origins", None)
        if origins:
            response.xframe_options_exempt = True
            # The rest of the policy is added by config.middleware.SecurityHeadersMiddleware.
            response["Content-Security-Policy"] = "frame-ancestors " + " ".join(origins)
        return response

    return wrapper


@framed_by_listed_origins
@require_safe
@conference_page
def embed(request, conference, prefs, day=None):
    request.embed_origins = conference.embed_origin_list
    # No ?mine=: the frame shows nobody's agenda, marks or seats (context["detached"]).
    filters = ScheduleFilters.from_request(request, conference)
    context = day_context(
        request,
        conference,
        prefs,
        day,
        filters=filters,
        nav="",
        day_view=EMBED_DAY,
        detached=True,
        links_in_new_tab=True,
    )
    response = day_response(request, context)
    patch_vary_headers(response, preferences.LAYOUT_HINTS)
    return response
