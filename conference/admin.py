from django import forms
from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, SessionType, Stage, Track
from schedule import admin_import, timezones


class ConferenceForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label=_("timezone"),
        choices=lambda: [(name, name) for name in timezones.timezone_names()],
        help_text=_("Times are entered and shown in this timezone."),
    )

    class Meta:
        model = Conference
        fields = [
            "name",
            "slug",
            "description",
            "start_date",
            "end_date",
            "timezone",
            "locale",
            "venue",
            "city",
            "registration_url",
        ]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class SessionTypeInline(admin.TabularInline):
    model = SessionType
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    form = ConferenceForm
    list_display = ["name", "start_date", "end_date", "city", "timezone"]
    search_fields = ["name", "slug", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [StageInline, TrackInline, SessionTypeInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "timezone", "locale"]}),
        (None, {"fields": ["venue", "city", "registration_url"]}),
    ]

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


class ConferencePartAdmin(admin.ModelAdmin):
    list_filter = ["conference"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["conference"]


@admin.register(Stage)
class StageAdmin(ConferencePartAdmin):
    list_display = ["name", "conference", "capacity", "position"]
    list_editable = ["position"]


@admin.register(Track)
class TrackAdmin(ConferencePartAdmin):
    list_display = ["name", "conference", "colour"]


@admin.register(SessionType)
class SessionTypeAdmin(ConferencePartAdmin):
    list_display = ["name", "conference", "colour", "spans_all_stages"]
