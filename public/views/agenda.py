from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from attendees.accounts import sign_out_everywhere
from attendees.agenda import Agenda, with_conflicts_and_gaps
from attendees.changes import SeenChanges, summary
from attendees.forms import ProfileForm
from attendees.models import AgendaFeed, Profile
from attendees.registrations import registration_status
from attendees.seats import with_seats_taken
from public import published
from public.components import agenda_anchor, seat_box_html
from public.offline import PERSON_HEADER, person_key
from public.pages import (
    conference_page,
    get_conference,
    page_context,
    safe_next,
    same_origin_post,
    same_site_path,
    session_or_404,
)
from public.templatetags.clock import with_tz
from public.views.offline import clears_browser_copies
from schedule import versions
from schedule.models import Session

# Seat boxes a page may ask for at once: more than any day shows.
MAX_SEAT_BOXES = 2000


@require_POST
@same_origin_post
@conference_page
def agenda_toggle(request, conference, prefs, slug):
    """Add a session to the agenda or take it out: idempotent; a first-time visitor's shared
    page has no CSRF token, so the browser's word on where the POST comes from is checked."""
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


@never_cache
@require_safe
def personal_parts(request, conference):
    """A visitor's own parts of a shared page, fetched by site.js after it: which sessions are
    in their agenda (by slug), the agenda count, the seat boxes the page shows (?seats=pks,
    with live counts and the visitor's place) and, signed in, the account menu."""
    conference = get_conference(conference)
    agenda = Agenda(request, conference)
    slugs = Session.objects.filter(pk__in=agenda.session_ids).values_list("slug", flat=True)
    next_url = same_site_path(request, request.GET.get("next")) or conference.get_absolute_url()
    seat_boxes = {
        str(session.pk): seat_box_html(
            session=session,
            conference=conference,
            agenda=agenda,
            request=request,
            next_url=next_url,
        )
        for session in seat_sessions(conference, request.GET.get("seats", ""))
    }
    account = None
    if request.user.is_authenticated:
        context = {"request": request, "user": request.user}
        account = render_to_string("base.html#account", context, request=request)
    parts = {"agenda": sorted(slugs), "count": len(agenda), "seat_boxes": seat_boxes}
    response = JsonResponse({**parts, "account": account})
    # Whose parts these are: the service worker keeps them for this person only.
    response[PERSON_HEADER] = person_key(request)
    return response


def seat_sessions(conference, pks):
    wanted = [int(pk) for pk in pks.split(",")[:MAX_SEAT_BOXES] if pk.isdigit()]
    if not wanted:
        return []
    sessions = Session.objects.for_conference(conference).filter(
        pk__in=wanted, seat_limit__isnull=False
    )
    return with_seats_taken(sessions.select_related("conference"))


@require_safe
@conference_page(of_the_agenda=True)
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
    seen = SeenChanges(request, conference)
    if seen.state is None and context["agenda"].session_ids:
        seen.start_watching()  # an agenda saved before changes were kept: from now on
    context.update(agenda_body(conference, prefs, seen, context["agenda"]))
    return render(request, "attendees/agenda.html", context)


def agenda_body(conference, prefs, seen, agenda):
    """The agenda's sessions by day, and what changed of them since the person last looked."""
    return {
        "days": with_conflicts_and_gaps(agenda.sessions(), prefs.clock),
        **since_last_visit(conference, prefs, seen, agenda),
    }


def since_last_visit(conference, prefs, seen, agenda):
    """The agenda's sessions changed since the person last looked, each with its notes in
    the viewer's time and its page unless it left the schedule; the sentence that sums them
    up; and the agenda's marks: what the person has not acknowledged yet."""
    changed = seen.since_last_visit(agenda.session_ids)
    items = [
        {
            "slug": item.slug,
            "title": item.title,
            # The public schedule is the latest version: a session is listed if it has an after.
            "url": session_url(conference, item.slug, prefs) if item.change["after"] else None,
            "notes": versions.change_notes(item.change, prefs.clock),
        }
        for item in changed
    ]
    return {
        "since_last_visit": items,
        "since_summary": summary(changed) if changed else "",
        "latest_changes": {item.pk: item.change for item in changed},
    }


def session_url(conference, slug, prefs):
    url = reverse("schedule:session", kwargs={"conference": conference.slug, "slug": slug})
    return with_tz(url, prefs)


@require_POST
@same_origin_post
@conference_page
def change_seen(request, conference, prefs, slug):
    """“OK, got it” on one changed session of the agenda; nothing to do when it is not listed
    there (already acknowledged, a second click)."""
    seen = SeenChanges(request, conference)
    agenda = Agenda(request, conference)
    for item in seen.since_last_visit(agenda.session_ids):
        if item.slug == slug:
            seen.acknowledge(item.pk)
    return seen_changes_answer(request, conference, prefs, seen, agenda)


@require_POST
@same_origin_post
@conference_page
def changes_seen(request, conference, prefs):
    """“Mark all as seen”: every change until the latest version."""
    seen = SeenChanges(request, conference)
    seen.acknowledge_all()
    return seen_changes_answer(request, conference, prefs, seen, Agenda(request, conference))


def seen_changes_answer(request, conference, prefs, seen, agenda):
    if request.htmx:
        context = page_context(request, conference, prefs, nav="agenda", agenda=agenda)
        context.update(agenda_body(conference, prefs, seen, agenda), answered=True)
        return render(request, "attendees/agenda.html#agenda-body", context)
    agenda_url = reverse("attendees:agenda", kwargs={"conference": conference.slug})
    return redirect(safe_next(request, agenda_url))


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
@clears_browser_copies
def sign_out_everywhere_view(request):
    """End every login of this person, on every device, this one included."""
    sign_out_everywhere(request)
    messages.success(request, _("You are signed out on every device."))
    return redirect("account_login")
