from django.contrib import admin

from conference.locking import LockedEditForm
from speakers.models import Speaker, SpeakerLink


class SpeakerForm(LockedEditForm):
    class Meta:
        model = Speaker
        fields = "__all__"


class SpeakerLinkInline(admin.TabularInline):
    model = SpeakerLink
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    form = SpeakerForm
    list_display = ["name", "company", "role", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "company", "role", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerLinkInline]
