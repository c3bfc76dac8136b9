from django.contrib import admin

from speakers.models import Speaker, SpeakerLink


class SpeakerLinkInline(admin.TabularInline):
    model = SpeakerLink
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "role", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "company", "role", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SpeakerLinkInline]
