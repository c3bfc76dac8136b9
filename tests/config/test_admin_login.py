"""Organisers sign in to the admin with the username createsuperuser asked them for, or with
their email in any case; the public login stays email only."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

PASSWORD = "a long passphrase 1"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def organiser(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command(
            "createsuperuser",
            username="grace",
            email="Grace@Example.org",
            interactive=False,
            verbosity=0,
        )
        yield get_user_model().objects.get(username="grace")


def admin_login(client, login, password=PASSWORD):
    return client.post("/admin/login/?next=/admin/", {"username": login, "password": password})


@pytest.mark.parametrize("login", ["grace", "Grace@Example.org", "grace@example.org"])
def test_organiser_signs_in_to_the_admin(client, login):
    response = admin_login(client, login)

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("login", ["grace", "grace@example.org"])
def test_wrong_password_is_refused_whatever_the_login(client, login):
    response = admin_login(client, login, "not the password")

    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.content.decode()


def test_an_attendee_account_cannot_enter_the_admin(client):
    get_user_model().objects.create_user("ann", "ann@example.org", PASSWORD)

    response = admin_login(client, "ann")

    assert response.status_code == 200


def test_public_login_takes_the_email_not_the_username(client):
    by_email = client.post("/accounts/login/", {"login": "grace@example.org", "password": PASSWORD})
    client.logout()
    by_username = client.post("/accounts/login/", {"login": "grace", "password": PASSWORD})

    assert by_email.status_code == 302
    assert by_username.status_code == 200
