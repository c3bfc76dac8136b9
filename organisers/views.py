"""The schedule board: staff who may change sessions move them by drag, keys or a plain form;
every move goes through schedule.moves.move_session."""

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from conference import timezones
from conference.models import Conference
from organisers import undo
from organisers.board import Card, build_board, wall_clock
from organisers.forms import BoardMoveForm, PublishForm
from organisers.publishing import pending_changes
from schedule import versions
from schedule.admin import local_time_label
from schedule.models import ScheduleVersion, Session
from schedule.moves import ConflictsNeedConfirmation, MoveRefused, Position, move_session

PERMISSION = "schedule.change_session"


def organiser_view(view):
    """Staff with the permission to change sessions (the admin's login for anyone else)."""

    @wraps(view)
    def checked(request, conference, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return view(request, get_object_or_404(Conference, slug=conference), **kwargs)

    return admin.site.admin_view(checked)


def chosen_day(conference, value):
    days = list(conference.days)
    try:
        day = dt.date.fromisoformat(value or "")
    except ValueError:
        return days[0]
    return day if day in days else days[0]


def board_url(conference, day, anchor=""):
    url = reverse("organisers:board", kwargs={"conference": conference.slug})
    return f"{url}?day={day.isoformat()}{anchor}"


def page(request, board, **extra):
    context = {
        **admin.site.each_context(request),
        "is_nav_sidebar_enabled": False,  # the board needs the width
        "title": _("Schedule board: %(name)s") % {"name": board.conference.name},
        "conference": board.conference,
        "board": board,
        "days": board.conference.days,
        "last_move": undo.last(request, board.conference),
        "walk_minutes": settings.BOARD_WALK_MINUTES,
        **extra,
    }
    return render(request, "organisers/board.html", context)


@organiser_view
@require_GET
def board(request, conference):
    board = build_board(conference, chosen_day(conference, request.GET.get("day")))
    editing = (
        board.card(int(request.GET["edit"])) if request.GET.get("edit", "").isdigit() else None
    )
    return page(request, board, editing=editing, form=editor_form(conference, editing))


def editor_form(conference, card, data=None):
    if card is None:
        return None
    return BoardMoveForm(
        data,
        conference=conference,
        initial={"start": card.start, "end": card.end, "stage": card.session.stage_id},
    )


@organiser_view
@require_GET
def card(request, conference, pk):
    """One card as the board shows it now: what Cancel puts back."""
    board = build_board(conference, chosen_day(conference, request.GET.get("day")))
    found = board.card(pk)
    if found is None:
        return HttpResponse("")
    return render(
        request,
        "organisers/board.html#card",
        {"card": found, "board": board, "conference": conference},
    )


@organiser_view
@require_POST
def move(request, conference, pk):
    session = get_object_or_404(
        Session.all_objects.select_related("conference", "stage"), pk=pk, conference=conference
    )
    day = chosen_day(conference, request.POST.get("day"))
    form = BoardMoveForm(request.POST, conference=conference)
    if not form.is_valid():
        errors = [str(e) for errors in form.errors.values() for e in errors]
        return refused(request, day, session, " ".join(errors), form=form)
    data = form.cleaned_data
    shown = Position(
        data["shown_start"] or session.start,
        data["shown_end"] or session.end,
        data["shown_stage"],
        data["shown_in_tray"],
    )
    try:
        done = move_session(
            session,
            data["start"],
            data["end"],
            data["stage"],
            expected_edit_version=data["version"],
            confirm_conflicts=data["confirm"],
            shown=shown,
            to_tray=data["to_tray"],
        )
    except ConflictsNeedConfirmation as error:
        return refused(
            request, day, error.session, error.message, form=form, conflicts=error.conflicts
        )
    except MoveRefused as error:
        return refused(request, day, error.session or session, error.message, form=form)
    undo.remember(request, done)
    return moved(request, day, done, described(done.session))


def described(session):
    if session.in_tray:
        return _("“%(title)s” is back in the tray.") % {"title": session.title}
    zone = session.conference.zone
    start, end = wall_clock(session.start, zone), wall_clock(session.end, zone)
    return _("“%(title)s” now runs %(day)s %(start)s–%(end)s on %(stage)s.") % {
        "title": session.title,
        "day": start.strftime("%a %d %b"),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "stage": session.stage or _("every stage"),
    }


def moved(request, day, done, message):
    """The updated card (and every card whose conflicts changed, the conflict panel, the undo
    button and the announcement) for HTMX; the board of the session's new day otherwise."""
    session = done.session
    if not request.htmx:
        messages.success(request, message)
        new_day = timezones.local_date(session.start, session.conference.zone)
        return redirect(board_url(session.conference, new_day, f"#card-{session.pk}"))
    board = build_board(session.conference, day)
    card = None if session.in_tray else board.card(session.pk)
    others = [c for c in board.cards if c.session.pk in done.others_involved]
    return render(
        request,
        "organisers/board.html#moved",
        {
            "board": board,
            "conference": session.conference,
            "card": card,
            "others": others,
            "status": message,
            "last_move": undo.last(request, session.conference),
        },
    )


def refused(request, day, session, message, *, form, conflicts=None):
    """A move not saved: the card where it was asked to go, with the reason and (for
    conflicts) Move anyway; without JavaScript, the board with the editor open."""
    board = build_board(session.conference, day)
    if conflicts is not None:
        zone = session.conference.zone
        shown = board.place(
            Card(
                session,
                wall_clock(session.start, zone),
                wall_clock(session.end, zone),
                conflicts=conflicts,
            )
        )
        base = board.card(session.pk)
        shown.interest = base.interest if base else None
    else:
        shown = board.card(session.pk)
    confirming = conflicts is not None
    if request.htmx:
        context = {"card_notice": message, "confirming": confirming, "status": message}
        return render(
            request,
            "organisers/board.html#refused",
            {"board": board, "conference": session.conference, "card": shown, **context},
        )
    editing = shown or Card(
        session,
        wall_clock(session.start, session.conference.zone),
        wall_clock(session.end, session.conference.zone),
    )
    return page(request, board, editing=editing, form=form, notice=message, confirming=confirming)


@organiser_view
@require_POST
def undo_last(request, conference):
    entry = undo.last(request, conference)
    if entry is None:
        messages.info(request, _("There is no move of yours to undo."))
        return redirect(board_url(conference, chosen_day(conference, request.POST.get("day"))))
    session = get_object_or_404(
        Session.all_objects.select_related("conference"), pk=entry["session"]
    )
    back = undo.position(entry)
    try:
        done = move_session(
            session,
            back.start,
            back.end,
            conference.stages.filter(pk=back.stage_id).first(),
            expected_edit_version=entry["version"],
            confirm_conflicts=True,
            to_tray=back.in_tray,
        )
    except MoveRefused as error:
        undo.forget_last(request, conference)
        messages.error(request, _("Not undone: %(reason)s") % {"reason": error.message})
    else:
        undo.forget_last(request, conference, now_version=done.session.edit_version)
        messages.success(request, _("Undone: %(where)s") % {"where": described(done.session)})
    day = timezones.local_date(back.start, conference.zone)
    return redirect(board_url(conference, day, f"#card-{session.pk}"))


@organiser_view
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request, conference):
    """The draft's changes and whom each reaches, a preview link, and "Publish" as a version."""
    changes = pending_changes(conference)
    latest = versions.latest_version(conference)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        has_changes=bool(changes),
        first=latest is None,
    )
    if form.is_valid():
        version = versions.publish(conference, name=form.cleaned_data["name"], user=request.user)
        messages.success(
            request,
            _("Published %(label)s: the public schedule, feeds and exports show it now.")
            % {"label": version.label},
        )
        return redirect("organisers:publish", conference=conference.slug)
    schedule_url = reverse("schedule:schedule", kwargs={"conference": conference.slug})
    context = {
        **admin.site.each_context(request),
        "title": _("Publish the schedule: %(name)s") % {"name": conference.name},
        "conference": conference,
        "changes": changes,
        "form": form,
        "latest": latest,
        "latest_when": latest and local_time_label(latest.published_at, conference),
        "next_number": (latest.number if latest else 0) + 1,
        # Each with when it was published, on the conference's clock.
        "published": [
            (version, local_time_label(version.published_at, conference))
            for version in ScheduleVersion.objects.for_conference(conference)
            .listed()
            .select_related("conference", "published_by")[:10]
        ],
        "preview_url": f"{schedule_url}?preview={conference.preview_token}",
    }
    return render(request, "organisers/publish.html", context, status=400 if form.errors else 200)
