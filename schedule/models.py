import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference import timezones
from conference.locking import EditVersioned
from conference.models import Conference, SessionType, Stage, Track
from conference.search import contains_word, search_words
from speakers.models import Speaker

# Four hours or more on one stage: a place to drop by, not a talk.
ALL_DAY = dt.timedelta(hours=4)


# What a draft holds (conferences that publish versions, not every save): when and where a
# session runs, whether it runs, whether it shows at all, and what it is called and about.
# Speakers and links, rows of their own, show at once; the next version's changelog still lists
# speaker changes.
DRAFTED_FIELDS = (
    "start",
    "end",
    "stage_id",
    "status",
    "in_tray",
    "removed_at",
    "title",
    "abstract",
)
DRAFTED_INSTANTS = {"start", "end", "removed_at"}


def draft_value(name, stored):
    """A drafted field's value as JSON keeps it (instants in ISO 8601 UTC)."""
    if name in DRAFTED_INSTANTS and stored is not None:
        return dt.datetime.fromisoformat(stored)
    return stored


def stored_draft_value(name, value):
    if name in DRAFTED_INSTANTS and value is not None:
        return value.astimezone(dt.UTC).isoformat()
    return value


def open_all_day(start, end, spans_all_stages):
    """Open for much of the day on one stage (registration, an expo): a place to drop by beside
    the talks there, not a talk (the public grid lists these above it, the board as a strip)."""
    return not spans_all_stages and end - start >= ALL_DAY


class DraftAppliedIterable(models.query.ModelIterable):
    def __iter__(self):
        sessions = list(super().__iter__())
        for session in sessions:
            session.apply_draft()
        # A drafted stage replaces the one select_related loaded: all of them in one query.
        related = self.queryset.query.select_related
        if related is True or (isinstance(related, dict) and "stage" in related):
            moved = [s for s in sessions if "stage_id" in (s.draft or {}) and s.stage_id]
            models.prefetch_related_objects(moved, "stage")
        yield from sessions


class SessionQuerySet(models.QuerySet):
    def with_draft(self):
        """Sessions as organisers are planning them: each with its unpublished changes applied
        in memory (the database filters still see the published columns: callers that filter
        by time or stage use `planned`)."""
        clone = self._chain()
        clone._iterable_class = DraftAppliedIterable
        return clone

    def planned(self, where):
        """As organisers are planning them: the sessions whose published columns match
        `where`, and every session with a draft, the draft applied. The callers check their
        condition again on the planned values (a draft may have moved a session out of it)."""
        return self.filter(where | models.Q(draft__isnull=False)).with_draft()

    def unpublished(self):
        """Sessions with something waiting for the next version: a draft, or new."""
        return self.filter(models.Q(draft__isnull=False) | models.Q(awaiting_publication=True))

    def for_conference(self, conference):
        return self.filter(conference=conference)

    def confirmed(self):
        return self.filter(status=Session.Status.CONFIRMED)

    def starting_between(self, start, end):
        """Sessions whose start lies in [start, end)."""
        return self.filter(start__gte=start, start__lt=end)

    def on_local_day(self, day, tz):
        """Sessions that start on a date as the clock in tz reads it."""
        return self.starting_between(*timezones.day_bounds(day, tz))

    def overlapping(self, start, end):
        """Sessions that share at least a minute with [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def for_planning(self):
        """With what the schedule board and conflict checks read: stage, type, speakers."""
        return self.select_related("stage", "session_type").prefetch_related(
            models.Prefetch("speaker_links", SessionSpeaker.objects.select_related("speaker"))
        )

    def matching(self, query):
        """Sessions in which every word of the query is found, ignoring case and accents: in the
        title or abstract, in a link's title or address, or in what a search finds of one of
        the speakers (Speaker.objects.matching)."""
        sessions = self
        for word in search_words(query):
            by_speaker = SessionSpeaker.objects.filter(
                session=OuterRef("pk"), speaker__in=Speaker.objects.matching(word)
            )
            by_link = SessionLink.objects.filter(session=OuterRef("pk")).filter(
                contains_word(word, "title", "url")
            )
            sessions = sessions.filter(
                contains_word(word, "title", "abstract") | Exists(by_speaker) | Exists(by_link)
            )
        return sessions


class SessionManager(models.Manager.from_queryset(SessionQuerySet)):
    def get_by_natural_key(self, uuid):
        return self.get(uuid=uuid)


class ListedSessionManager(SessionManager):
    """Sessions in the schedule: the ones an import removed, the ones waiting in the schedule
    board's tray, and new ones waiting for the next published version stay out of sight."""

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(removed_at__isnull=True, in_tray=False, awaiting_publication=False)
        )

    def get_by_natural_key(self, uuid):
        return self.model.all_objects.get(uuid=uuid)


