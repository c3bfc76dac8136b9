import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, validate_timezone_name
from schedule.models import Session


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
