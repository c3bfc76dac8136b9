from django.contrib import messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from attendees import seats
from public.pages import (
    conference_page,
    page_context,
    safe_next,
    same_origin_post,
    session_or_404,
)

SEAT_ACTIONS = {
    "reserve": (
        seats.reserve_seat,
        gettext_lazy("Your seat in “%(title)s” is reserved and in your agenda."),
    ),
    "cancel": (
        seats.cancel_reservation,
        gettext_lazy(
            "Your reservation for “%(title)s” is cancelled: the seat is free for someone else."
        ),
    ),
    "join": (
        seats.join_waitlist,
        gettext_lazy(
            "You are on the waitlist for “%(title)s”. We will email you if a seat frees up."
        ),
    ),
    "leave": (seats.leave_waitlist, gettext_lazy("You left the waitlist for “%(title)s”.")),
}


@require_POST
@same_origin_post
@conference_page
def seat_action(request, conference, prefs, slug):
    """Reserve, cancel, join or leave the waitlist: a message and the page back, or the seat box."""
    if request.POST.get("action") not in SEAT_ACTIONS:
        raise BadRequest(_("Choose reserve, cancel, join or leave."))
    action, success = SEAT_ACTIONS[request.POST["action"]]
    session = session_or_404(conference, slug)
    try:
        action(session=session, user=request.user)
    except seats.SeatError as error:
        level, message, code = messages.ERROR, error.message, error.code
    else:
        level, message, code = messages.SUCCESS, success % {"title": session.title}, ""
    next_url = safe_next(request, session.get_absolute_url())
    if not request.htmx:
        messages.add_message(request, level, message)
        return redirect(next_url)
    context = page_context(
        request,
        conference,
        prefs,
        nav="",
        session=session_or_404(conference, slug),  # again: the count changed
        next_url=next_url,
        seat_message=message,
        seat_message_level=messages.DEFAULT_TAGS[level],
        seat_error_code=code,
    )
    return render(request, "attendees/_swaps.html#seat-swapped", context)
