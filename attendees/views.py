import re

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from attendees import seats
from attendees.agenda import Agenda, with_conflicts_and_gaps
from attendees.forms import ProfileForm
from attendees.models import AgendaFeed, Profile
from attendees.registrations import registration_status
from schedule import feeds, queries
from schedule.models import Session
from schedule.pages import conference_page, get_conference, page_context


def safe_next(request, fallback):
    """Where a no-JS form goes back to: its `next`, else the page it was sent from, on this site."""
    for target in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.headers.get("Referer"),
    ):
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return fallback


@require_POST
@conference_page
def agenda_toggle(request, conference, prefs, slug):
    """Add a session to the agenda or take it out: idempotent, CSRF-protected."""
    session = Session.objects.filter(conference=conference, slug=slug).first()
    if session is None:
        raise Http404(_("There is no session “%(slug)s” in this conference.") % {"slug": slug})
    agenda = Agenda(request, conference)
    if request.POST.get("action") == "remove":
        agenda.remove(session)
    else:
        agenda.add(session)
    if request.htmx:
        context = page_context(request, conference, prefs, nav="", session=session, agenda=agenda)
        return render(request, "attendees/_agenda_button.html#toggled", context)
    return redirect(safe_next(request, session.get_absolute_url()))


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
@conference_page
def seat_action(request, conference, prefs, slug):
    """Reserve, cancel, join or leave the waitlist: a message and the page back, or the seat box."""
    if request.POST.get("action") not in SEAT_ACTIONS:
        raise BadRequest(_("Choose reserve, cancel, join or leave."))
    action, success = SEAT_ACTIONS[request.POST["action"]]
    session = find_session(conference, slug)
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
        session=find_session(conference, slug),  # again: the count changed
        next_url=next_url,
        seat_message=message,
        seat_message_level=messages.DEFAULT_TAGS[level],
        seat_error_code=code,
    )
    return render(request, "attendees/_seat_box.html#swapped", context)


def find_session(conference, slug):
    session = queries.with_details(Session.objects.for_conference(conference)).filter(slug=slug)
    session = session.first()
    if session is None:
        raise Http404(_("There is no session “%(slug)s” in this conference.") % {"slug": slug})
    return session


@require_GET
@conference_page
def agenda_page(request, conference, prefs):
    context = page_context(request, conference, prefs, nav="agenda")
    context["registration"] = registration_status(conference=conference, user=request.user)
    if request.user.is_authenticated:
        feed = AgendaFeed.objects.filter(user=request.user, conference=conference).first()
        feed = feed or AgendaFeed.objects.create(user=request.user, conference=conference)
        feed_url = request.build_absolute_uri(
            reverse("attendees:feed", kwargs={"conference": conference.slug, "token": feed.token})
        )
        context.update(
            feed=feed,
            feed_url=feed_url,
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
            feed_qr=qr_svg(feed_url),
        )
    context["days"] = with_conflicts_and_gaps(context["agenda"].sessions(), prefs.clock)
    return render(request, "attendees/agenda.html", context)


def qr_svg(url):
    """The subscription address as an inline SVG QR code, for a phone's camera."""
    code = segno.make(url, error="m")
    return code.svg_inline(scale=4, title=_("QR code of your calendar address"), dark="#111827")


@require_POST
@login_required
def agenda_feed_reset(request, conference):
    """A new secret address; the old one answers 404 from now on."""
    conference = get_conference(conference)
    AgendaFeed.objects.filter(user=request.user, conference=conference).delete()
    AgendaFeed.objects.create(user=request.user, conference=conference)
    messages.success(request, _("Your calendar link was reset. Subscribe again with the new one."))
    return redirect("attendees:agenda", conference=conference.slug)


FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


@require_GET
def agenda_feed(request, conference, token):
    """A person's agenda for calendar apps. The token is the only key; it reveals only sessions."""
    # Tokens are URL-safe base64; anything else (a NUL byte PostgreSQL refuses) is no feed.
    feed = FEED_TOKEN.fullmatch(token) and (
        AgendaFeed.objects.select_related("conference", "user")
        .filter(conference__slug=conference, token=token)
        .first()
    )
    if feed is None:
        raise Http404(_("This calendar link is not valid (it may have been reset)."))
    agenda = Agenda.for_user(feed.user, feed.conference)
    reserved = {pk for pk, kind in agenda.seats.items() if kind == "reserved"}
    # A reserved seat stays in the calendar even if its session left the agenda.
    listed = agenda.session_ids | reserved
    return feeds.calendar_response(
        request,
        conference=feed.conference,
        sessions=queries.with_details(
            Session.objects.for_conference(feed.conference).filter(pk__in=listed)
        ),
        name=_("My agenda · %(name)s") % {"name": feed.conference.name},
        filename=f"{feed.conference.slug}-agenda.ics",
        # Which sessions: the agenda's own version, beside the schedule's.
        parts=[feed.pk, sorted(listed)],
        notes={pk: [_("You have a reserved seat.")] for pk in reserved},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "attendees/profile.html", {"form": form})
