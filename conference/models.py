import datetime as dt
import hashlib
import re
import secrets
from contextvars import ContextVar

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference import timezones
from conference.locking import EditVersioned


def validate_timezone_name(value):
    try:
        timezones.get_zone(value)
    except timezones.UnknownTimezone as error:
        raise ValidationError(str(error), code="unknown_timezone") from error


def validate_locale(value):
    try:
        Locale.parse(value, sep="-")
    except (UnknownLocaleError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a locale we know (for example en-GB or fr-FR)."),
            params={"value": value},
            code="unknown_locale",
        ) from error


RESERVED_SLUGS = {"admin", "accounts", "static", "media", "healthz", "schedule", "api"}


def validate_conference_slug(value):
    """Conference slugs share the URL space with the site's own top-level paths."""
    if value.lower() in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(value)s” is used by the site itself; choose another slug."),
            params={"value": value},
            code="reserved_slug",
        )


# An origin a conference's schedule may be embedded from: https (a leading "*." for every
# subdomain), or plain http on this machine for trying it out. Nothing else can reach the
# Content-Security-Policy header the origins are written into.
EMBED_ORIGIN = re.compile(
    r"https://(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?"
    r"|http://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?",
    re.IGNORECASE,
)


def embed_origin_lines(value):
    """The origins of an "embedding sites" field: one a line, blank lines ignored."""
    return [line.strip().rstrip("/") for line in value.splitlines() if line.strip()]


def validate_embed_origins(value):
    for line in embed_origin_lines(value):
        if not EMBED_ORIGIN.fullmatch(line):
            raise ValidationError(
                _(
                    "“%(line)s” is not an origin: write one a line, as https://www.example.org "
                    "(no path), or https://*.example.org for all its subdomains."
                ),
                params={"line": line},
                code="invalid_embed_origin",
            )


validate_colour = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, for example #1d4ed8.")
)


class ConferenceQuerySet(models.QuerySet):
    def current_and_upcoming_first(self, today=None):
        """Running and future conferences by start date, then past ones, latest first."""
        today = today or timezone.now().date()
        upcoming = self.filter(end_date__gte=today).order_by("start_date", "name")
        past = self.filter(end_date__lt=today).order_by("-start_date", "name")
        return [*upcoming, *past]


