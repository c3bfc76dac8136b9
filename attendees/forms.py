from django import forms
from django.utils.translation import gettext_lazy as _

from attendees.models import Profile
from conference import timezones
from conference.models import Conference


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "timezone", "clock", "change_emails"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].label = Profile._meta.get_field(
            "timezone"
        ).verbose_name.capitalize()
        self.fields["timezone"].help_text = Profile._meta.get_field("timezone").help_text
        self.fields["timezone"].choices = [("", "—")] + [
            (name, name) for name in timezones.timezone_names()
        ]


class RegistrationImportForm(forms.Form):
    """Upload (preview) and then confirm: the confirm step posts back the previewed text."""

    conference = forms.ModelChoiceField(queryset=Conference.objects.all(), label=_("Conference"))
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_("Columns: email, name, ticket type, ticket id (header row first)."),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            try:
                cleaned["csv_text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
        if not cleaned.get("csv_text"):
            raise forms.ValidationError(_("Choose a CSV file to import."))
        return cleaned


class SeatLimitForm(forms.Form):
    seat_limit = forms.IntegerField(
        label=_("Seat limit"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave empty for no limit (no reservations needed)."),
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
