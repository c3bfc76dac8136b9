import datetime as dt

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path, reverse
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conference import timezones
from conference.admin import ConferenceAdmin
from conference.models import Conference
from schedule import admin_import
from schedule.forms import SessionAdminForm
from schedule.models import Session, SessionLink, SessionSpeaker


def local_time_label(instant, conference, format_string="D j M Y, H:i T"):
    """An instant as the conference's clock reads it, with the zone's abbreviation."""
    if instant is None:
        return "—"
    return dateformat.format(timezones.to_local(instant, conference.zone), format_string)


def local_time_column(field_name, description):
    """An admin column or read-only field showing a datetime field in the conference's time."""

    @admin.display(description=description, ordering=field_name)
    def column(model_admin, obj):
        conference = obj if isinstance(obj, Conference) else obj.conference
        return local_time_label(getattr(obj, field_name), conference)

    return column


class LocalDayFilter(admin.SimpleListFilter):
    """Days as the conference's own clock reads them, not as UTC dates."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        conferences = Conference.objects.all()
        conference_id = request.GET.get("conference__id__exact", "")
        if conference_id.isdigit():  # anything else the conference filter itself refuses
            conferences = conferences.filter(pk=conference_id)
        conferences = list(conferences)
        return [
            (
                f"{conference.pk}:{day.isoformat()}",
                f"{conference.name} · {dateformat.format(day, 'D j M')}"
                if len(conferences) > 1
                else dateformat.format(day, "l j F"),
            )
            for conference in conferences
            for day in conference.days
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            conference_id, day = self.value().split(":")
            conference = Conference.objects.get(pk=int(conference_id))
            return queryset.filter(conference=conference).on_local_day(
                dt.date.fromisoformat(day), conference.zone
            )
        except (ValueError, Conference.DoesNotExist) as error:
            raise IncorrectLookupParameters(error) from error


@admin.register(Conference)
class ConferenceWithImportAdmin(ConferenceAdmin):
    """The conference admin with "Import a schedule" (a new conference or an existing one)."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "import/",
                wrap(lambda request: admin_import.import_view(self, request)),
                name="conference_conference_import_new",
            ),
            path(
                "<path:object_id>/import/",
                wrap(self.import_schedule_view),
                name="conference_conference_import",
            ),
            *super().get_urls(),
        ]

    def import_schedule_view(self, request, object_id):
        conference = self.get_object(request, object_id)
        if conference is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return admin_import.import_view(self, request, conference)


class SessionSpeakerFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        # A form that claims more (or fewer than no) existing rows than the database holds
        # would write its rows again as new ones.
        if self.is_bound and not 0 <= self.initial_form_count() <= len(self.get_queryset()):
            raise ValidationError(
                gettext("The speakers of this session changed meanwhile: reload the page.")
            )


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    formset = SessionSpeakerFormSet
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["speaker", "position"]
    ordering = ["position", "id"]


class SessionLinkInline(admin.TabularInline):
    model = SessionLink
    extra = 0
    fields = ["kind", "title", "url", "position"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = SessionAdminForm
    inlines = [SessionSpeakerInline, SessionLinkInline]
    list_display = [
        "title",
        "local_start",
        "stage",
        "track",
        "session_type",
        "status",
        "unpublished",
    ]
    list_filter = [
        "conference",
        LocalDayFilter,
        ("stage", admin.RelatedOnlyFieldListFilter),
        ("track", admin.RelatedOnlyFieldListFilter),
        ("session_type", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    list_select_related = ["conference", "stage", "track", "session_type"]
    search_fields = ["title", "abstract", "slug", "speakers__name", "speakers__company"]
    search_help_text = _("Title, abstract, slug, speaker name or company.")
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["uuid", "revision", "created_local", "updated_local", "seats"]
    ordering = ["start", "stage__position"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "conference",
                    "title",
                    "slug",
                    "abstract",
                    "loaded_version",
                    "loaded_values",
                ]
            },
        ),
        (_("When and where"), {"fields": ["start", "end", "stage", "in_tray"]}),
        (None, {"fields": ["track", "session_type", "status", "seat_limit", "seats"]}),
        (
            _("For calendars and exports"),
            {"fields": ["uuid", "revision", "created_local", "updated_local"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Changing a held limit moves people between seats and the waitlist: that goes
        # through the seats page, which promotes, confirms and tells them.
        if obj is not None and obj.pk:
            return [*self.readonly_fields, "seat_limit"]
        return self.readonly_fields

    def get_queryset(self, request):
        # Organisers edit the schedule as they are planning it: with its unpublished draft.
        return super().get_queryset(request).with_draft()

    @admin.display(description=_("not published yet"))
    def unpublished(self, session):
        """What of the session waits for the next version (conferences that publish versions)."""
        if session.awaiting_publication:
            return gettext("New")
        # Words shorter than the fields' names; the others by their verbose name.
        labels = {
            "start": gettext("time"),
            "end": gettext("time"),
            "stage_id": gettext("stage"),
            "in_tray": gettext("tray"),
            "removed_at": gettext("removal"),
        }
        named = (
            labels.get(name) or str(Session._meta.get_field(name).verbose_name)
            for name in session.draft or {}
        )
        return ", ".join(dict.fromkeys(named)) or "—"

    created_local = local_time_column("created", _("created (conference time)"))
    updated_local = local_time_column("updated", _("updated (conference time)"))

    @admin.display(description=_("seats and waitlist"))
    def seats(self, session):
        if not session.pk:
            return "—"
        if session.seat_limit is None and not session.reservations.exists():
            url = reverse("admin:attendees_sessionseats_seat_limit", args=[session.pk])
            return format_html('<a href="{}">{}</a>', url, gettext("Set a seat limit"))
        url = reverse("admin:attendees_sessionseats_change", args=[session.pk])
        return format_html(
            '<a href="{}">{}</a>', url, gettext("Reservations, waitlist and seat limit")
        )

    @admin.display(description=_("start (conference time)"), ordering="start")
    def local_start(self, session):
        return local_time_label(session.start, session.conference)

    def delete_model(self, request, obj):
        # A conference that publishes versions loses a public session with the next version,
        # like any other change: hidden and cancelled then, its agenda entries kept, so the
        # people who saved it are told. Sessions never published go at once.
        if obj.keeps_drafts:
            obj.remove()
        else:
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        kept_for_the_next_version = [
            session for session in queryset.select_related("conference") if session.keeps_drafts
        ]
        for session in kept_for_the_next_version:
            self.delete_model(request, session)
        super().delete_queryset(
            request, queryset.exclude(pk__in=[s.pk for s in kept_for_the_next_version])
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.warn_about_overlaps(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.keeps_drafts and any(formset.has_changed() for formset in formsets):
            messages.info(
                request,
                gettext(
                    "Speakers and links are public at once; the time, stage, status, title and "
                    "abstract wait for the next version, which also names the speaker change."
                ),
            )

    def warn_about_overlaps(self, request, session):
        """Double-booking a stage is allowed (a shared room, say) but rarely meant."""
        for other in session.overlapping_on_stage().select_related("conference"):
            messages.warning(
                request,
                gettext("“%(session)s” overlaps with “%(other)s” (%(start)s–%(end)s) on %(stage)s.")
                % {
                    "session": session.title,
                    "other": other.title,
                    "start": local_time_label(other.start, other.conference, "D j M H:i"),
                    "end": local_time_label(other.end, other.conference, "H:i T"),
                    "stage": session.stage.name,
                },
            )
