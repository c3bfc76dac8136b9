"""The schedule's filters, read from the query string so a filtered view is a shareable link.

?stage=, ?track=, ?type= and ?speaker= take slugs and may repeat; ?q= searches titles,
abstracts, links, and the speakers' names, companies and biographies, ignoring case and accents.
Filters span the whole conference: the day page counts the matches of every day. The public
schedule.ics takes the same filters (all but ?mine=), so a filtered view is also a calendar
subscription.
"""

from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from conference.models import SessionType, Stage, Track
from public import published
from public.pages import search_query
from schedule.models import Session, SessionSpeaker
from speakers.models import Speaker

MAX_VALUES = 50
# Entries are keyed by schedule version, so age only bounds how long unused ones linger.
MATCHES_CACHE_SECONDS = 6 * 3600


class ScheduleFilters:
    # query parameter: (model, session field, what a visitor calls it)
    DIMENSIONS = {
        "stage": (Stage, "stage", gettext_lazy("stage")),
        "track": (Track, "track", gettext_lazy("track")),
        "type": (SessionType, "session_type", gettext_lazy("session type")),
    }

    def __init__(self, conference, *, options, selected, speakers, query, mine=None, request=None):
        self.conference = conference
        self.request = request  # for the addresses of the subscription
        self.options = options  # {"stage": [Stage, ...], ...}: every choice, for the form
        self.selected = selected  # {"stage": [Stage, ...], ...}: what the link asks for
        self.speakers = speakers
        self.query = query
        self.mine = mine  # the agenda's session pks when ?mine=1, else None

    @classmethod
    def from_request(cls, request, conference, agenda=None):
        """Http404 for a slug the conference does not have; BadRequest for malformed values."""
        options, selected = {}, {}
        for param, (model, _field, label) in cls.DIMENSIONS.items():
            options[param] = list(model.objects.filter(conference=conference))
            selected[param] = cls._pick(request, param, options[param], label)
        speaker_slugs = cls._values(request, "speaker")
        speakers = list(
            Speaker.objects.filter(conference=conference, slug__in=speaker_slugs).order_by("slug")
        )
        cls._check_all_found(speaker_slugs, speakers, _("speaker"))
        query = search_query(request)
        mine = agenda.session_ids if agenda is not None and request.GET.get("mine") == "1" else None
        return cls(
            conference,
            options=options,
            selected=selected,
            speakers=speakers,
            query=query,
            mine=mine,
            request=request,
        )

    @classmethod
    def feed_params_of(cls, request):
        """What params() would be for a public calendar (no ?mine=), read from the request alone,
        without a lookup: the key of a filtered calendar, whose values are looked up only when
        it is written."""
        pairs = [
            (param, value)
            for param in [*cls.DIMENSIONS, "speaker"]
            for value in cls._values(request, param)
        ]
        query = search_query(request)
        return [*pairs, ("q", query)] if query else pairs

    @staticmethod
    def _values(request, param):
        """The slugs a parameter names, once each and sorted: the same filter, the same link."""
        values = [value for value in request.GET.getlist(param) if value]
        if len(values) > MAX_VALUES:
            raise BadRequest(_("Too many values for “%(param)s”.") % {"param": param})
        return sorted(set(values))

    @classmethod
    def _pick(cls, request, param, options, label):
        slugs = cls._values(request, param)
        by_slug = {option.slug: option for option in options}
        chosen = [by_slug[slug] for slug in slugs if slug in by_slug]
        cls._check_all_found(slugs, chosen, label)
        return chosen

    @staticmethod
    def _check_all_found(slugs, found, label):
        missing = sorted(set(slugs) - {item.slug for item in found})
        if missing:
            raise Http404(
                _("This conference has no %(what)s “%(slug)s”.")
                % {"what": label, "slug": missing[0]}
            )

    @property
    def is_active(self):
        return bool(
            self.query or self.speakers or self.mine is not None or any(self.selected.values())
        )

    def apply(self, sessions):
        for param, (_model, field, _label) in self.DIMENSIONS.items():
            if self.selected[param]:
                sessions = sessions.filter(**{f"{field}__in": self.selected[param]})
        if self.speakers:
            sessions = sessions.filter(
                Exists(
                    SessionSpeaker.objects.filter(session=OuterRef("pk"), speaker__in=self.speakers)
                )
            )
        if self.mine is not None:
            sessions = sessions.filter(pk__in=self.mine)
        return sessions.matching(self.query)

    @cached_property
    def matching_starts(self):
        """When each session the filters let through starts, in UTC: one query, shared through
        the cache by everyone with the same filters (one's own agenda excepted), for the day
        tabs' counts and the subscription's."""
        key = None
        if self.mine is None:
            key = self.conference.cache_key("matching-starts", urlencode(self.params()))
        starts = cache.get(key) if key else None
        if starts is None:
            sessions = self.apply(Session.objects.for_conference(self.conference))
            starts = list(sessions.values_list("start", flat=True))
            if key:
                cache.set(key, starts, MATCHES_CACHE_SECONDS)
        return starts

    def params(self):
        """The filters as query-string pairs, in a stable order."""
        pairs = [(param, item.slug) for param in self.DIMENSIONS for item in self.selected[param]]
        pairs += [("speaker", speaker.slug) for speaker in self.speakers]
        if self.query:
            pairs.append(("q", self.query))
        if self.mine is not None:
            pairs.append(("mine", "1"))
        return pairs

    def describe(self):
        """What is chosen, as a visitor reads it: names, and the search in quotes."""
        names = [item.name for param in self.DIMENSIONS for item in self.selected[param]]
        names += [speaker.name for speaker in self.speakers]
        if self.query:
            names.append(_("“%(query)s”") % {"query": self.query})
        return names

    @cached_property
    def subscription(self):
        """These filters as a calendar subscription, for the schedule page; None when nothing
        is filtered, or when one's own agenda (which has its own feed) narrows the page."""
        params = self.params()
        if not params or self.mine is not None or self.request is None:
            return None
        # Absolute addresses, in the day's cached results: days.shared_key has scheme and host.
        return published.subscription(
            self.request,
            conference=self.conference,
            params=params,
            session_count=len(self.matching_starts),
        )
