"""Times in templates, always through the viewer's LocalClock (conference/timezones.py)."""

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.filter
def clock_time(instant, clock):
    """'09:50' or '9:50 AM' in the viewer's timezone."""
    return clock.time(instant)


@register.filter
def clock_range(session, clock):
    """'09:50–10:05', marked '(+1 day)' when it ends on a later local date."""
    return clock.range(session.start, session.end)


@register.filter
def clock_date(instant, clock):
    """The local date of an instant in the viewer's timezone."""
    return clock.date(instant)


@register.filter
def clock_abbreviation(instant, clock):
    """'CEST', 'IST', or 'UTC+5:45' where the zone has no letters."""
    return clock.abbreviation(instant)


@register.filter
def minutes_until(later, earlier):
    """Whole minutes from one instant to a later one (rounded up, never negative)."""
    seconds = (later - earlier).total_seconds()
    return max(0, int(-(-seconds // 60)))


@register.filter
def duration_label(delta):
    """'45 min', '1 h', '1 h 15 min' for a timedelta."""
    minutes = int(delta.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours} h {minutes} min"
    return f"{hours} h" if hours else f"{minutes} min"


@register.filter
def with_tz(url, prefs):
    """The URL, carrying ?tz= on when the page itself was opened with one (a shared link)."""
    if not prefs or not prefs.tz_in_link:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'tz': prefs.zone.key})}"
