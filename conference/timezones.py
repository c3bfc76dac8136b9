"""The one place where instants become local times and local times become instants.

Everything is stored in UTC. Views, templates, forms, feeds and imports call these
functions instead of doing date arithmetic of their own, so that a day, a time range or
an organiser's typed time means the same thing everywhere, across DST changes too.
"""

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils.translation import gettext as _

UTC = dt.UTC


class UnknownTimezone(ValueError):
    def __init__(self, name):
        self.name = name
        super().__init__(_("“%(name)s” is not a timezone we know.") % {"name": name})


class LocalTimeError(ValueError):
    """A wall-clock time that does not name exactly one instant in a timezone."""


class NonexistentLocalTime(LocalTimeError):
    pass


class AmbiguousLocalTime(LocalTimeError):
    pass


@lru_cache(maxsize=1)
def timezone_names():
    """Every IANA name that zoneinfo knows (through tzdata), sorted."""
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


@lru_cache(maxsize=1024)
def get_zone(name):
    """The ZoneInfo for an IANA name; UnknownTimezone for anything else."""
    if not isinstance(name, str) or name not in _known_names():
        raise UnknownTimezone(name)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimezone(name) from error


@lru_cache(maxsize=1)
def _known_names():
    return frozenset(available_timezones())


def to_local(instant, tz):
    """The aware datetime in tz for an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("to_local() needs an aware datetime")
    return instant.astimezone(tz)


def local_date(instant, tz):
    return to_local(instant, tz).date()


def _round_trips(naive, tz, fold):
    aware = naive.replace(tzinfo=tz, fold=fold)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == naive


def to_utc(naive, tz):
    """The UTC instant that a wall-clock time in tz names.

    Raises NonexistentLocalTime for a time skipped by a DST change (02:30 on the spring-forward
    night) and AmbiguousLocalTime for one that happens twice (01:30 on the fall-back night),
    rather than silently picking an instant an hour away from what was meant.
    """
    if naive.tzinfo is not None:
        raise ValueError("to_utc() needs a naive wall-clock datetime")
    if not _round_trips(naive, tz, fold=0):
        raise NonexistentLocalTime(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip it for daylight saving "
                "time. Enter a time before or after the change."
            )
            % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": tz.key}
        )
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        raise AmbiguousLocalTime(
            _(
                "%(time)s happens twice in %(zone)s, when the clocks go back for the end of "
                "daylight saving time. Enter a time before or after the change."
            )
            % {"time": naive.strftime("%Y-%m-%d %H:%M"), "zone": tz.key}
        )
    return first.astimezone(UTC)


def day_start(day, tz):
    """The first UTC instant of a local date in tz (not always 00:00 local)."""
    midnight = dt.datetime.combine(day, dt.time())
    if _round_trips(midnight, tz, fold=0):
        # An ambiguous midnight starts at its earlier occurrence, which fold=0 names.
        return midnight.replace(tzinfo=tz, fold=0).astimezone(UTC)
    # Midnight falls in a DST gap: the day starts at the transition, which lies between
    # the two readings of midnight. Search it to the second.
    low = midnight.replace(tzinfo=tz, fold=1).astimezone(UTC)
    high = midnight.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    while high - low > dt.timedelta(seconds=1):
        middle = low + (high - low) / 2
        if local_date(middle, tz) >= day:
            high = middle
        else:
            low = middle
    return (
        high.replace(microsecond=0) if local_date(high.replace(microsecond=0), tz) >= day else high
    )


def day_bounds(day, tz):
    """[start, end) in UTC of a local date in tz: 23, 24 or 25 hours long around DST."""
    return day_start(day, tz), day_start(day + dt.timedelta(days=1), tz)


def date_range(first, last):
    """Every date from first to last, both included."""
    return [first + dt.timedelta(days=offset) for offset in range((last - first).days + 1)]


def offset_label(offset):
    """'UTC+2', 'UTC+5:30', 'UTC−11', 'UTC' for a timedelta."""
    minutes = round(offset.total_seconds() / 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def abbreviation(instant, tz):
    """'CEST', 'IST', 'EDT'; the UTC offset where the zone has no letters ('UTC+5:45')."""
    local = to_local(instant, tz)
    name = local.tzname() or ""
    return name if name.isalpha() else offset_label(local.utcoffset())


def long_name(instant, tz, locale="en"):
    """'Central European Summer Time'; the IANA name where CLDR has no name for the zone."""
    from babel.dates import get_timezone_name

    local = to_local(instant, tz)
    name = get_timezone_name(local, width="long", locale=locale)
    if name.startswith(("GMT", "UTC+", "UTC-")):
        name = _name_under_older_id(local, tz.key, locale) or tz.key
    return name


def _name_under_older_id(local, key, locale):
    """CLDR's name for a renamed zone, which Babel files under the old id only (Asia/Calcutta)."""
    from babel import Locale
    from babel.core import get_global
    from babel.dates import NO_INHERITANCE_MARKER

    metazones = get_global("meta_zones")
    older = [old for old, new in get_global("zone_aliases").items() if new == key]
    metazone = next((metazones[old] for old in older if old in metazones), None)
    names = Locale.parse(locale).meta_zones.get(metazone, {}).get("long", {})
    name = names.get("daylight" if local.dst() else "standard")
    return None if name == NO_INHERITANCE_MARKER else name


