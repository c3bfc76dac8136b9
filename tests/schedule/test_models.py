import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, StageFactory

pytestmark = pytest.mark.django_db

NINE_FIFTY_PARIS = dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC)


def test_session_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(start=NINE_FIFTY_PARIS, end=NINE_FIFTY_PARIS - dt.timedelta(minutes=5))


def test_session_cannot_end_when_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(start=NINE_FIFTY_PARIS, end=NINE_FIFTY_PARIS)


def test_database_refuses_an_update_that_puts_the_end_first():
    session = SessionFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(end=session.start - dt.timedelta(hours=1))


def test_session_slug_is_unique_within_a_conference():
    session = SessionFactory(slug="gemma-4")

    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(conference=session.conference, slug="gemma-4")


def test_session_slug_may_repeat_across_conferences():
    SessionFactory(slug="gemma-4")
    SessionFactory(slug="gemma-4", conference=ConferenceFactory(name="Other"))

    assert Session.objects.filter(slug="gemma-4").count() == 2


def test_new_session_starts_at_revision_zero():
    assert SessionFactory().revision == 0


@pytest.mark.parametrize(
    "change",
    [
        {"start": NINE_FIFTY_PARIS - dt.timedelta(minutes=30)},
        {"end": NINE_FIFTY_PARIS + dt.timedelta(hours=1)},
        {"title": "A new title"},
        {"status": Session.Status.CANCELLED},
    ],
    ids=["start", "end", "title", "status"],
)
def test_revision_goes_up_when_time_place_title_or_status_changes(change):
    session = Session.objects.get(pk=SessionFactory().pk)

    for field, value in change.items():
        setattr(session, field, value)
    session.save()

    assert Session.objects.get(pk=session.pk).revision == 1


def test_revision_goes_up_when_the_stage_changes():
    session = Session.objects.get(pk=SessionFactory().pk)
    session.stage = StageFactory(conference=session.conference)

    session.save()

    assert Session.objects.get(pk=session.pk).revision == 1


def test_revision_stays_when_only_the_abstract_changes():
    session = Session.objects.get(pk=SessionFactory().pk)
    session.abstract = "Now with more detail."

    session.save()

    assert Session.objects.get(pk=session.pk).revision == 0


def test_revision_counts_each_saved_change_once():
    session = Session.objects.get(pk=SessionFactory().pk)
    session.title = "Second title"
    session.save()
    session.save()
    session.start += dt.timedelta(minutes=5)
    session.end += dt.timedelta(minutes=5)
    session.save()

    assert Session.objects.get(pk=session.pk).revision == 2


def test_overlapping_on_stage_finds_only_sessions_sharing_time_on_that_stage():
    session = SessionFactory()
    stage = session.stage
    touching = SessionFactory(
        conference=session.conference,
        stage=stage,
        start=session.end,
        end=session.end + dt.timedelta(minutes=10),
    )
    overlapping = SessionFactory(
        conference=session.conference,
        stage=stage,
        start=session.start + dt.timedelta(minutes=10),
        end=session.end + dt.timedelta(minutes=10),
    )
    SessionFactory(conference=session.conference, start=session.start, end=session.end)
    SessionFactory(
        conference=session.conference,
        stage=stage,
        start=session.start,
        end=session.end,
        status=Session.Status.CANCELLED,
    )

    assert list(session.overlapping_on_stage()) == [overlapping]
    assert touching not in session.overlapping_on_stage()