class Session(EditVersioned):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    # A change to any of these moves the event in people's calendars (SEQUENCE).
    REVISED_FIELDS = ("title", "start", "end", "stage_id", "status")

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("conference")
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=200)
    abstract = models.TextField(_("abstract"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    stage = models.ForeignKey(
        Stage,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("stage"),
    )
    track = models.ForeignKey(
        Track,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("track"),
    )
    session_type = models.ForeignKey(
        SessionType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("type"),
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        related_name="sessions",
        blank=True,
        verbose_name=_("speakers"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    seat_limit = models.PositiveIntegerField(
        _("seat limit"),
        null=True,
        blank=True,
        help_text=_("Leave empty for sessions anyone can attend without reserving."),
    )
    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Goes up when the time, stage, title or status changes."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    in_tray = models.BooleanField(
        _("in the board's tray"),
        default=False,
        help_text=_(
            "Tick to take it out of the public schedule: it waits in the schedule board's "
            "tray, keeping its length, until it is placed on a stage and a time."
        ),
    )
    removed_at = models.DateTimeField(
        _("removed from the schedule"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Set when an import removed the session: it is hidden, its agenda entries are kept."
        ),
    )
    # Conferences that publish versions keep an edit of the DRAFTED_FIELDS here until the next
    # version: {field: value}; the columns above stay what the public sees.
    draft = models.JSONField(_("unpublished changes"), null=True, blank=True, editable=False)
    awaiting_publication = models.BooleanField(
        _("waiting for the next version"),
        default=False,
        editable=False,
        help_text=_("Added since the last published version: not public yet."),
    )

    # Public pages, feeds and agendas read `objects`; `all_objects` also sees removed sessions
    # and the board's tray, and is the default manager, so admin, validation and related managers miss nothing.
    objects = ListedSessionManager()
    all_objects = SessionManager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "end", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["conference", "slug"],
                name="session_slug_unique_per_conference",
                violation_error_message=_("This slug is already used in this conference."),
            ),
        ]
        indexes = [models.Index(fields=["conference", "start"], name="session_conference_start")]
        default_manager_name = "all_objects"

    def __str__(self):
        return self.title

    def save(self, *args, publish=False, **kwargs):
        """Save; when the conference publishes versions and the session is public, changes to
        the DRAFTED_FIELDS wait in `draft` (publish=True is the publication writing them)."""
        if not publish and self.keeps_drafts:
            return self.save_as_draft(*args, **kwargs)
        if self._state.adding and not publish and not self.conference.publish_every_save:
            self.awaiting_publication = True  # public with the next version
        self.save_columns(*args, **kwargs)
        self._published = {name: getattr(self, name) for name in DRAFTED_FIELDS}

    @property
    def keeps_drafts(self):
        return (
            not self._state.adding
            and not self.awaiting_publication
            and not self.conference.publish_every_save
        )

    def save_as_draft(self, *args, **kwargs):
        published = getattr(self, "_published", None)
        if published is None:
            published = Session.all_objects.values(*DRAFTED_FIELDS).get(pk=self.pk)
        wanted = {name: getattr(self, name) for name in DRAFTED_FIELDS}
        # Saved from a copy that showed the published values (a seat limit set elsewhere, say),
        # the session keeps its draft and adds this save's changes to it.
        kept = {} if getattr(self, "_draft_applied", False) else dict(self.draft or {})
        self.draft = {
            **kept,
            **{
                name: stored_draft_value(name, value)
                for name, value in wanted.items()
                if value != published[name]
            },
        } or None
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "draft"}
        for name, value in published.items():
            setattr(self, name, value)
        try:
            self.save_columns(*args, **kwargs)
        finally:
            for name, value in wanted.items():
                setattr(self, name, value)
        self._published = published
        self.apply_draft()  # this copy now shows the whole draft, kept parts too

    def remove(self, at=None):
        """Take it off the schedule: cancelled (calendars drop or strike it) and hidden; the row
        and its agenda entries stay, so the people who saved it can be told."""
        self.status, self.removed_at = Session.Status.CANCELLED, at or timezone.now()
        self.save()

    def as_edited(self):
        self.apply_draft()
        return self

    def apply_draft(self):
        """Show this instance as organisers are planning it (nothing is saved)."""
        for name, stored in (self.draft or {}).items():
            setattr(self, name, draft_value(name, stored))
        self._draft_applied = True

    def save_columns(self, *args, **kwargs):
        loaded = getattr(self, "_loaded", None)
        if loaded and any(getattr(self, name) != value for name, value in loaded.items()):
            self.revision += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "revision"}
        super().save(*args, **kwargs)
        self._loaded = {name: getattr(self, name) for name in self.REVISED_FIELDS}

    def get_absolute_url(self):
        return reverse(
            "schedule:session", kwargs={"conference": self.conference.slug, "slug": self.slug}
        )

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("A session must end after it starts.")})
        for field in ("stage", "track", "session_type"):
            part = getattr(self, field)
            if part is not None and part.conference_id != self.conference_id:
                raise ValidationError({field: _("Choose one of this conference's own.")})

    def natural_key(self):
        return (str(self.uuid),)

    @classmethod
    def from_db(cls, db, field_names, values):
        # Remember what was loaded, so save() can tell a real move from a re-save.
        instance = super().from_db(db, field_names, values)
        instance._loaded = {
            name: getattr(instance, name) for name in cls.REVISED_FIELDS if name in field_names
        }
        if all(name in field_names for name in DRAFTED_FIELDS):
            instance._published = {name: getattr(instance, name) for name in DRAFTED_FIELDS}
        return instance

    @property
    def on_schedule(self):
        """Placed on the schedule: neither removed by an import nor waiting in the tray."""
        return self.removed_at is None and not self.in_tray

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def duration(self):
        return self.end - self.start

    @property
    def is_open_all_day(self):
        return open_all_day(self.start, self.end, self.spans_all_stages)

    @property
    def spans_all_stages(self):
        return self.session_type is not None and self.session_type.spans_all_stages

    def overlaps(self, start, end):
        return self.start < end and self.end > start

    def overlapping_on_stage(self):
        """Other live sessions on the same stage that share time with this one."""
        if self.stage_id is None or not (self.start and self.end):
            return Session.objects.none()
        return (
            Session.objects.filter(stage_id=self.stage_id)
            .confirmed()
            .overlapping(self.start, self.end)
            .exclude(pk=self.pk)
        )


