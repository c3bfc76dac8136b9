import datetime as dt
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.contrib.admin import widgets
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from schedule import timezones
from schedule.models import Session


class WallClockDateTimeField(forms.SplitDateTimeField):
    """A date and a time as the organiser types them, before any timezone is applied.

    Django's own field would read the typed time in the server's current timezone; the
    form applies the conference's timezone instead, once it knows the conference.
    """

    widget = widgets.AdminSplitDateTime

    def compress(self, data_list):
        if data_list and None not in data_list:
            return dt.datetime.combine(*data_list)
        return None

    def prepare_value(self, value):
        return value


class SessionAdminForm(forms.ModelForm):
    start = WallClockDateTimeField(label=_("start"))
    end = WallClockDateTimeField(label=_("end"))

    class Meta:
        model = Session
        fields = [
            "conference",
            "title",
            "slug",
            "abstract",
            "start",
            "end",
            "stage",
            "track",
            "session_type",
            "status",
            "seat_limit",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conference = self.instance.conference if self.instance.conference_id else None
        help_text = (
            _("Local time in %(zone)s, the conference's timezone.") % {"zone": conference.timezone}
            if conference
            else _("Local time in the conference's own timezone.")
        )
        for name in ("start", "end"):
            self.fields[name].help_text = help_text
            if conference and getattr(self.instance, name):
                self.initial[name] = timezones.to_local(
                    getattr(self.instance, name), conference.zone
                ).replace(tzinfo=None)

    def clean(self):
        cleaned_data = super().clean()
        conference = cleaned_data.get("conference")
        for name in ("start", "end"):
            wall_clock = cleaned_data.get(name)
            if conference is None or wall_clock is None:
                continue
            try:
                cleaned_data[name] = timezones.to_utc(wall_clock, conference.zone)
            except timezones.LocalTimeError as error:
                self.add_error(name, str(error))
        return cleaned_data


class PreferencesForm(forms.Form):
    """The timezone selector: any IANA timezone, grouped by region, and the clock."""

    tz = forms.ChoiceField(label=_("Timezone"))
    clock = forms.ChoiceField(
        label=_("Clock"),
        choices=[("24", _("24-hour (14:30)")), ("12", _("12-hour (2:30 PM)"))],
        widget=forms.RadioSelect,
        required=False,
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, conference, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference = conference
        at = conference.reference_instant()
        conference_zone = conference.zone
        self.fields["tz"].choices = [
            (
                _("Conference"),
                [
                    (
                        conference.timezone,
                        _("Conference timezone: %(name)s (%(offset)s)")
                        % {
                            "name": conference.timezone,
                            "offset": timezones.offset_label(
                                timezones.to_local(at, conference_zone).utcoffset()
                            ),
                        },
                    )
                ],
            ),
            *timezones.timezone_choices(at),
        ]

    def clean_next(self):
        """Only a path on this site: the selector must not become an open redirect."""
        value = self.cleaned_data["next"]
        parts = urlsplit(value)
        if not value.startswith("/") or value.startswith("//") or parts.scheme or parts.netloc:
            return reverse("schedule:schedule", kwargs={"conference": self.conference.slug})
        return value

    def next_url_with_timezone(self):
        parts = urlsplit(self.cleaned_data["next"])
        params = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"tz", "clock"}]
        params.append(("tz", self.cleaned_data["tz"]))
        return urlunsplit(("", "", parts.path, urlencode(params), ""))
