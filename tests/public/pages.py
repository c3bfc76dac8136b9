"""Reading schedule pages the way a visitor does, and the local times they should show."""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

CARD = re.compile(
    r'<h4 class="card-title"><a href="/[^/]+/sessions/([^/]+)/[^"]*">.*?</a></h4>\s*'
    r'<p class="card-when">([^<]*)</p>',
    re.S,
)
GRID_CELL = re.compile(
    r'<[a-z]+ role="cell"[^>]*class="([^"]*)"[^>]*>\s*'
    r'<h3 class="cell-title"><a href="/[^/]+/sessions/([^/]+)/[^"]*">'
)
TICK = re.compile(r'<div class="tick r(\d+) [^"]*"[^>]*>([^<]*)</div>')


def text(response):
    """The page's visible text, tags dropped and whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return visible(html)


def visible(html):
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def time_notice(response):
    """The sentence that says which timezone the page's times are in."""
    notice = re.search(
        r'<aside class="notice time-notice".*?<p>(.*?)<a ', response.content.decode(), re.S
    )
    return visible(notice.group(1))


def session_when(response):
    """The date and time on a session's page."""
    when = re.search(r"<dt>When</dt>\s*<dd>(.*?)</dd>", response.content.decode(), re.S)
    return visible(when.group(1))


def day_tabs(response):
    """(date, href) of each link in the page's day tabs, in page order."""
    nav = re.search(r'<nav class="day-tabs".*?</nav>', response.content.decode(), re.S).group()
    return [
        (dt.date.fromisoformat(day), unescape(href))
        for href, day in re.findall(r'<a href="([^"]*/schedule/(\d{4}-\d\d-\d\d)/[^"]*)"', nav)
    ]


def cards(response):
    """(session slug, printed 'when' line) of every session card in the list layout."""
    return [(slug, unescape(when)) for slug, when in CARD.findall(response.content.decode())]


def card_links(response):
    """{session slug: href} of the session titles in the list layout."""
    links = re.findall(
        r'<h4 class="card-title"><a href="([^"]*/sessions/([^/]+)/[^"]*)"',
        response.content.decode(),
    )
    return {slug: unescape(href) for href, slug in links}


def printed_time(response, session):
    """The time range printed on one session's card, without its stage."""
    [when] = [when for slug, when in cards(response) if slug == session.slug]
    return when.split(" · ")[0]


def grid_cells(response):
    """{session slug: (row, span, column or None)} from the grid layout's r<N> s<N> c<N> classes."""
    cells = {}
    for classes, slug in GRID_CELL.findall(response.content.decode()):
        numbers = {match[0]: int(match[1]) for match in re.findall(r"\b([rsc])(\d+)\b", classes)}
        cells[slug] = (numbers["r"], numbers["s"], numbers.get("c"))
    return cells


def grid_ticks(response):
    """(row, label) of the times down the side of the grid."""
    return [(int(row), unescape(label)) for row, label in TICK.findall(response.content.decode())]


def local_day(session, zone_name):
    return session.start.astimezone(ZoneInfo(zone_name)).date()


def local_range(session, zone_name):
    """'HH:MM–HH:MM', '(+1 day)' added when it ends on a later local date, read with zoneinfo."""
    zone = ZoneInfo(zone_name)
    start, end = session.start.astimezone(zone), session.end.astimezone(zone)
    # A session that ends at midnight ends on its own day.
    last_day = (session.end - dt.timedelta(microseconds=1)).astimezone(zone).date()
    later = (last_day - start.date()).days
    suffix = {0: "", 1: " (+1 day)"}.get(later, f" (+{later} days)")
    return f"{start:%H:%M}–{end:%H:%M}{suffix}"
