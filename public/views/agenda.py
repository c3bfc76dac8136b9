from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attendees.accounts import sign_out_everywhere
from attendees.agenda import Agenda, with_conflicts_and_gaps
from attendees.forms import ProfileForm
from attendees.models import AgendaFeed, Profile
from attendees.registrations import registration_status
from public import published
from public.components import agenda_anchor
from public.pages import (
    conference_page,
    get_conference,
    page_context,
    safe_next,
    session_or_404,
)


@require_POST
@conference_page
def agenda_toggle(request, conference, prefs, slug):
    """Add a session to the agenda or take it out: idempotent, CSRF-protected."""
    session = session_or_404(conference, slug, details=False)
    agenda = Agenda(request, conference)
    if request.POST.get("action") == "remove":
        agenda.remove(session)
    else:
        agenda.add(session)
    if request.htmx:
        context = page_context(request, conference, prefs, nav="", session=session, agenda=agenda)
        return render(request, "attendees/_swaps.html#agenda-toggled", context)
    # Back to the session, not to the top of a long day.
    return redirect(f"{safe_next(request, session.get_absolute_url())}#{agenda_anchor(session)}")


@require_safe
@conference_page
def agenda_page(request, conference, prefs):
    context = page_context(request, conference, prefs, nav="agenda")
    context["registration"] = registration_status(conference=conference, user=request.user)
    if request.user.is_authenticated:
        feed = AgendaFeed.objects.for_person(request.user, conference)
        feed_url = request.build_absolute_uri(
            reverse("attendees:feed", kwargs={"conference": conference.slug, "token": feed.token})
        )
        context.update(
            feed=feed,
            feed_url=feed_url,
            webcal_url="webcal://" + feed_url.split("://", 1)[1],
            feed_qr=published.qr_svg(feed_url, title=_("QR code of your calendar address")),
        )
    context["days"] = with_conflicts_and_gaps(context["agenda"].sessions(), prefs.clock)
    return render(request, "attendees/agenda.html", context)


@require_POST
@login_required
def agenda_feed_reset(request, conference):
    """A new secret address; the old one answers 404 from now on."""
    conference = get_conference(conference)
    AgendaFeed.objects.reset(request.user, conference)
    messages.success(request, _("Your calendar link was reset. Subscribe again with the new one."))
    return redirect("attendees:agenda", conference=conference.slug)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request):
    profile, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        return redirect("profile")
    return render(request, "attendees/profile.html", {"form": form})


@require_POST
@login_required
def sign_out_everywhere_view(request):
    """End every login of this person, on every device, this one included."""
    sign_out_everywhere(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("account_login")
