import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from attendees import overflow, seats
from attendees.forms import RegistrationImportForm, SeatLimitForm
from attendees.models import (
    ChangeEmail,
    Registration,
    Reservation,
    SessionSeats,
    WaitlistEntry,
)
from attendees.registrations import RegistrationImportError, import_registrations
from conference import timezones
from conference.models import Conference
from schedule.admin import local_time_column, local_time_label
from schedule.formats.csv_format import safe_cell


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "ticket_type", "ticket_id", "conference", "updated_local"]
    list_filter = ["conference", "ticket_type"]
    search_fields = ["email", "name", "ticket_id"]
    readonly_fields = ["created_local", "updated_local"]
    list_select_related = ["conference"]
    created_local = local_time_column("created", _("created (conference time)"))
    updated_local = local_time_column("updated", _("updated (conference time)"))
    change_list_template = "attendees/admin/registration_change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="attendees_registration_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload → preview (a dry run listing every change or every bad line) → confirm."""
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            raise PermissionDenied
        form = RegistrationImportForm(request.POST or None, request.FILES or None)
        report = errors = None
        if request.method == "POST" and form.is_valid():
            confirmed = "confirm" in request.POST
            try:
                report = import_registrations(
                    conference=form.cleaned_data["conference"],
                    source=form.cleaned_data["csv_text"],
                    dry_run=not confirmed,
                )
            except RegistrationImportError as error:
                errors = error.report.errors
            else:
                if confirmed:
                    messages.success(request, report.summary)
                    return redirect("admin:attendees_registration_changelist")
                form = RegistrationImportForm(
                    initial={
                        "conference": form.cleaned_data["conference"],
                        "csv_text": form.cleaned_data["csv_text"],
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import registrations"),
            "form": form,
            "report": report,
            "errors": errors,
        }
        return TemplateResponse(request, "attendees/admin/registration_import.html", context)


class ReservationInline(admin.TabularInline):
    """Read-only: seats are given back through the site or the seat limit, so the waitlist moves."""

    model = Reservation
    fields = ["user", "email", "since"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["created", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("email"))
    def email(self, entry):
        return entry.user.email

    @admin.display(description=_("since (conference time)"))
    def since(self, entry):
        return local_time_label(entry.created, entry.session.conference)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "session__conference")


class WaitlistInline(ReservationInline):
    model = WaitlistEntry
    fields = ["position", "user", "email", "since"]
    readonly_fields = fields
    ordering = ["position", "created", "id"]


@admin.register(SessionSeats)
class SessionSeatsAdmin(admin.ModelAdmin):
    """Each limited session's reservations and waitlist, their CSV, and its seat limit."""

    list_display = ["title", "conference", "start_local", "seat_limit", "reserved", "waiting"]
    list_filter = ["conference"]
    search_fields = ["title"]
    fields = ["title", "conference", "start_local", "end_local", "stage", "status", "seat_limit"]
    readonly_fields = fields
    start_local = local_time_column("start", _("start (conference time)"))
    end_local = local_time_column("end", _("end (conference time)"))
    inlines = [ReservationInline, WaitlistInline]
    change_form_template = "attendees/admin/session_seats_change_form.html"

    def get_queryset(self, request):
        has_seats = Exists(Reservation.objects.filter(session=OuterRef("pk")))
        return (
            super()
            .get_queryset(request)
            .select_related("conference")
            .filter(Q(seat_limit__isnull=False) | has_seats)
            .annotate(
                reserved_count=Count("reservations", distinct=True),
                waiting_count=Count("waitlist", distinct=True),
            )
        )

    @admin.display(description=_("reserved"), ordering="reserved_count")
    def reserved(self, session):
        return session.reserved_count

    @admin.display(description=_("waiting"), ordering="waiting_count")
    def waiting(self, session):
        return session.waiting_count

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "<int:pk>/export.csv",
                self.admin_site.admin_view(self.export_view),
                name="attendees_sessionseats_export",
            ),
            path(
                "<int:pk>/seat-limit/",
                self.admin_site.admin_view(self.seat_limit_view),
                name="attendees_sessionseats_seat_limit",
            ),
            path(
                "overflow/<int:conference_pk>/",
                self.admin_site.admin_view(self.overflow_view),
                name="attendees_sessionseats_overflow",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request, pk):
        """The session's reservations, then its waitlist in order, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        session = get_object_or_404(SessionSeats.objects, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{session.slug}-seats.csv"'
        writer = csv.writer(response)
        writer.writerow(["status", "position", "name", "email", "since"])
        for status, entries in (
            ("reserved", session.reservations.select_related("user__profile")),
            ("waitlist", session.waitlist.select_related("user__profile")),
        ):
            for number, entry in enumerate(entries, start=1):
                person = entry.user
                writer.writerow(
                    [
                        status,
                        number,
                        safe_cell(person_name(person)),
                        safe_cell(person.email),
                        timezones.to_local(entry.created, session.conference.zone).isoformat(),
                    ]
                )
        return response

    def seat_limit_view(self, request, pk):
        """Change the limit; lowering below the seats held shows who moves and asks to confirm."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        session = get_object_or_404(SessionSeats.objects, pk=pk)
        form = SeatLimitForm(request.POST or None, initial={"seat_limit": session.seat_limit})
        confirmation = None
        if request.method == "POST" and form.is_valid():
            new_limit = form.cleaned_data["seat_limit"]
            try:
                change = seats.change_seat_limit(
                    session=session,
                    new_limit=new_limit,
                    confirmed=form.cleaned_data["confirmed"],
                )
            except seats.SeatError as error:
                if error.code != "needs_confirmation":
                    form.add_error(None, error.message)
                    return self.seat_limit_page(request, session, form, None)
                confirmation = {
                    "message": error.message,
                    "moving": list(
                        session.reservations.select_related("user").order_by("created", "id")[
                            new_limit:
                        ]
                    ),
                }
                form = SeatLimitForm(initial={"seat_limit": new_limit, "confirmed": True})
            else:
                messages.success(
                    request,
                    gettext(
                        "The seat limit is now %(limit)s: %(promoted)d given a seat from the "
                        "waitlist, %(moved)d moved back to the waitlist."
                    )
                    % {
                        "limit": new_limit if new_limit is not None else gettext("none"),
                        "promoted": len(change.promoted),
                        "moved": len(change.moved_to_waitlist),
                    },
                )
                return redirect(reverse("admin:attendees_sessionseats_change", args=[pk]))
        return self.seat_limit_page(request, session, form, confirmation)

    def overflow_view(self, request, conference_pk):
        """Each session's interest against its room's seats, the fullest rooms first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        conference = get_object_or_404(Conference, pk=conference_pk)
        sort = request.GET.get("sort", "overflow")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Room overflow at %(name)s") % {"name": conference.name},
            "conference": conference,
            "rows": overflow.room_interest(conference, sort),
            "sort": sort if sort in overflow.SORTS else "overflow",
            "sorts": [
                ("overflow", gettext("most over capacity")),
                ("interest", gettext("most interest")),
                ("time", gettext("time")),
            ],
        }
        return TemplateResponse(request, "attendees/admin/room_overflow.html", context)

    def seat_limit_page(self, request, session, form, confirmation):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": session,
            "title": gettext("Seat limit of “%(title)s”") % {"title": session.title},
            "form": form,
            "confirmation": confirmation,
        }
        return TemplateResponse(request, "attendees/admin/seat_limit.html", context)


def person_name(user):
    profile = getattr(user, "profile", None)
    return (profile.display_name if profile else "") or user.get_full_name()


@admin.register(ChangeEmail)
class ChangeEmailAdmin(admin.ModelAdmin):
    """What the schedule-change e-mails did, person by person: read-only, written by the worker;
    a failed one shows the mail server's last answer."""

    list_display = ["user", "email", "version", "status", "attempts", "sent_local"]
    list_filter = ["status", "version__conference"]
    search_fields = ["user__email", "user__username"]
    fields = ["user", "email", "version", "status", "attempts", "sent_local", "last_error"]
    readonly_fields = fields
    list_select_related = ["user", "version__conference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("version__snapshot")

    @admin.display(description=_("email"), ordering="user__email")
    def email(self, change_email):
        return change_email.user.email

    @admin.display(description=_("sent (conference time)"), ordering="sent_at")
    def sent_local(self, change_email):
        if change_email.sent_at is None:
            return "—"
        return local_time_label(change_email.sent_at, change_email.version.conference)
