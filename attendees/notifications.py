"""The emails that seat changes send: sent once the change is committed, never before, and a
failing mail server never undoes a seat change."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import dateformat
from django.utils.translation import gettext as _

from conference import timezones


def local_start(session):
    local = timezones.to_local(session.start, session.conference.zone)
    return dateformat.format(local, "l j F, H:i T")


def tell_promoted(session, user):
    email_after_commit(
        user,
        _("You have a seat in “%(title)s”") % {"title": session.title},
        _(
            "Good news: a seat in “%(title)s” (%(when)s) at %(conference)s freed up and it is "
            "now yours. It is in your agenda.\n\nIf you cannot come after all, please cancel "
            "the reservation so the next person waiting gets the seat."
        )
        % {"title": session.title, "when": local_start(session), "conference": session.conference},
    )


def tell_moved_to_waitlist(session, user, place, limit):
    email_after_commit(
        user,
        _("Your seat in “%(title)s” moved to the waitlist") % {"title": session.title},
        _(
            "The organisers of %(conference)s reduced “%(title)s” (%(when)s) to %(limit)d "
            "seats, and your reservation was among the latest, so it is back on the waitlist: "
            "you are number %(place)d and get one of the first seats that frees up. We will "
            "email you when that happens."
        )
        % {
            "title": session.title,
            "when": local_start(session),
            "conference": session.conference,
            "limit": limit,
            "place": place,
        },
    )


def email_after_commit(user, subject, body):
    # Only once the seat change is really saved; a failing mail server must not undo it.
    if user.email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]), robust=True)
