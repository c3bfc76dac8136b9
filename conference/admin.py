from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conference import timezones
from conference.locking import LockedEditForm
from conference.models import Conference, SessionType, Stage, Track


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
            "publish_every_save",
        ]


class StageForm(LockedEditForm):
    class Meta:
        model = Stage
        fields = "__all__"


def part_inline(part_model):
    """An inline of a conference's stages, tracks or types, slugs filled in from names."""
    attributes = {"model": part_model, "extra": 0, "prepopulated_fields": {"slug": ["name"]}}
    if part_model is Stage:
        attributes["form"] = StageForm
    return type(f"{part_model.__name__}Inline", (admin.TabularInline,), attributes)


class ConferenceAdmin(admin.ModelAdmin):
    """Registered by the schedule app, which adds "Import a schedule" to it."""

    form = ConferenceForm
    list_display = ["name", "start_date", "end_date", "city", "timezone"]
    search_fields = ["name", "slug", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [part_inline(Stage), part_inline(Track), part_inline(SessionType)]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description"]}),
        (_("When and where"), {"fields": ["start_date", "end_date", "timezone", "locale"]}),
        (None, {"fields": ["venue", "city", "registration_url"]}),
        (_("Publishing"), {"fields": ["publish_every_save"]}),
    ]


class ConferencePartAdmin(admin.ModelAdmin):
    list_filter = ["conference"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["conference"]


@admin.register(Stage)
class StageAdmin(ConferencePartAdmin):
    form = StageForm
    list_display = ["name", "conference", "capacity", "position"]
    list_editable = ["position"]


@admin.register(Track)
class TrackAdmin(ConferencePartAdmin):
    list_display = ["name", "conference", "colour"]


@admin.register(SessionType)
class SessionTypeAdmin(ConferencePartAdmin):
    list_display = ["name", "conference", "colour", "spans_all_stages"]
