import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError

from conference.models import Conference, Stage
from tests.factories import ConferenceFactory, SessionFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["CEST", "Europe/Pariss", "UTC+2", "", "../../etc/passwd"])
def test_conference_rejects_a_timezone_that_is_not_iana(name):
    conference = ConferenceFactory.build(timezone=name)

    with pytest.raises(ValidationError) as error:
        conference.full_clean()

    assert "timezone" in error.value.message_dict


@pytest.mark.parametrize("name", ["Europe/Paris", "Pacific/Kiritimati", "America/St_Johns", "UTC"])
def test_conference_accepts_iana_timezones(name):
    ConferenceFactory.build(timezone=name).full_clean()


def test_conference_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConferenceFactory(start_date=dt.date(2026, 4, 8), end_date=dt.date(2026, 4, 7))


def test_conference_rejects_an_unknown_locale():
    with pytest.raises(ValidationError) as error:
        ConferenceFactory.build(locale="xx-nowhere").full_clean()

    assert "locale" in error.value.message_dict


@pytest.mark.parametrize(
    ("locale", "twenty_four_hours"), [("fr-FR", True), ("en-GB", True), ("en-US", False)]
)
def test_conference_clock_follows_its_locale(locale, twenty_four_hours):
    assert ConferenceFactory.build(locale=locale).uses_24_hour_clock is twenty_four_hours


def test_stage_slug_is_unique_within_a_conference():
    stage = StageFactory(slug="master-stage")

    with pytest.raises(IntegrityError), transaction.atomic():
        StageFactory(conference=stage.conference, slug="master-stage")


def test_stage_slug_may_repeat_across_conferences():
    StageFactory(slug="master-stage")
    StageFactory(slug="master-stage", conference=ConferenceFactory(name="Other"))

    assert Stage.objects.filter(slug="master-stage").count() == 2


def test_conference_days_are_its_local_dates():
    conference = ConferenceFactory(start_date=dt.date(2026, 4, 7), end_date=dt.date(2026, 4, 9))

    assert conference.days == [dt.date(2026, 4, 7), dt.date(2026, 4, 8), dt.date(2026, 4, 9)]


def test_conference_list_puts_running_and_upcoming_first():
    past = ConferenceFactory(
        name="Past", start_date=dt.date(2025, 5, 1), end_date=dt.date(2025, 5, 2)
    )
    older = ConferenceFactory(
        name="Older", start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 5, 2)
    )
    later = ConferenceFactory(
        name="Later", start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 2)
    )
    running = ConferenceFactory(
        name="Running", start_date=dt.date(2026, 4, 7), end_date=dt.date(2026, 4, 8)
    )

    ordered = Conference.objects.current_and_upcoming_first(today=dt.date(2026, 4, 8))

    assert ordered == [running, later, past, older]


def test_deleting_a_conference_takes_its_sessions_and_stages_with_it():
    session = SessionFactory()

    session.conference.delete()

    assert not Stage.objects.exists()
    assert not Conference.objects.exists()


def test_a_stage_with_sessions_cannot_be_deleted_on_its_own():
    session = SessionFactory()

    with pytest.raises(RestrictedError):
        session.stage.delete()


@pytest.mark.parametrize("slug", ["admin", "accounts", "static", "healthz"])
def test_conference_slug_cannot_take_a_path_of_the_site(slug):
    with pytest.raises(ValidationError) as error:
        ConferenceFactory.build(slug=slug).full_clean()

    assert "slug" in error.value.message_dict
