from django import forms
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape, format_html
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
            "embed_origins",
            "publish_every_save",
            "theme_colour",
            "logo",
        ]
        widgets = {"embed_origins": forms.Textarea(attrs={"rows": 3})}


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
        (_("The schedule on your website"), {"fields": ["embed_origins", "embed_snippet"]}),
        (_("Publishing"), {"fields": ["publish_every_save"]}),
        (_("Installed app"), {"fields": ["theme_colour", "logo"]}),
    ]
    readonly_fields = ["embed_snippet"]

    @admin.display(description=_("code to paste into your page"))
    def embed_snippet(self, conference):
        """What an organiser copies into their site: the frame, and the script that sizes it
        to its content (README, "Using it")."""
        if conference is None or not conference.pk:
            return _("Save the conference first.")
        return format_html("<pre><code>{}</code></pre>", embed_snippet(conference))


def embed_snippet(conference):
    # The site's address from configuration, never from a request; in development, unset,
    # the development server's.
    site = settings.SITE_URL or "http://127.0.0.1:8000"
    frame = site + reverse("schedule:embed", kwargs={"conference": conference.slug})
    # The unhashed static name: a stable address for other sites, across releases.
    script = f"{site}{settings.STATIC_URL}js/embed-host.js"
    return (
        f'<iframe src="{frame}" title="{escape(conference.name)}" data-schedule-embed\n'
        f'        width="100%" height="800" loading="lazy"></iframe>\n'
        f'<script src="{script}" defer></script>'
    )


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
