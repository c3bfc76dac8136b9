from django import forms

from attendees.models import Profile
from schedule import timezones


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(required=False)

    class Meta:
        model = Profile
        fields = ["display_name", "timezone", "clock"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].label = Profile._meta.get_field(
            "timezone"
        ).verbose_name.capitalize()
        self.fields["timezone"].help_text = Profile._meta.get_field("timezone").help_text
        self.fields["timezone"].choices = [("", "—")] + [
            (name, name) for name in timezones.timezone_names()
        ]
