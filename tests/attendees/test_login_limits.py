"""A conference's attendees share one address on its Wi-Fi: limits per address must not lock
them out, limits per account still stop password guessing, and behind the site's proxies the
client's own address counts."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

PASSWORD = "a long passphrase 1"
VENUE_WIFI = "203.0.113.7"

pytestmark = [
    pytest.mark.django_db,
    # Fifty password hashes at full strength would take most of a minute.
    pytest.mark.usefixtures("fast_password_hashing"),
]


@pytest.fixture
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def person(number):
    email = f"person{number}@example.org"
    user = get_user_model().objects.create_user(f"person{number}", email, PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return email


def log_in(email, password=PASSWORD, **headers):
    client = Client(REMOTE_ADDR=VENUE_WIFI, headers=headers)
    return client.post("/accounts/login/", {"login": email, "password": password})


def held_back(response):
    """allauth answers a login over its limits with the form and this error, not a 429."""
    return "Too many failed login attempts" in response.content.decode()


def test_fifty_people_behind_one_address_all_log_in():
    emails = [person(number) for number in range(50)]

    statuses = [log_in(email).status_code for email in emails]

    assert statuses == [302] * 50


def test_wrong_passwords_from_the_venue_do_not_lock_everyone_else_out():
    emails = [person(number) for number in range(11)]
    for email in emails[:10]:
        response = log_in(email, "not my password")
        assert response.status_code == 200 and not held_back(response)

    assert log_in(emails[10]).status_code == 302


def test_guessing_one_account_is_stopped_after_five_tries():
    email = person(1)
    for _try in range(5):
        log_in(email, "guess")

    assert held_back(log_in(email))


@override_settings(
    ALLAUTH_TRUSTED_PROXY_COUNT=1,
    ACCOUNT_RATE_LIMITS={"login_failed": "3/m/ip"},
)
def test_behind_the_proxy_each_client_is_counted_by_its_own_address():
    emails = [person(number) for number in range(5)]
    for email in emails[:3]:
        log_in(email, "wrong", x_forwarded_for="198.51.100.1")

    assert held_back(log_in(emails[3], "wrong", x_forwarded_for="198.51.100.1"))
    assert log_in(emails[4], x_forwarded_for="198.51.100.2").status_code == 302


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2)
def test_a_request_that_skipped_a_proxy_counts_by_its_own_address_without_an_error():
    email = person(1)

    assert log_in(email, x_forwarded_for="198.51.100.1").status_code == 302
