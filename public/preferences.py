"""How a visitor wants the schedule shown: timezone, clock and layout.

The timezone comes from ?tz= (so a shared link shows everyone the same times), then the
signed-in user's profile, then a cookie, then the conference's own timezone.
"""

from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from attendees.models import Profile
from conference import timezones

TIMEZONE_COOKIE = "tz"
CLOCK_COOKIE = "clock"
LAYOUT_COOKIE = "layout"
COOKIE_AGE = 365 * 24 * 3600
LAYOUTS = ("grid", "list")
CLOCKS = {"24": True, "12": False}
# Notices a visitor has read show as one line: "time:registration" in the cookie.
NOTICES_COOKIE = "notices_read"
NOTICES = ("time", "registration")


class Source:
    LINK = "link"
    PROFILE = "profile"
    COOKIE = "cookie"
    CONFERENCE = "conference"


@dataclass
class Preferences:
    conference: object
    clock: timezones.LocalClock
    source: str
    read_notices: frozenset = frozenset()

    @property
    def zone(self):
        return self.clock.zone

    @property
    def is_conference_zone(self):
        return self.zone.key == self.conference.timezone

    @property
    def tz_in_link(self):
        return self.source == Source.LINK

    @cached_property
    def _reference(self):
        return self.conference.reference_instant()

    @property
    def zone_name(self):
        """'Central European Summer Time': the zone's name during the conference."""
        return timezones.long_name(self._reference, self.zone)

    @property
    def zone_abbreviation(self):
        return timezones.abbreviation(self._reference, self.zone)

    @property
    def zone_offset(self):
        return timezones.offset_label(timezones.to_local(self._reference, self.zone).utcoffset())

    @property
    def zone_details(self):
        """'CEST, UTC+2'; 'UTC+5:45, Asia/Kathmandu'; each part once, the IANA name when not ours."""
        parts = [self.zone_abbreviation, self.zone_offset]
        if not self.is_conference_zone:
            parts.append(self.zone.key)
        return ", ".join(dict.fromkeys(part for part in parts if part not in self.zone_name))


def _profile_value(request, attribute):
    user = getattr(request, "user", None)
    profile = getattr(user, "profile", None) if user and user.is_authenticated else None
    return getattr(profile, attribute, "") if profile else ""


def _known_zone(name):
    try:
        return timezones.get_zone(name)
    except timezones.UnknownTimezone:
        return None


def display_preferences(request, conference, use_link=True):
    """The viewer's timezone and clock; UnknownTimezone when ?tz= names no timezone."""
    if use_link and "tz" in request.GET:
        zone, source = timezones.get_zone(request.GET["tz"]), Source.LINK
    elif zone := _known_zone(_profile_value(request, "timezone")):
        source = Source.PROFILE
    elif zone := _known_zone(request.COOKIES.get(TIMEZONE_COOKIE, "")):
        source = Source.COOKIE
    else:
        zone, source = conference.zone, Source.CONFERENCE

    for value in (
        request.GET.get("clock"),
        _profile_value(request, "clock"),
        request.COOKIES.get(CLOCK_COOKIE),
    ):
        if value in CLOCKS:
            hour24 = CLOCKS[value]
            break
    else:
        hour24 = conference.uses_24_hour_clock
    return Preferences(
        conference, timezones.LocalClock(zone, hour24), source, read_notices(request)
    )


def at_the_venue(conference):
    """The conference's own timezone and clock: for a screen at the venue, whatever the
    browser that set it up chose before."""
    return Preferences(
        conference,
        conference.clock,
        Source.CONFERENCE,
    )


def remember_choice(request, response, *, timezone, clock):
    """Keep a chosen timezone and clock in cookies and, signed in, on the profile, so the
    choice follows the person to their other devices."""
    remember(response, TIMEZONE_COOKIE, timezone)
    if clock:
        remember(response, CLOCK_COOKIE, clock)
    if request.user.is_authenticated:
        changes = {"timezone": timezone, **({"clock": clock} if clock else {})}
        Profile.objects.update_or_create(user=request.user, defaults=changes)


def layout_for(request):
    """The layout asked for in ?layout=, else the remembered one, else the list on a phone
    and the grid elsewhere. A response that used this says Vary: LAYOUT_HINTS."""
    requested = request.GET.get("layout")
    if requested in LAYOUTS:
        return requested
    remembered = request.COOKIES.get(LAYOUT_COOKIE)
    if remembered in LAYOUTS:
        return remembered
    return "list" if is_phone(request) else "grid"


# What a request says of its screen without JavaScript: Chromium sends Sec-CH-UA-Mobile by
# default; other browsers say "Mobi" in the user agent on a phone.
LAYOUT_HINTS = ("Sec-CH-UA-Mobile", "User-Agent")


def is_phone(request):
    hint = request.headers.get("Sec-CH-UA-Mobile")
    if hint is not None:
        return hint.strip() == "?1"
    return "Mobi" in request.headers.get("User-Agent", "")


def read_notices(request):
    return frozenset(request.COOKIES.get(NOTICES_COOKIE, "").split(":")) & frozenset(NOTICES)


def remember_notice_read(request, response, notice):
    """Fold the notice for good on this device."""
    remember(response, NOTICES_COOKIE, ":".join(sorted(read_notices(request) | {notice})))


def remember(response, name, value):
    response.set_cookie(name, value, max_age=COOKIE_AGE, samesite="Lax", httponly=True)


LAYOUT_LABELS = {"grid": _("Grid"), "list": _("List")}
