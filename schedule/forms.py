import datetime as dt

from django import forms
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from conference import timezones
from conference.locking import LockedEditForm
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


class SessionAdminForm(LockedEditForm):
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
            if conference is None:
                # No timezone to read the typed time in: never let a wall-clock time through.
                cleaned_data.pop(name, None)
                continue
            if wall_clock is None:
                continue
            try:
                cleaned_data[name] = timezones.to_utc(wall_clock, conference.zone)
            except timezones.LocalTimeError as error:
                self.add_error(name, str(error))
        return cleaned_data
