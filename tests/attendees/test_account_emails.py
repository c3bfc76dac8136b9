"""Account emails name the site and the conference the person came from, greet them by the
name they gave or their address, and link to the configured site address: never the host and
port the request came in on, never the username made up for them."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client, override_settings

from attendees.models import Profile
from tests.factories import ConferenceFactory

PASSWORD = "a long passphrase 1"
SCHEDULE = "/pytorch-europe/schedule/"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("conference"),
    pytest.mark.usefixtures("configured_site"),
]


@pytest.fixture
def configured_site():
    with override_settings(
        SITE_NAME="Schedules by the PyTorch Foundation",
        SITE_URL="https://schedule.example.org",
        ALLOWED_HOSTS=["127.0.0.1"],
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture
def conference():
    return ConferenceFactory(name="PyTorch Conference Europe", slug="pytorch-europe")


@pytest.fixture
def dev_server():
    """A browser on the development server's address, as in the report."""
    return Client(headers={"host": "127.0.0.1:8101"})


def sign_up(client, email, next_url=SCHEDULE):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/signup/", data)


def the_email():
    (message,) = mail.outbox
    return message


def assert_no_host_port_or_username(text, username, email):
    assert "127.0.0.1" not in text
    assert ":8" not in text
    # A username made from the address is part of it: look outside the address.
    assert username not in text.replace(email, "")


def test_confirmation_names_site_and_conference_and_never_the_host_or_username(dev_server):
    sign_up(dev_server, "ann.js@example.org")

    message = the_email()
    username = get_user_model().objects.get(email="ann.js@example.org").username
    assert message.subject == (
        "[Schedules by the PyTorch Foundation] Confirm your email address for "
        "PyTorch Conference Europe"
    )
    assert "Hello ann.js@example.org," in message.body
    assert "Schedules by the PyTorch Foundation" in message.body
    assert "PyTorch Conference Europe" in message.body
    for text in (message.subject, message.body):
        assert_no_host_port_or_username(text, username, "ann.js@example.org")


def test_confirmation_link_is_on_the_site_address_and_leads_back_to_the_conference(dev_server):
    sign_up(dev_server, "ann@example.org")

    link = next(line for line in the_email().body.splitlines() if line.startswith("https://"))
    assert link.startswith("https://schedule.example.org/accounts/confirm-email/")
    assert link.endswith("/?next=%2Fpytorch-europe%2Fschedule%2F")


def test_confirmation_without_a_conference_names_the_site(dev_server):
    sign_up(dev_server, "ann@example.org", next_url=None)

    message = the_email()
    assert message.subject == "[Schedules by the PyTorch Foundation] Confirm your email address"
    assert "Thank you for signing up on Schedules by the PyTorch Foundation." in message.body


def test_confirmation_greets_by_the_name_the_person_gave(dev_server):
    user = get_user_model().objects.create_user("ann.1795890939", "ann@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    Profile.objects.filter(user=user).update(display_name="Ann")
    dev_server.force_login(user, backend="attendees.backends.AccountBackend")

    dev_server.post("/accounts/email/", {"email": user.email, "action_send": ""})

    message = the_email()
    assert message.body.startswith("Hello Ann,\n")
    assert_no_host_port_or_username(message.subject + message.body, user.username, user.email)


def test_password_reset_names_the_site_and_links_to_its_address(dev_server):
    user = get_user_model().objects.create_user("ann.1795890939", "ann@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)

    dev_server.post("/accounts/password/reset/", {"email": "ann@example.org", "next": SCHEDULE})

    message = the_email()
    assert message.subject == "[Schedules by the PyTorch Foundation] Choose a new password"
    assert "\nhttps://schedule.example.org/accounts/password/reset/key/" in message.body
    assert "Schedules by the PyTorch Foundation, the schedule of PyTorch Conference Europe" in (
        message.body
    )
    assert_no_host_port_or_username(message.subject + message.body, user.username, user.email)


def test_reset_for_an_unknown_address_names_the_site_not_the_host(dev_server):
    dev_server.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    message = the_email()
    assert message.subject.startswith("[Schedules by the PyTorch Foundation] ")
    assert "https://schedule.example.org/accounts/signup/" in message.body
    assert "127.0.0.1" not in message.subject + message.body


@override_settings(SITE_URL="")
def test_in_development_the_link_leads_to_the_server_that_sent_it_but_names_stay_names(
    dev_server,
):
    sign_up(dev_server, "ann@example.org")

    message = the_email()
    assert "\nhttp://127.0.0.1:8101/accounts/confirm-email/" in message.body
    assert "127.0.0.1" not in message.subject
    assert message.body.startswith("Hello ann@example.org,\n")