class ConferenceManager(models.Manager.from_queryset(ConferenceQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)

    def bump_schedule_version(self, conference_id):
        """Move the version every cached page and export of the conference is keyed by: in the
        database, so a stale copy in memory can never write an older one back."""
        if conference_id:
            self.filter(pk=conference_id).update(schedule_version=models.F("schedule_version") + 1)
            forget_shared_pages()


# The generation of the pages shared by every visitor without anything personal
# (config/shared_pages.py): they are stored with the generation they were rendered under and
# served only while it is still the current one. One for the whole site, so a request finds it
# without knowing its conference (no SQL): a schedule change is rare next to the reads, and
# refreshes every shared page once.
SHARED_PAGES_GENERATION_KEY = "shared-pages-generation"


# Set while writes are made only to be rolled back (a draft's preview): nothing outside the
# database hears of them.
writes_to_roll_back = ContextVar("writes_to_roll_back", default=False)


def forget_shared_pages():
    """Retire every shared page: now, for the next request, and again after the transaction
    commits, so a page rendered meanwhile from the old rows is not served under a new one."""
    if not writes_to_roll_back.get():
        cache.delete(SHARED_PAGES_GENERATION_KEY)
    transaction.on_commit(lambda: cache.delete(SHARED_PAGES_GENERATION_KEY), robust=True)


def new_preview_token():
    return secrets.token_urlsafe(24)


class Conference(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, validators=[validate_conference_slug]
    )
    timezone = models.CharField(
        _("timezone"),
        max_length=64,
        validators=[validate_timezone_name],
        help_text=_("IANA name, such as Europe/Paris. Times are entered and shown in it."),
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    registration_url = models.URLField(_("registration page"), blank=True)
    description = models.TextField(_("short description"), blank=True, max_length=1000)
    schedule_version = models.PositiveIntegerField(
        _("schedule version"),
        default=0,
        editable=False,
        help_text=_("Goes up with every change to the schedule; cached pages are keyed by it."),
    )
    locale = models.CharField(
        _("locale"),
        max_length=20,
        default="en-GB",
        validators=[validate_locale],
        help_text=_("Decides the default time format: fr-FR and en-GB use a 24-hour clock."),
    )
    embed_origins = models.TextField(
        _("sites that may embed the schedule"),
        blank=True,
        validators=[validate_embed_origins],
        help_text=_(
            "One origin a line, such as https://www.example.org. Only these sites may show "
            "the schedule in a frame (/<conference>/embed/); no other site can."
        ),
    )

    publish_every_save = models.BooleanField(
        _("publish every save"),
        default=True,
        help_text=_(
            "Every edit shows at once, as for a small event. Untick to gather edits to times, "
            "stages and cancellations in a draft that you preview and publish as numbered "
            "versions, each announced to the people whose agenda it changes."
        ),
    )
    preview_token = models.CharField(
        _("preview token"), max_length=64, default=new_preview_token, editable=False
    )
    theme_colour = models.CharField(
        _("theme colour"),
        max_length=7,
        blank=True,
        validators=[validate_colour],
        help_text=_(
            "The colour of the installed app's icon and title bar, as #rrggbb; empty: the "
            "first track's colour."
        ),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="conferences/",
        blank=True,
        help_text=_("A square image for the installed app's icon; empty: the name's initial."),
    )

    objects = ConferenceManager()

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="conference_ends_on_or_after_start",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding and kwargs.get("update_fields") is None:
            # Never write back a stale version: it only moves up, in the database.
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "schedule_version"
            ]
        super().save(*args, **kwargs)
        if kwargs.get("update_fields"):
            # Its name, timezone and dates show on every page of its schedule.
            Conference.objects.bump_schedule_version(self.pk)

    def get_absolute_url(self):
        return reverse("schedule:schedule", kwargs={"conference": self.slug})

    def natural_key(self):
        return (self.slug,)

    def cache_key(self, kind, *parts):
        """The cache key of something rendered from this conference's schedule as it is now;
        the next schedule version (or release of the code) makes every older entry unreachable.
        None while organisers preview a draft (schedule.versions.previewing): nothing rendered
        from it is kept."""
        if getattr(self, "previewing", False):
            return None
        digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32]
        return f"{kind}:{settings.RELEASE}:{self.pk}:{self.schedule_version}:{digest}"

    @property
    def embed_origin_list(self):
        """The origins that may frame the embedded schedule, lower-cased, once each."""
        return list(dict.fromkeys(line.lower() for line in embed_origin_lines(self.embed_origins)))

    def cached(self, kind, compute, seconds, *parts):
        """compute()'s value for the schedule as it is now: from the cache, or computed and
        kept there under cache_key(kind, *parts); computed afresh and kept nowhere while a
        draft is previewed."""
        key = self.cache_key(kind, *parts)
        value = cache.get(key) if key else None
        if value is None:
            value = compute()
            if key:
                cache.set(key, value, seconds)
        return value

    @property
    def zone(self):
        return timezones.get_zone(self.timezone)

    @property
    def days(self):
        return timezones.date_range(self.start_date, self.end_date)

    @property
    def clock(self):
        """The conference's own timezone and clock, for what is the same for everyone: feeds,
        exports, the organisers' pages, a screen at the venue."""
        return timezones.LocalClock(self.zone, self.uses_24_hour_clock)

    @property
    def uses_24_hour_clock(self):
        """What the conference's locale writes: 'HH:mm' in fr-FR, 'h:mm a' in en-US."""
        pattern = Locale.parse(self.locale, sep="-").time_formats["short"].pattern
        return "H" in pattern or "k" in pattern

    def is_running(self, now=None):
        today = timezones.local_date(now or timezone.now(), self.zone)
        return self.start_date <= today <= self.end_date

    def span_utc(self):
        """[start, end) in UTC of the conference's local days."""
        start, _ = timezones.day_bounds(self.start_date, self.zone)
        _, end = timezones.day_bounds(self.end_date, self.zone)
        return start, end

    def reference_instant(self):
        """Noon on the first day: the moment whose offsets label timezones "during the conference"."""
        return timezones.to_utc(dt.datetime.combine(self.start_date, dt.time(12)), self.zone)


class ConferencePartManager(models.Manager):
    def get_by_natural_key(self, conference_slug, slug):
        return self.get(conference__slug=conference_slug, slug=slug)


class ConferencePart(models.Model):
    """Something named and slugged within one conference."""

    conference = models.ForeignKey(
        Conference,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("conference"),
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100)
    source_id = models.CharField(
        _("id in the imported file"),
        max_length=200,
        blank=True,
        help_text=_("The id a schedule file gave it (a room guid): imports match on it first."),
    )

    objects = ConferencePartManager()

    class Meta:
        abstract = True
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "slug"],
                name="%(class)s_slug_unique_per_conference",
                violation_error_message=_("This slug is already used in this conference."),
            ),
            models.UniqueConstraint(
                fields=["conference", "source_id"],
                condition=~models.Q(source_id=""),
                name="%(class)s_source_id_unique_per_conference",
                violation_error_message=_("This id is already used in this conference."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.conference.slug, self.slug)

    natural_key.dependencies = ["conference.conference"]


class Stage(EditVersioned, ConferencePart):
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats in the room, for information.")
    )
    position = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Stages are shown left to right by this.")
    )
    # Wall-clock times in the conference's timezone, the same every day; empty: always open.
    opens_at = models.TimeField(
        _("opens at"),
        null=True,
        blank=True,
        help_text=_(
            "Local time the room opens each day; the schedule board flags sessions before it."
        ),
    )
    closes_at = models.TimeField(
        _("closes at"),
        null=True,
        blank=True,
        help_text=_(
            "Local time the room closes each day; the schedule board flags sessions after it."
        ),
    )

    class Meta(ConferencePart.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["position", "name"]


class Category(ConferencePart):
    colour = models.CharField(
        _("colour"), max_length=7, default="#4b5563", validators=[validate_colour]
    )

    class Meta(ConferencePart.Meta):
        abstract = True


class Track(Category):
    class Meta(Category.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")


class SessionType(Category):
    spans_all_stages = models.BooleanField(
        _("spans all stages"),
        default=False,
        help_text=_("Breaks and lunch: drawn across every stage in the grid."),
    )

    class Meta(Category.Meta):
        verbose_name = _("session type")
        verbose_name_plural = _("session types")
