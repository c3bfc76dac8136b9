from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from conference import timezones


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
        if not value.startswith("/") or not url_has_allowed_host_and_scheme(value, None):
            return reverse("schedule:schedule", kwargs={"conference": self.conference.slug})
        return value

    def next_url_with_timezone(self):
        parts = urlsplit(self.cleaned_data["next"])
        params = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"tz", "clock"}]
        params.append(("tz", self.cleaned_data["tz"]))
        return urlunsplit(("", "", parts.path, urlencode(params), ""))
