"""The changelog of a conference's published schedule versions, as its page shows it, as an
Atom feed and as JSON for apps: each version with what it changed, read from the changes stored
with it (schedule/versions.py), worded by versions.change_notes and nowhere else."""

import datetime as dt
import json
from dataclasses import dataclass

from django.urls import reverse
from django.utils import dateformat
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from schedule import versions
from schedule.models import ScheduleVersion, Session

SLUG_PLACEHOLDER = "__slug__"
# A version's changes name sessions by pk; past this many, reading every listed session's slug
# is cheaper than a long IN list.
MANY_SESSIONS = 500
ATOM_TYPE = "application/atom+xml; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
# The feed readers' view: the latest versions.
ATOM_ENTRIES = 50


@dataclass(frozen=True)
class ChangeEntry:
    """One session's change in a version, as the changelog lists it."""

    title: str
    url: str | None  # its page while the session is listed
    notes: list
    when: str  # "Wed 8 Apr, 11:30–12:00 · Central Room": where it is now (or was, if it left)


@dataclass(frozen=True)
class VersionEntry:
    version: ScheduleVersion
    changes: list

    @property
    def first(self):
        return self.version.number == 1

    @property
    def anchor(self):
        return f"v{self.version.number}"


def versions_newest_first(conference):
    """The conference's published versions without their snapshots, the latest first."""
    return ScheduleVersion.objects.for_conference(conference).listed().order_by("-number")


def listed_slugs(conference, versions_shown):
    """{session pk: slug} of the sessions these versions name that are still listed: one query."""
    pks = {change["session"] for version in versions_shown for change in version.changes}
    if not pks:
        return {}
    sessions = Session.objects.for_conference(conference)
    if len(pks) <= MANY_SESSIONS:
        sessions = sessions.filter(pk__in=pks)
    return dict(sessions.values_list("pk", "slug"))


def session_url_pattern(conference):
    """slug -> the session page's path, from one reverse()."""
    pattern = reverse("schedule:session", kwargs={"conference": conference.slug, "slug": "x"})
    head = pattern[: -len("x/")]
    return lambda slug: f"{head}{slug}/"


def entries(conference, versions_shown, clock, *, link=lambda url: url):
    """[VersionEntry] of versions_shown (newest first), times as clock reads them; link() turns
    a session's path into the address shown (with ?tz=, or absolute)."""
    versions_shown = list(versions_shown)
    slugs = listed_slugs(conference, versions_shown)
    session_path = session_url_pattern(conference)
    shown = []
    for version in versions_shown:
        changes = []
        for change in version.changes:
            described = change["after"] or change["before"]
            slug = slugs.get(change["session"])
            changes.append(
                ChangeEntry(
                    title=change["title"],
                    url=link(session_path(slug)) if slug else None,
                    notes=versions.change_notes(change, clock),
                    when=when_label(described, clock),
                )
            )
        shown.append(VersionEntry(version, changes))
    return shown


def first_version_note(version):
    return ngettext(
        "First published schedule: %(count)s session",
        "First published schedule: %(count)s sessions",
        version.session_count,
    ) % {"count": version.session_count}


def when_label(described, clock):
    """“Wed 8 Apr, 11:30–12:00 · Central Room” of a session as a version describes it."""
    start, end = versions.instant(described["start"]), versions.instant(described["end"])
    text = f"{dateformat.format(clock.local(start), 'D j M')}, {clock.range(start, end)}"
    return f"{text} · {described['stage']}" if described["stage"] else text


class ChangesFeed(Atom1Feed):
    """Atom with each entry's text as <content type="html">, where Atom1Feed writes a summary."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


def entry_html(entry, clock, conference):
    """An Atom entry's content: the version's changes as a list, times in `clock`'s zone."""
    zone = format_html(
        "<p>{}</p>",
        _("Times in %(zone)s (%(name)s).")
        % {"zone": clock.zone.key, "name": clock.abbreviation(conference.reference_instant())},
    )
    if entry.first:
        return format_html("<p>{}</p>", first_version_note(entry.version))
    if not entry.changes:
        return format_html("<p>{}</p>", _("Nothing changed in the sessions."))
    items = format_html_join(
        "",
        "<li>{}: {} ({})</li>",
        (
            (
                format_html('<a href="{}">{}</a>', change.url, change.title)
                if change.url
                else change.title,
                "; ".join(change.notes),
                change.when,
            )
            for change in entry.changes
        ),
    )
    return format_html("{}<ul>{}</ul>", zone, items)


def atom_document(conference, absolute_url):
    """The Atom feed of the latest versions; absolute_url(path) -> full address."""
    clock = conference.clock  # feeds and JSON are the same for everyone
    page = absolute_url(reverse("schedule:changes", kwargs={"conference": conference.slug}))
    feed = ChangesFeed(
        title=_("Schedule changes · %(name)s") % {"name": conference.name},
        link=page,
        description=_("Each published version of the schedule and what it changed."),
        feed_url=absolute_url(
            reverse("schedule:changes_atom", kwargs={"conference": conference.slug})
        ),
        feed_guid=page,
        language=get_language(),
    )
    shown = entries(
        conference, versions_newest_first(conference)[:ATOM_ENTRIES], clock, link=absolute_url
    )
    for entry in shown:
        version = entry.version
        feed.add_item(
            title=version.label,
            link=f"{page}#{entry.anchor}",
            unique_id=f"{page}#{entry.anchor}",
            description=None,
            content=entry_html(entry, clock, conference),
            pubdate=version.published_at,
            updateddate=version.published_at,
        )
    return feed.writeString("utf-8").encode()


def json_document(conference, absolute_url):
    """Every version and its changes for apps: times in UTC (ISO 8601), notes in the
    conference's timezone."""
    clock = conference.clock  # feeds and JSON are the same for everyone
    all_versions = list(versions_newest_first(conference))
    slugs = listed_slugs(conference, all_versions)
    session_path = session_url_pattern(conference)
    page = absolute_url(reverse("schedule:changes", kwargs={"conference": conference.slug}))

    def change_json(change):
        slug = slugs.get(change["session"])
        return {
            "slug": change["slug"],
            "title": change["title"],
            "url": absolute_url(session_path(slug)) if slug else None,
            "kinds": change["kinds"],
            "before": utc_times(change["before"]),
            "after": utc_times(change["after"]),
            "notes": versions.change_notes(change, clock),
        }

    document = {
        "conference": conference.slug,
        "timezone": conference.timezone,
        "versions": [
            {
                "number": version.number,
                "name": version.name,
                "label": version.label,
                "published_at": iso_utc(version.published_at),
                "url": f"{page}#v{version.number}",
                "session_count": version.session_count,
                "changes": [change_json(change) for change in version.changes],
            }
            for version in all_versions
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def iso_utc(instant):
    return instant.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def utc_times(described):
    if described is None:
        return None
    return {
        **described,
        "start": iso_utc(versions.instant(described["start"])),
        "end": iso_utc(versions.instant(described["end"])),
    }
