from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from public import preferences
from public.pages import conference_page, page_context, safe_next, same_origin_post


@require_POST
@same_origin_post
@conference_page
def notice_read(request, conference, prefs):
    """The notice's "Got it": one line from now on, on this device; HTMX swaps that line in."""
    notice = request.POST.get("notice")
    if notice not in preferences.NOTICES:
        raise BadRequest(_("There is no such notice."))
    page = safe_next(request, conference.get_absolute_url())
    if request.htmx:
        prefs.read_notices = prefs.read_notices | {notice}
        # The notice's own links lead back to the page it is on, not to this address.
        context = page_context(request, conference, prefs, nav="", page_path=page)
        response = render(request, f"schedule/_{notice}_notice.html#text", context)
    else:
        response = redirect(page)
    preferences.remember_notice_read(request, response, notice)
    return response
