import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from conference import timezones

WALL_CLOCK = "%Y-%m-%dT%H:%M"


class WallClockField(forms.CharField):
    """A time on the conference's clock as a datetime-local input sends it (2026-04-07T10:30),
    kept naive until the form knows the timezone: the server's timezone never applies."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": 300})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return dt.datetime.strptime(value[:16], WALL_CLOCK)
        except ValueError as error:
            raise forms.ValidationError(_("Enter a date and time.")) from error


class BoardMoveForm(forms.Form):
    """A move as the board sends it, by drag, by keys or typed: where the session goes, the
    edit version and place the board showed it at, and whether conflicts are confirmed."""

    start = WallClockField(label=_("Starts"))
    end = WallClockField(label=_("Ends"))
    stage = forms.ModelChoiceField(queryset=None, required=False, label=_("Stage"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    shown_start = WallClockField(widget=forms.HiddenInput, required=False)
    shown_end = WallClockField(widget=forms.HiddenInput, required=False)
    shown_stage = forms.IntegerField(widget=forms.HiddenInput, required=False)
    shown_in_tray = forms.BooleanField(widget=forms.HiddenInput, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    to_tray = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        self.fields["stage"].queryset = conference.stages.all()
        self.fields["stage"].empty_label = _("Every stage (a break)")

    def clean(self):
        cleaned_data = super().clean()
        zone = self.conference.zone
        for name in ("start", "end", "shown_start", "shown_end"):
            wall_clock = cleaned_data.get(name)
            if wall_clock is None:
                continue
            if name in ("start", "end") and wall_clock.minute % 5:
                self.add_error(name, _("Use the board's 5-minute steps (10:05, 10:10, …)."))
                continue
            try:
                cleaned_data[name] = timezones.to_utc(wall_clock, zone)
            except timezones.LocalTimeError as error:
                self.add_error(name if name in self.fields else None, str(error))
        return cleaned_data


class PublishForm(forms.Form):
    name = forms.CharField(
        label=_("Name of this version"),
        max_length=200,
        required=False,
        help_text=_("What it changes, in a few words: “Tuesday afternoon swapped”."),
    )

    def __init__(self, *args, has_changes, first, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_changes, self.first = has_changes, first

    def clean(self):
        if not (self.has_changes or self.first):
            raise forms.ValidationError(
                _("Nothing has changed since the latest version: there is nothing to publish.")
            )
        return super().clean()
