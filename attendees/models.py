import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, validate_timezone_name
from schedule.models import ScheduleVersion, Session, SessionManager


class Profile(models.Model):
    class Clock(models.TextChoices):
        CONFERENCE = "", _("As the conference shows it")
        H24 = "24", _("24-hour (14:30)")
        H12 = "12", _("12-hour (2:30 PM)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    timezone = models.CharField(
        _("timezone"),
        max_length=64,
        blank=True,
        validators=[validate_timezone_name],
        help_text=_("Leave empty to see each conference in its own timezone."),
    )
    clock = models.CharField(_("clock"), max_length=2, blank=True, choices=Clock.choices)
    change_emails = models.BooleanField(
        _("Tell me when a session in my agenda changes"),
        default=False,
        help_text=_(
            "One e-mail per new version of the schedule, listing only your sessions that "
            "moved, changed room or were cancelled."
        ),
    )
    signed_out_everywhere = models.DateTimeField(
        _("signed out everywhere"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Every login made before this time has ended."),
    )
    # {conference pk: {"seen": version number, "acknowledged": {session pk: version number}}}:
    # what "Since your last visit" leaves out (attendees/changes.py).
    seen_changes = models.JSONField(_("schedule changes seen"), default=dict, editable=False)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return self.display_name or str(self.user)


class AgendaEntry(models.Model):
    """A session someone means to attend. Not a registration and not a seat."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_entries"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="agenda_entries")
    created = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("agenda entry")
        verbose_name_plural = _("agenda entries")
        ordering = ["session__start"]
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="session_once_per_agenda")
        ]

    def __str__(self):
        return f"{self.user} · {self.session}"


def new_feed_token():
    """256 random bits: the only secret between a calendar app and someone's agenda."""
    return secrets.token_urlsafe(32)


class AgendaFeedManager(models.Manager):
    def for_person(self, user, conference):
        """The person's feed for the conference, made on first use."""
        return self.filter(user=user, conference=conference).first() or self.create(
            user=user, conference=conference
        )

    def reset(self, user, conference):
        """A new secret address; the old one stops working."""
        self.filter(user=user, conference=conference).delete()
        return self.create(user=user, conference=conference)


class AgendaFeed(models.Model):
    """The secret address of one person's agenda for one conference, for calendar apps."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_feeds"
    )
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agenda_feeds"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    objects = AgendaFeedManager()

    class Meta:
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "conference"], name="one_feed_per_person_and_conference"
            )
        ]

    def __str__(self):
        # Never the token: this string can end up in logs and the admin's history.
        return f"{self.user} · {self.conference}"

    @property
    def fingerprint(self):
        return hashlib.sha256(self.token.encode()).hexdigest()[:12]


class Registration(models.Model):
    """Someone who holds a ticket for a conference, as the organisers' ticket system knows them.

    One registration per ticket and one per email address in a conference: the ticket id is what
    an import matches on, the email is what links the registration to an account (through a
    verified allauth address). Emails are stored in lower case so matching ignores case.
    """

    conference = models.ForeignKey(
        Conference,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("conference"),
    )
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    ticket_type = models.CharField(_("ticket type"), max_length=100, blank=True)
    ticket_id = models.CharField(
        _("ticket id"),
        max_length=100,
        blank=True,
        help_text=_("The ticket system's id; imports match rows on it. Empty for hand-made ones."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["conference", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "email"],
                name="registration_email_unique_per_conference",
                violation_error_message=_("This email is already registered for the conference."),
            ),
            models.UniqueConstraint(
                fields=["conference", "ticket_id"],
                condition=~models.Q(ticket_id=""),
                name="registration_ticket_unique_per_conference",
                violation_error_message=_("This ticket id is already used in the conference."),
            ),
        ]

    def __str__(self):
        return f"{self.name or self.email} · {self.conference}"

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)
        self.ticket_id = self.ticket_id.strip()


def normalise_email(email):
    return (email or "").strip().lower()


class Reservation(models.Model):
    """A held seat in a session with a seat limit. Taken and given back in attendees/seats.py."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reservations", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reservations",
        verbose_name=_("attendee"),
    )
    created = models.DateTimeField(_("reserved"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_seat_per_person_and_session"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.session}"


class WaitlistEntry(models.Model):
    """A place in the queue for a full session; the lowest position gets the next free seat."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="waitlist", verbose_name=_("session")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("attendee"),
    )
    # Not positive: people moved back by a lower seat limit go in front of position 1.
    position = models.IntegerField(_("position"))
    created = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["position", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="one_waitlist_place_per_person_and_session"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.session} (#{self.position})"


class SessionSeats(Session):
    """Sessions as the seats admin shows them: reservations, waitlist, seat limit."""

    # Its own manager, so its migration does not depend on how Session's managers change.
    objects = SessionManager()

    class Meta:
        proxy = True
        verbose_name = _("session seats")
        verbose_name_plural = _("session seats")


class VisitorInterest(models.Model):
    """How many visitors without an account hold a session in their agenda: a count, never who
    (their agendas live in their browser sessions)."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="visitor_interest"
    )
    visitors = models.PositiveIntegerField(_("visitors"), default=0)

    class Meta:
        verbose_name = _("visitor interest")
        verbose_name_plural = _("visitor interest")

    def __str__(self):
        return f"{self.session}: {self.visitors}"

    @classmethod
    def count_in(cls, session_pk):
        cls.objects.get_or_create(session_id=session_pk)
        cls.objects.filter(session_id=session_pk).update(visitors=models.F("visitors") + 1)

    @classmethod
    def count_out(cls, session_pks):
        cls.objects.filter(session_id__in=session_pks, visitors__gt=0).update(
            visitors=models.F("visitors") - 1
        )


class ChangeEmailQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeEmail.Status.PENDING)

    def unqueued(self):
        return self.pending().filter(task_id="")


class ChangeEmail(models.Model):
    """The e-mail telling one person what a published version changed in their agenda: one row
    per person and version, made before any mail is queued, so it is sent once and never lost
    (attendees/change_emails.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed: given up")
        SKIPPED = "skipped", _("Not sent: nothing to tell any more")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="change_emails",
        verbose_name=_("attendee"),
    )
    version = models.ForeignKey(
        ScheduleVersion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("schedule version"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The queued task that sends it: how a restarted worker tells a mail still waiting in the
    # queue from one whose worker died (change_emails.resume).
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = ChangeEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("change e-mail")
        verbose_name_plural = _("change e-mails")
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "version"], name="one_change_email_per_person_and_version"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.version}"