def region_of(name):
    return name.split("/", 1)[0] if "/" in name else _("Other")


def timezone_choices(at):
    """Every zone as (region, [(name, label)]), each label with its offset at an instant."""
    groups = {}
    for name in timezone_names():
        zone = get_zone(name)
        city = name.split("/", 1)[-1].replace("_", " ").replace("/", " / ")
        label = f"{city} ({offset_label(to_local(at, zone).utcoffset())})"
        groups.setdefault(region_of(name), []).append((name, label))
    return list(groups.items())


class LocalClock:
    """Instants as a viewer in one timezone reads them, in a 24- or 12-hour clock."""

    def __init__(self, tz, hour24=True):
        self.zone = tz
        self.hour24 = hour24

    def __repr__(self):
        return f"LocalClock({self.zone.key!r}, hour24={self.hour24})"

    def local(self, instant):
        return to_local(instant, self.zone)

    def date(self, instant):
        return local_date(instant, self.zone)

    def day_bounds(self, day):
        return day_bounds(day, self.zone)

    def time(self, instant):
        local = self.local(instant)
        if self.hour24:
            return local.strftime("%H:%M")
        suffix = _("AM") if local.hour < 12 else _("PM")
        return f"{(local.hour % 12) or 12}:{local.minute:02d}\N{NO-BREAK SPACE}{suffix}"

    def days_later(self, start, end):
        """How many local dates after start's the (exclusive) end falls; 0 for most sessions."""
        last_moment = end - dt.timedelta(microseconds=1) if end > start else end
        return (self.date(last_moment) - self.date(start)).days

    def range(self, start, end):
        """'09:50–10:05', or '23:30–00:30 (+1 day)' when it ends on a later local date."""
        text = f"{self.time(start)}–{self.time(end)}"
        later = self.days_later(start, end)
        if later:
            text += " " + (_("(+1 day)") if later == 1 else _("(+%(days)s days)") % {"days": later})
        return text

    def abbreviation(self, instant):
        return abbreviation(instant, self.zone)


@lru_cache(maxsize=1024)
def location_zone_name(name):
    """The name a conference can take for a zone that zoneinfo knows, or None.

    A legacy alias becomes the location zone CLDR files it under, which is the zone tzdata links
    it to (CET → Europe/Brussels, US/Pacific → America/Los_Angeles); UTC's aliases become "UTC".
    """
    from babel.core import get_global

    if not isinstance(name, str) or name not in _known_names():
        return None
    target = get_global("zone_aliases").get(name, name)
    if target in ("Etc/UTC", "Etc/GMT", "UTC"):
        return "UTC"
    if target in timezone_names():
        return target
    return name if name in timezone_names() else None
