import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from attendees.models import Registration
from tests.factories import ConferenceFactory, SessionFactory

NINE = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris


def make_attendee(conference, email, *, registered=True, verified=True):
    """A user whose address is (or is not) verified and (or is not) on the registration list."""
    # No password: hashing one per attendee would make the 50-person tests slow.
    user = get_user_model().objects.create_user(email.split("@")[0], email)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if registered:
        Registration.objects.create(
            conference=conference, email=email, name=email.split("@")[0].title(), ticket_id=email
        )
    return user


@pytest.fixture
def conference(db):
    return ConferenceFactory(
        name="Paris Conf", registration_url="https://tickets.example.org/paris-conf"
    )


@pytest.fixture
def workshop(conference):
    return SessionFactory(
        conference=conference,
        title="Triton workshop",
        start=NINE,
        end=NINE + dt.timedelta(hours=1),
        seat_limit=10,
    )


@pytest.fixture
def attendee(conference):
    return make_attendee(conference, "ada@example.org")


@pytest.fixture
def attendees(conference):
    return lambda count, prefix="person": [
        make_attendee(conference, f"{prefix}{n}@example.org") for n in range(count)
    ]
