"""The e-mail that tells people what a published schedule version changed in their agenda.

Publishing (schedule.versions.schedule_published) queues one task once its transaction commits:
announce_version finds who is affected (people who asked for these e-mails and whose agenda,
seat or waitlist place holds a session the version changed), makes one ChangeEmail row per
person (unique per person and version) and queues one send_change_email task per row, in one
transaction. Each send locks its row, sends, and marks it sent in one transaction: a row marked
sent is never sent again, and a refusal by the mail server is tried again later, then given up
and marked failed. A worker killed mid-way leaves its rows pending; resume() (run as each
worker starts: `manage.py resume_change_emails`) queues them again.

One task per person, not per batch: a refusal or a bad address delays that one person only, a
killed worker loses at most the mail in its hands, and any number of workers share the queue.
"""

import datetime as dt
import logging
from functools import partial
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from attendees.accounts import AccountAdapter
from attendees.agenda import Agenda
from attendees.models import AgendaEntry, ChangeEmail, Profile, Reservation, WaitlistEntry
from conference import timezones
from schedule import versions
from schedule.models import ScheduleVersion

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "attendees.change_emails.unsubscribe"
UNSUBSCRIBE_LINK_LIFETIME = dt.timedelta(days=365)
# How far back a starting worker looks for versions whose announcement a dead worker (or a
# process that died between publishing and queueing) left undone.
RESUME_WINDOW = dt.timedelta(days=1)


def announce_after_commit(version):
    """Queue the version's announcement once the publishing transaction commits: the worker
    must see the version, and publishing never waits for mail."""
    transaction.on_commit(partial(announce_version.enqueue, version.pk), robust=True)


@task()
def announce_version(version_id):
    """Queue the e-mails of a published version; how many were queued. Running it again
    queues nothing for anyone already queued or sent."""
    version = ScheduleVersion.objects.listed().filter(pk=version_id).first()
    return announce(version) if version is not None else 0


def announce(version):
    with transaction.atomic():
        ChangeEmail.objects.bulk_create(
            [
                ChangeEmail(user_id=pk, version=version)
                for pk in affected_people(version).values_list("pk", flat=True)
            ],
            batch_size=500,
            ignore_conflicts=True,
        )
        return queue(ChangeEmail.objects.filter(version=version).unqueued())


def affected_people(version):
    """People who asked for these e-mails, have an address, and whose agenda, seat or waitlist
    place holds a session the version changed."""
    changed = [change["session"] for change in version.changes]

    def holds(model):
        return Exists(model.objects.filter(user=OuterRef("pk"), session_id__in=changed))

    return (
        get_user_model()
        ._default_manager.filter(is_active=True, profile__change_emails=True)
        .exclude(email="")
        .filter(Q(holds(AgendaEntry)) | Q(holds(Reservation)) | Q(holds(WaitlistEntry)))
        .order_by("pk")
    )


def queue(change_emails):
    """Queue a send task for each row and remember its id; how many. Inside the caller's
    transaction: the rows and their tasks are committed together or not at all."""
    rows = list(change_emails)
    for row in rows:
        row.task_id = send_change_email.enqueue(row.pk).id
    ChangeEmail.objects.bulk_update(rows, ["task_id"], batch_size=500)
    return len(rows)


@task()
def send_change_email(change_email_id):
    """Send one person's e-mail of one version, once; its status afterwards."""
    with transaction.atomic():
        # Locked until the mail is sent and marked so: a second task for the same row (queued
        # again by resume()) waits here, then finds it sent.
        email = (
            ChangeEmail.objects.select_for_update(of=("self",))
            .select_related("user", "version__conference")
            .defer("version__snapshot")
            .filter(pk=change_email_id)
            .first()
        )
        if email is None or email.status != ChangeEmail.Status.PENDING:
            return email and email.status
        message = compose(email)
        if message is None:
            email.status = ChangeEmail.Status.SKIPPED
            email.save(update_fields=["status"])
            return email.status
        try:
            message.send()
        except Exception as error:  # whatever the mail backend raises: retried, then logged
            note_failure(email, error)
            return email.status
        email.status = ChangeEmail.Status.SENT
        email.attempts += 1
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "sent_at", "last_error"])
        return email.status


def note_failure(email, error):
    """Try again after the next delay of CHANGE_EMAIL_RETRY_DELAYS, or give up and say so."""
    delays = settings.CHANGE_EMAIL_RETRY_DELAYS
    email.attempts += 1
    # The mail server's answer can quote the address: the logs name people by id only.
    email.last_error = f"{type(error).__name__}: {error}".replace(email.user.email, "<address>")
    fields = ["attempts", "last_error"]
    if email.attempts > len(delays):
        email.status = ChangeEmail.Status.FAILED
        fields.append("status")
        logger.error(
            "Change e-mail of version %s to user %s failed %d times, given up: %s",
            email.version_id,
            email.user_id,
            email.attempts,
            email.last_error,
        )
    else:
        delay = delays[email.attempts - 1]
        retry = send_change_email.using(run_after=timezone.now() + dt.timedelta(seconds=delay))
        email.task_id = retry.enqueue(email.pk).id
        fields.append("task_id")
        logger.warning(
            "Change e-mail of version %s to user %s failed (attempt %d), trying again in %d s: %s",
            email.version_id,
            email.user_id,
            email.attempts,
            delay,
            email.last_error,
        )
    email.save(update_fields=fields)