class SessionSpeakerManager(models.Manager):
    def get_by_natural_key(self, session_uuid, conference_slug, speaker_slug):
        return self.get(
            session__uuid=session_uuid,
            speaker__conference__slug=conference_slug,
            speaker__slug=speaker_slug,
        )


class SessionSpeaker(models.Model):
    """A speaker's place in a session's ordered list of speakers."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speaker_links")
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="session_links")
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SessionSpeakerManager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="speaker_once_per_session")
        ]

    def __str__(self):
        return f"{self.speaker} ({self.session})"

    def clean(self):
        super().clean()
        # The session may be unsaved yet (an admin inline on the add page); compare objects.
        if (
            self.speaker_id
            and hasattr(self, "session")
            and self.speaker.conference_id != self.session.conference_id
        ):
            raise ValidationError({"speaker": _("Choose a speaker of this conference.")})

    def natural_key(self):
        return (*self.session.natural_key(), *self.speaker.natural_key())

    natural_key.dependencies = ["schedule.session", "speakers.speaker"]


class SessionLink(models.Model):
    """Somewhere to go from a session: its slides, a recording, the livestream, a project."""

    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides")
        VIDEO = "video", _("Video")
        LIVESTREAM = "livestream", _("Livestream")
        OTHER = "other", _("Link")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("address"), max_length=2000)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return self.title or self.get_kind_display()

    @classmethod
    def guess_kind(cls, url, title=""):
        """The kind a file left unsaid, from words in the address and title."""
        words = f"{url} {title}".lower()
        for kind, hints in LINK_HINTS.items():
            if any(hint in words for hint in hints):
                return kind
        return cls.Kind.OTHER


# Checked in this order: a livestream on YouTube is a livestream, not a video.
LINK_HINTS = {
    SessionLink.Kind.LIVESTREAM: ("livestream", "live stream", "streaming.", "/live"),
    SessionLink.Kind.SLIDES: ("slide", "folien", ".pdf", ".ppt", ".key", ".odp", "speakerdeck"),
    SessionLink.Kind.VIDEO: ("video", "recording", "youtube.", "youtu.be", "vimeo.", "media.ccc.de", ".mp4", ".webm"),
}  # fmt: skip


class PendingImportQuerySet(models.QuerySet):
    def expired(self, now):
        return self.filter(created__lt=now - PendingImport.LIFETIME)

    def for_user(self, user, now):
        return self.filter(user=user, created__gte=now - PendingImport.LIFETIME)


class PendingImport(models.Model):
    """An uploaded schedule file between the admin's preview and its confirmation.

    In the database, not one server's disk, so any server behind the load balancer can confirm
    it; it expires, and expired ones are deleted whenever another file is uploaded.
    """

    LIFETIME = dt.timedelta(hours=1)

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    conference_slug = models.CharField(max_length=100)
    format = models.CharField(max_length=20)
    remove_missing = models.BooleanField(default=False)
    # Published as the next schedule version in the same step, with this name (maybe "").
    publish = models.BooleanField(default=False)
    version_name = models.CharField(max_length=200, blank=True)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")

    def __str__(self):
        return f"{self.conference_slug} ({self.format})"


class ScheduleVersionQuerySet(models.QuerySet):
    def unpublished(self):
        """Sessions with something waiting for the next version: a draft, or new."""
        return self.filter(models.Q(draft__isnull=False) | models.Q(awaiting_publication=True))

    def for_conference(self, conference):
        return self.filter(conference=conference)

    def listed(self):
        """Without the snapshots: what a changelog shows of each version."""
        return self.defer("snapshot")


class ScheduleVersion(models.Model):
    """A published version of a conference's schedule: its number, its name, the schedule as
    it was published (snapshot) and what changed since the version before (changes), both
    written once by schedule.versions.publish."""

    conference = models.ForeignKey(
        Conference,
        on_delete=models.CASCADE,
        related_name="schedule_versions",
        verbose_name=_("conference"),
    )
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # {session pk: what the public saw of it}; see versions.describe_session.
    snapshot = models.JSONField(_("schedule as published"), default=dict, editable=False)
    # [{session, slug, title, kinds: [...], before: {...}, after: {...}}] against the version before.
    changes = models.JSONField(_("changes"), default=list, editable=False)
    session_count = models.PositiveIntegerField(_("sessions"), default=0)

    objects = ScheduleVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        ordering = ["conference", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number"], name="schedule_version_number_unique"
            )
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("schedule:changes", kwargs={"conference": self.conference.slug}) + (
            f"#v{self.number}"
        )

    @property
    def label(self):
        """“v3 — Tuesday afternoon swapped”, or “v3”."""
        number = f"v{self.number}"
        return f"{number} — {self.name}" if self.name else number
