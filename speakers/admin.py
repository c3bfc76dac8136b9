from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conference.locking import LockedEditForm
from speakers import photos
from speakers.models import Speaker, SpeakerLink


class SpeakerLinkInline(admin.TabularInline):
    model = SpeakerLink
    extra = 0


class SpeakerForm(LockedEditForm):
    class Meta:
        model = Speaker
        fields = "__all__"

    def clean_photo(self):
        """Refuse what Pillow reads but pages should not show (TIFF, huge images) here, not later."""
        photo = self.cleaned_data.get("photo")
        if photo and "photo" in self.changed_data:
            photo.seek(0)
            try:
                photos.open_image(photo.read())
            except photos.PhotoError as error:
                raise forms.ValidationError(str(error)) from None
            finally:
                photo.seek(0)
        return photo


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    form = SpeakerForm
    list_display = ["name", "company", "role", "conference"]
    list_filter = ["conference"]
    list_select_related = ["conference"]
    search_fields = ["name", "company", "role", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["photo_preview", "photo_source_url"]
    inlines = [SpeakerLinkInline]

    @admin.display(description=_("as pages show it"))
    def photo_preview(self, speaker):
        if not speaker.photo_key:
            return _("No photo: pages show the initials.")
        return format_html(
            '<img src="{}" alt="" width="96" height="96">', speaker.photo_url(PREVIEW_SIZE)
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data:
            photos.use_uploaded_photo(obj)


PREVIEW_SIZE = 192
