"""Seats in sessions with a seat limit: reserve, cancel, the waitlist, and changing the limit.

Never overbooked: every write here locks the session's row (SELECT ... FOR NO KEY UPDATE on
PostgreSQL; SQLite serialises writes anyway) and counts the reservations under that lock, so N
requests for the last K seats give exactly K reservations. A freed seat goes to the first person
waiting who holds no overlapping seat (the others keep their place), and they are emailed once
the transaction commits (attendees/notifications.py).
"""

from dataclasses import dataclass, field

from babel import Locale, UnknownLocaleError
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language, ngettext, pgettext_lazy, to_locale
from django.utils.translation import gettext as _

from attendees.models import AgendaEntry, Reservation, WaitlistEntry
from attendees.notifications import tell_moved_to_waitlist, tell_promoted
from attendees.registrations import RegistrationStatus, registration_status
from schedule.models import Session

FILLING_FROM = 0.75


class SeatError(Exception):
    """A seat action that cannot be done; `message` says why to the attendee or organiser."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class SeatLimitChange:
    promoted: list = field(default_factory=list)  # Reservations given to people who waited
    moved_to_waitlist: list = field(default_factory=list)  # WaitlistEntries of people moved back


@dataclass(frozen=True)
class SeatCount:
    """What the schedule shows of a limited session: seats left, and whether it is filling up."""

    limit: int
    taken: int

    @property
    def left(self):
        return max(self.limit - self.taken, 0)

    @property
    def level(self):
        if self.left == 0:
            return "full"
        return "filling" if self.taken > self.limit * FILLING_FROM else "open"

    @property
    def label(self):
        if self.level == "full":
            return _("Full — join the waitlist")
        values = {"left": self.left, "limit": self.limit}
        if self.level == "filling":
            return (
                ngettext(
                    "Filling: %(left)d of %(limit)d seat left",
                    "Filling: %(left)d of %(limit)d seats left",
                    self.limit,
                )
                % values
            )
        return (
            ngettext(
                "Limited: %(left)d of %(limit)d seat left",
                "Limited: %(left)d of %(limit)d seats left",
                self.limit,
            )
            % values
        )


def waitlist_place():
    """A WaitlistEntry's place in its session's queue, 1 for next, as an expression: the entries
    ahead of it counted in the order promotion follows (position, then joined, then id)."""
    ahead = (
        WaitlistEntry.objects.filter(session=OuterRef("session"))
        .filter(
            Q(position__lt=OuterRef("position"))
            | Q(position=OuterRef("position"), created__lt=OuterRef("created"))
            | Q(position=OuterRef("position"), created=OuterRef("created"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + Value(1)


# "You are 3rd on the waitlist": one message per CLDR ordinal category, so each language writes
# its own ordinals ("3rd", "3e", "3.") and babel says which category a number falls in.
WAITLIST_PLACE = {
    "zero": pgettext_lazy("ordinal category zero", "You are %(place)dth on the waitlist."),
    "one": pgettext_lazy("ordinal category one", "You are %(place)dst on the waitlist."),
    "two": pgettext_lazy("ordinal category two", "You are %(place)dnd on the waitlist."),
    "few": pgettext_lazy("ordinal category few", "You are %(place)drd on the waitlist."),
    "many": pgettext_lazy("ordinal category many", "You are %(place)dth on the waitlist."),
    "other": pgettext_lazy("ordinal category other", "You are %(place)dth on the waitlist."),
}


def waitlist_place_label(place):
    """'You are 1st on the waitlist.', '… 22nd …', '… 111th …', in the active language."""
    try:
        category = Locale.parse(to_locale(get_language() or "en")).ordinal_form(place)
    except (UnknownLocaleError, ValueError):
        category = "other"
    return WAITLIST_PLACE[category] % {"place": place}


def with_seats_taken(sessions):
    """Sessions annotated with their reservation count, which seat_count() reads."""
    return sessions.annotate(seats_taken=seats_taken())


def seats_taken():
    """Reservations per session, as a subquery: no GROUP BY, so joins added by filters
    (speakers, agenda) cannot inflate it."""
    count = (
        Reservation.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(taken=Count("pk"))
        .values("taken")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def seat_count(session):
    """The seat count of a session loaded with_seats_taken() (no query), else one query."""
    taken = getattr(session, "seats_taken", None)
    if taken is None:
        taken = session.reservations.count()
    return SeatCount(limit=session.seat_limit, taken=taken)


def check_registered(*, conference, user):
    """Raise SeatError unless the user is signed in with a verified, registered address."""
    status = registration_status(conference=conference, user=user)
    if status is RegistrationStatus.ANONYMOUS:
        raise SeatError(_("Log in to reserve a seat."), code="anonymous")
    if status is RegistrationStatus.UNVERIFIED:
        raise SeatError(
            _(
                "Your email address is registered for %(conference)s but not verified yet. "
                "Follow the link in the email we sent you, then reserve."
            )
            % {"conference": conference.name},
            code="unverified",
        )
    if status is RegistrationStatus.NOT_REGISTERED:
        raise SeatError(
            _(
                "Only registered attendees of %(conference)s can reserve seats, and none of your "
                "verified email addresses is registered."
            )
            % {"conference": conference.name},
            code="not_registered",
        )


@transaction.atomic
def reserve_seat(*, session, user):
    """A seat for the user, and the session in their agenda; or SeatError saying why not."""
    check_registered(conference=session.conference, user=user)
    # Lock the person too, so two tabs cannot reserve two overlapping sessions at once.
    list(
        get_user_model()
        ._default_manager.select_for_update(no_key=True)
        .filter(pk=user.pk)
        .values_list("pk")
    )
    session = lock_session(session)
    check_open(session)
    check_no_seat_yet(session, user)
    clash = overlapping_reservation(session, user)
    if clash is not None:
        raise SeatError(
            _(
                "“%(title)s” overlaps with your reservation for “%(other)s”. "
                "Cancel that one first if you would rather attend this."
            )
            % {"title": session.title, "other": clash.session.title},
            code="overlap",
        )
    if seats_left(session) <= 0:
        raise SeatError(
            _("“%(title)s” is full. Join the waitlist to get the first seat that frees up.")
            % {"title": session.title},
            code="full",
        )
    reservation = Reservation.objects.create(session=session, user=user)
    WaitlistEntry.objects.filter(session=session, user=user).delete()
    AgendaEntry.objects.get_or_create(user=user, session=session)
    return reservation


@transaction.atomic
def cancel_reservation(*, session, user):
    """Give the seat back; it goes to the first person waiting. Returns who got seats."""
    session = give_up(
        Reservation,
        session=session,
        user=user,
        missing=_("You have no reservation for “%(title)s”."),
        code="not_reserved",
    )
    return promote_from_waitlist(session)


@transaction.atomic
def join_waitlist(*, session, user):
    check_registered(conference=session.conference, user=user)
    session = lock_session(session)
    check_open(session)
    check_no_seat_yet(session, user)
    if WaitlistEntry.objects.filter(session=session, user=user).exists():
        raise SeatError(
            _("You are already on the waitlist for “%(title)s”.") % {"title": session.title},
            code="already_waitlisted",
        )
    if seats_left(session) > 0:
        raise SeatError(
            _("“%(title)s” still has free seats: reserve one instead.") % {"title": session.title},
            code="seats_left",
        )
    last = session.waitlist.aggregate(last=Max("position"))["last"] or 0
    return WaitlistEntry.objects.create(session=session, user=user, position=last + 1)


@transaction.atomic
def leave_waitlist(*, session, user):
    give_up(
        WaitlistEntry,
        session=session,
        user=user,
        missing=_("You are not on the waitlist for “%(title)s”."),
        code="not_waitlisted",
    )


@transaction.atomic
def change_seat_limit(*, session, new_limit, confirmed=False):
    """Set the seat limit (None: unlimited). Raising it gives seats to people waiting; lowering
    it below the reservations held needs confirmed=True and moves the latest reservations back
    to the top of the waitlist, in their order, telling each of them by email."""
    if new_limit is not None and new_limit < 0:
        raise SeatError(_("A seat limit cannot be negative."), code="negative_limit")
    locked = lock_session(session)
    held = list(locked.reservations.select_related("user").order_by("created", "id"))
    excess = held[new_limit:] if new_limit is not None else []
    if excess and not confirmed:
        raise SeatError(
            ngettext(
                "%(held)d seats are reserved: lowering the limit to %(limit)d moves %(count)d "
                "person, the latest to reserve, back to the top of the waitlist. Confirm to go "
                "ahead.",
                "%(held)d seats are reserved: lowering the limit to %(limit)d moves %(count)d "
                "people, the latest to reserve, back to the top of the waitlist. Confirm to go "
                "ahead.",
                len(excess),
            )
            % {"held": len(held), "limit": new_limit, "count": len(excess)},
            code="needs_confirmation",
        )
    change = SeatLimitChange()
    if excess:
        first = locked.waitlist.aggregate(first=Min("position"))["first"] or 1
        Reservation.objects.filter(pk__in=[r.pk for r in excess]).delete()
        change.moved_to_waitlist = WaitlistEntry.objects.bulk_create(
            WaitlistEntry(session=locked, user=r.user, position=first - len(excess) + index)
            for index, r in enumerate(excess)
        )
        for place, entry in enumerate(change.moved_to_waitlist, start=1):
            tell_moved_to_waitlist(locked, entry.user, place, new_limit)
    locked.seat_limit = new_limit
    locked.save(update_fields=["seat_limit", "updated"])
    session.seat_limit = new_limit
    change.promoted = promote_from_waitlist(locked)
    return change


def give_up(model, *, session, user, missing, code):
    """Delete the user's reservation or waitlist place in the locked session, which is returned;
    SeatError with `missing` when they hold none."""
    check_signed_in(user)
    session = lock_session(session)
    deleted, _counts = model.objects.filter(session=session, user=user).delete()
    if not deleted:
        raise SeatError(missing % {"title": session.title}, code=code)
    return session


def lock_session(session):
    """Lock the session row so two last-seat requests cannot both win; return it fresh."""
    return (
        Session._default_manager.select_related("conference")
        .select_for_update(of=("self",), no_key=True)
        .get(pk=session.pk)
    )


def check_signed_in(user):
    if not user.is_authenticated:
        raise SeatError(_("Log in to manage your seats."), code="anonymous")


def check_no_seat_yet(session, user):
    if Reservation.objects.filter(session=session, user=user).exists():
        raise SeatError(
            _("You already have a seat in “%(title)s”.") % {"title": session.title},
            code="already_reserved",
        )


def check_open(session):
    if session.is_cancelled:
        raise SeatError(_("“%(title)s” is cancelled.") % {"title": session.title}, code="cancelled")
    if session.seat_limit is None:
        raise SeatError(
            _("“%(title)s” has no seat limit: come along, no reservation needed.")
            % {"title": session.title},
            code="unlimited",
        )


def seats_left(session):
    return session.seat_limit - Reservation.objects.filter(session=session).count()


def overlapping_reservation(session, user):
    """The user's seat in another live session sharing time with this one, if any."""
    return (
        Reservation.objects.filter(
            user=user, session__start__lt=session.end, session__end__gt=session.start
        )
        .exclude(session=session)
        .exclude(session__status=Session.Status.CANCELLED)
        .select_related("session")
        .first()
    )


def promote_from_waitlist(session):
    """Give the free seats of a locked session to the first people waiting, and tell them."""
    if session.is_cancelled:
        return []
    free = None if session.seat_limit is None else seats_left(session)
    if free is not None and free <= 0:
        return []
    promoted = []
    for entry in session.waitlist.select_related("user"):
        if free is not None and len(promoted) >= free:
            break
        if overlapping_reservation(session, entry.user) is not None:
            continue  # keeps their place; the seat goes to the next person who can take it
        promoted.append(Reservation.objects.create(session=session, user=entry.user))
        entry.delete()
        AgendaEntry.objects.get_or_create(user=entry.user, session=session)
        tell_promoted(session, entry.user)
    return promoted
