"""What changed in a person's agenda since they last looked ("Since your last visit").

Per person and conference: the last schedule version they have seen, and the sessions whose
changes they acknowledged one by one since, each with the version it was acknowledged at (a
later change to it shows again). Kept on the profile once signed in, in the browser session
before, like the visitor's agenda (attendees/agenda.py). Someone starts watching when they
first save a session: only versions published after that count.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from attendees.models import Profile
from schedule import versions

SESSION_KEY = "seen_changes"
# Keyed by schedule version: age only bounds how long an unused entry lingers.
CACHE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class ChangedSession:
    """One session of the agenda and what changed of it since the person last looked: the
    versions they have not seen folded into one change (before the first, after the last) in
    the shape versions.change_notes reads."""

    pk: int
    slug: str
    title: str
    change: dict


# (the sentence when every changed session changed the same way, the part of a mixed summary)
KIND_WORDS = {
    versions.CANCELLED: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions was cancelled",
            "Since your last visit: %(count)s of your sessions were cancelled",
            n,
        ),
        lambda n: ngettext("%(count)s cancelled", "%(count)s cancelled", n),
    ),
    versions.REINSTATED: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions is no longer cancelled",
            "Since your last visit: %(count)s of your sessions are no longer cancelled",
            n,
        ),
        lambda n: ngettext("%(count)s no longer cancelled", "%(count)s no longer cancelled", n),
    ),
    versions.MOVED: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions moved",
            "Since your last visit: %(count)s of your sessions moved",
            n,
        ),
        lambda n: ngettext("%(count)s moved", "%(count)s moved", n),
    ),
    versions.ROOM: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions changed room",
            "Since your last visit: %(count)s of your sessions changed room",
            n,
        ),
        lambda n: ngettext("%(count)s changed room", "%(count)s changed room", n),
    ),
    versions.RENAMED: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions was renamed",
            "Since your last visit: %(count)s of your sessions were renamed",
            n,
        ),
        lambda n: ngettext("%(count)s renamed", "%(count)s renamed", n),
    ),
    versions.SPEAKERS: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions has new speakers",
            "Since your last visit: %(count)s of your sessions have new speakers",
            n,
        ),
        lambda n: ngettext("%(count)s with new speakers", "%(count)s with new speakers", n),
    ),
    versions.REMOVED: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions was removed from the schedule",
            "Since your last visit: %(count)s of your sessions were removed from the schedule",
            n,
        ),
        lambda n: ngettext("%(count)s removed", "%(count)s removed", n),
    ),
    versions.NEW: (
        lambda n: ngettext(
            "Since your last visit: %(count)s of your sessions is new in the schedule",
            "Since your last visit: %(count)s of your sessions are new in the schedule",
            n,
        ),
        lambda n: ngettext("%(count)s new", "%(count)s new", n),
    ),
}


def summary(changed):
    """The headline: “Since your last visit: 2 of your sessions moved”, or, when they changed in
    different ways, “… 2 of your sessions changed: 1 moved, 1 cancelled” (a session counts
    once under each way it changed)."""
    counts = {}
    for item in changed:
        for kind in item.change["kinds"]:
            counts[kind] = counts.get(kind, 0) + 1
    total = len(changed)
    if len(counts) == 1:
        [(kind, count)] = counts.items()
        if count == total:
            return KIND_WORDS[kind][0](total) % {"count": total}
    head = ngettext(
        "Since your last visit: %(count)s of your sessions changed",
        "Since your last visit: %(count)s of your sessions changed",
        total,
    ) % {"count": total}
    parts = [
        KIND_WORDS[kind][1](count) % {"count": count}
        for kind, count in sorted(counts.items(), key=lambda item: kind_order(item[0]))
    ]
    return _("%(head)s: %(parts)s") % {"head": head, "parts": ", ".join(parts)}


def kind_order(kind):
    order = [versions.NEW, versions.CANCELLED, versions.REINSTATED, versions.MOVED]
    order += [versions.ROOM, versions.RENAMED, versions.SPEAKERS, versions.REMOVED]
    return order.index(kind)


def fold(changes):
    """One change from the first unseen version's `before` to the last one's `after`; None when
    the session is back as it was (moved and moved back)."""
    first, last = changes[0], changes[-1]
    before, after = first["before"], last["after"]
    kinds = versions.change_kinds(before, after)
    if not kinds:
        return None
    return {**last, "kinds": kinds, "before": before, "after": after}


class SeenChanges:
    def __init__(self, request, conference, user=None):
        self.request = request
        self.conference = conference
        self.user = user or (request.user if request and request.user.is_authenticated else None)
        self.key = str(conference.pk)

    @cached_property
    def state(self):
        """{"seen": n, "acknowledged": {pk: n}}, or None before the person watches anything."""
        if self.user:
            try:
                stored = self.user.profile.seen_changes
            except Profile.DoesNotExist:
                stored = {}
        else:
            stored = self.request.session.get(SESSION_KEY, {})
        return stored.get(self.key)

    def start_watching(self):
        """From now on: only versions published after the latest count (on first save)."""
        if self.state is None:
            self._update(lambda state: state or fresh_state(self.conference))

    def since_last_visit(self, session_ids):
        """[ChangedSession] of the given sessions (the agenda) changed in versions the person
        has not seen nor acknowledged, in time order. One query."""
        state = self.state
        # Most visits: no version since the last one seen, known from the cache.
        if state is None or not session_ids or latest_number(self.conference) <= state["seen"]:
            return []
        acknowledged = state["acknowledged"]
        found = versions.changes_since(self.conference, state["seen"], set(session_ids))
        changed = []
        for pk, numbered in found.items():
            unseen = [change for n, change in numbered if n > acknowledged.get(str(pk), 0)]
            change = unseen and fold(unseen)
            if change:
                changed.append(ChangedSession(pk, change["slug"], change["title"], change))
        return sorted(changed, key=lambda item: shown_start(item.change))

    def acknowledge(self, session_pk):
        """“OK, got it”: this session's changes until now leave the list."""
        latest = latest_number(self.conference)

        def update(state):
            state = state or fresh_state(self.conference)
            return {**state, "acknowledged": {**state["acknowledged"], str(session_pk): latest}}

        self._update(update)

    def acknowledge_all(self):
        """“Mark all as seen”: the latest version is seen, nothing acknowledged is kept."""
        self._update(lambda state: fresh_state(self.conference))

    def _update(self, change):
        """Apply change(state) -> state to the stored state; under a row lock for a person,
        so two tabs acknowledging at once both count."""
        if self.user:
            with transaction.atomic():
                profile, _created = Profile.objects.select_for_update().get_or_create(
                    user=self.user
                )
                state = change(profile.seen_changes.get(self.key))
                profile.seen_changes = {**profile.seen_changes, self.key: state}
                profile.save(update_fields=["seen_changes"])
            self.user.profile = profile
        else:
            stored = dict(self.request.session.get(SESSION_KEY, {}))
            state = stored[self.key] = change(stored.get(self.key))
            self.request.session[SESSION_KEY] = stored
        self.__dict__["state"] = state


def fresh_state(conference):
    return {"seen": latest_number(conference), "acknowledged": {}}


def latest_number(conference):
    """versions.latest_number, kept in the cache for the schedule version (which publishing
    moves), so an agenda with nothing new reads no version."""
    return conference.cached(
        "latest-version-number", lambda: versions.latest_number(conference), CACHE_SECONDS
    )


def shown_start(change):
    return (change["after"] or change["before"])["start"]


def merge_visitor_seen_changes(*, request, user):
    """On sign-in: what the visitor had seen, for conferences the account has no state for."""
    stored = request.session.pop(SESSION_KEY, {})
    if not stored:
        return
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        profile.seen_changes = {**stored, **profile.seen_changes}
        profile.save(update_fields=["seen_changes"])
    user.profile = profile