def resume(now=None):
    """Queue again what dead workers left undone: the announcements of recent versions that
    made no e-mail yet, and pending e-mails whose task is not waiting in the queue any more
    (its worker was killed, or the task is gone). Safe while other workers run: a row being
    sent is locked (skipped on PostgreSQL, waited for on SQLite), and a second task for a row
    sends nothing twice. Returns how many e-mails were queued."""
    now = now or timezone.now()
    # An announcement makes all its rows in one transaction: a version with none was never
    # announced (or concerns nobody, and announcing it again is cheap).
    unannounced = ScheduleVersion.objects.listed().filter(
        ~Exists(ChangeEmail.objects.filter(version=OuterRef("pk"))),
        published_at__gte=now - RESUME_WINDOW,
    )
    queued = sum(announce(version) for version in unannounced.order_by("pk"))
    with transaction.atomic():
        pending = ChangeEmail.objects.pending().select_for_update(skip_locked=True).order_by("pk")
        queued += queue(row for row in pending if not waiting_in_queue(row.task_id))
    return queued


def waiting_in_queue(task_id):
    if not task_id:
        return False
    try:
        return send_change_email.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def compose(email):
    """The message for one row, or None when none of the person's sessions is affected any more
    (they took it out of their agenda) or they no longer want these e-mails."""
    user, version = email.user, email.version
    profile = Profile.objects.filter(user=user).first()
    if profile is None or not profile.change_emails or not user.email:
        return None
    conference = version.conference
    agenda = Agenda.for_user(user, conference)
    held = agenda.session_ids | set(agenda.seats)
    changes = [change for change in version.changes if change["session"] in held]
    if not changes:
        return None
    clock = person_clock(profile, conference)
    sessions = [
        {
            "title": change["title"],
            "url": session_url(conference, change),
            "notes": versions.change_notes(change, clock),
            "seat": seat_note(change, agenda.seats.get(change["session"])),
        }
        for change in changes
    ]
    unsubscribe_url = absolute(reverse("change_emails_unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        "site_name": settings.SITE_NAME,
        "greeting_name": AccountAdapter().get_user_display(user),
        "conference": conference,
        "conference_url": absolute(reverse("schedule:schedule", args=[conference.slug])),
        "version": version,
        "sessions": sessions,
        "count": len(sessions),
        "zone": clock.zone.key,
        "unsubscribe_url": unsubscribe_url,
        "profile_url": absolute(reverse("profile")),
    }
    subject = ngettext(
        "%(conference)s: %(count)d of your sessions changed (%(version)s)",
        "%(conference)s: %(count)d of your sessions changed (%(version)s)",
        len(sessions),
    ) % {"conference": conference.name, "count": len(sessions), "version": version.label}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("attendees/email/schedule_changed.txt", context),
        to=[user.email],
        headers={
            # RFC 8058: mail providers offer "Unsubscribe" and POST to it, with no cookie.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # The same for the same person and version: should a worker die between the mail
            # server's acceptance and the commit, the copy sent again can be recognised.
            "Message-ID": f"<schedule-change.{version.pk}.{user.pk}@{mail_domain()}>",
        },
    )
    message.attach_alternative(
        render_to_string("attendees/email/schedule_changed.html", context), "text/html"
    )
    return message


def person_clock(profile, conference):
    """The person's timezone and clock from their profile, else the conference's."""
    try:
        zone = timezones.get_zone(profile.timezone) if profile.timezone else conference.zone
    except timezones.UnknownTimezone:
        zone = conference.zone
    hour24 = {"24": True, "12": False}.get(profile.clock, conference.uses_24_hour_clock)
    return timezones.LocalClock(zone, hour24)


def seat_note(change, place):
    """What happens to the person's seat ("reserved") or waitlist place ("waitlisted"): as
    attendees/seats.py has it, which leaves reservations of a changed session as they are."""
    kinds = set(change["kinds"])
    if place == "reserved":
        if versions.CANCELLED in kinds:
            return _(
                "Your reservation is kept but there is no seat to take while the session is "
                "cancelled; it does not stop you from reserving another session at the same "
                "time, and it holds your seat again if the session is reinstated."
            )
        if versions.REMOVED in kinds:
            return _("Your reservation is kept as it was.")
        if versions.MOVED in kinds:
            return _("Your seat is kept for the new time.")
        if versions.ROOM in kinds:
            return _("Your seat is kept in the new room.")
        return _("Your seat is kept.")
    if place == "waitlisted":
        if versions.CANCELLED in kinds:
            return _(
                "No seats are given out while the session is cancelled; you keep your place on "
                "the waitlist."
            )
        return _("You keep your place on the waitlist.")
    return ""


def session_url(conference, change):
    if versions.REMOVED in change["kinds"]:
        return ""  # its page is gone
    return absolute(reverse("schedule:session", args=[conference.slug, change["slug"]]))


def absolute(path):
    return settings.SITE_URL + path


def mail_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def unsubscribe_token(user):
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token):
    """The user the link was made for; None when it was tampered with or has expired."""
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_LIFETIME)
    except signing.BadSignature:
        return None
    return get_user_model()._default_manager.filter(pk=pk).first()


def unsubscribe(user):
    Profile.objects.update_or_create(user=user, defaults={"change_emails": False})
