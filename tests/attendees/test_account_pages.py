"""Every account page is a page of the site: its layout, its type scale, and, for someone who
came from a conference, that conference's header and a way back to it."""

import re

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from tests.factories import ConferenceFactory

PASSWORD = "a long passphrase 1"
SCHEDULE = "/paris-conf/schedule/"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def fast_password_hashing():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def conference():
    return ConferenceFactory(name="Paris Conf", slug="paris-conf")


@pytest.fixture
def ada():
    user = get_user_model().objects.create_user("ada.1795890939", "ada@example.org", PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    return user


@pytest.fixture
def signed_in(ada):
    client = Client()
    client.force_login(ada, backend="attendees.backends.AccountBackend")
    return client


def confirm_path(ada):
    address = EmailAddress.objects.get(user=ada)
    return f"/accounts/confirm-email/{EmailConfirmationHMAC(address).key}/"


def reset_path(ada):
    key = f"{user_pk_to_url_str(ada)}-{default_token_generator.make_token(ada)}"
    return f"/accounts/password/reset/key/{key}/"


SIGNED_OUT_PAGES = {
    "login": lambda ada: "/accounts/login/",
    "signup": lambda ada: "/accounts/signup/",
    "password reset": lambda ada: "/accounts/password/reset/",
    "password reset done": lambda ada: "/accounts/password/reset/done/",
    "password reset from key done": lambda ada: "/accounts/password/reset/key/done/",
    "verification sent": lambda ada: "/accounts/confirm-email/",
    "email confirm": confirm_path,
    "inactive": lambda ada: "/accounts/inactive/",
}
SIGNED_IN_PAGES = {
    "logout": "/accounts/logout/",
    "email": "/accounts/email/",
    "password change": "/accounts/password/change/",
    "reauthenticate": "/accounts/reauthenticate/",
}


def assert_in_site_layout(html):
    assert '<a class="skip-link" href="#main">' in html
    assert '<header class="site-header">' in html
    assert html.count("<h1>") == 1
    assert 'class="account-form"' in html or "<form" not in html.split('id="main"')[1]


def assert_leads_back_to_paris_conf(html):
    assert f'<a class="brand" href="{SCHEDULE}">' in html
    assert '<span class="brand-name">Paris Conf</span>' in html
    assert f'<a href="{SCHEDULE}">Back to Paris Conf schedule</a>' in html


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_account_page_is_in_the_conference_layout(client, conference, ada, name):
    response = client.get(SIGNED_OUT_PAGES[name](ada), {"next": SCHEDULE})

    html = response.content.decode()
    assert response.status_code == 200
    assert_in_site_layout(html)
    assert_leads_back_to_paris_conf(html)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_account_page_is_in_the_conference_layout(signed_in, conference, name):
    response = signed_in.get(SIGNED_IN_PAGES[name], {"next": SCHEDULE})

    html = response.content.decode()
    assert response.status_code == 200
    assert_in_site_layout(html)
    assert_leads_back_to_paris_conf(html)


def test_password_reset_from_key_page_keeps_the_conference(client, conference, ada):
    # The key is swapped for a session token by a redirect that must keep `next`.
    response = client.get(reset_path(ada), {"next": SCHEDULE}, follow=True)

    html = response.content.decode()
    assert response.redirect_chain and response.status_code == 200
    assert 'name="password1"' in html
    assert_leads_back_to_paris_conf(html)


def test_account_page_without_next_shows_the_site_header_only(client, conference):
    html = client.get("/accounts/login/").content.decode()

    assert '<a class="brand" href="/">' in html
    assert "Back to" not in html


@pytest.mark.parametrize(
    "next_url",
    [
        f"https://evil.example{SCHEDULE}",
        f"//evil.example{SCHEDULE}",
        "/no-such-conference/schedule/",
        "javascript:alert(1)",
    ],
)
def test_next_on_another_host_or_no_conference_names_no_conference(client, conference, next_url):
    html = client.get("/accounts/login/", {"next": next_url}).content.decode()

    assert "Paris Conf" not in html
    assert "Back to" not in html


def test_header_link_from_the_login_page_still_leads_back_to_the_conference(client, conference):
    # The header's "Sign up" on the login page sends next=/accounts/login/?next=/paris-conf/…
    nested = f"/accounts/login/?next={SCHEDULE}"

    html = client.get("/accounts/signup/", {"next": nested}).content.decode()

    assert_leads_back_to_paris_conf(html)


def test_login_form_is_labelled_with_16px_inputs_and_its_error_is_tied_to_the_field(client):
    response = client.post("/accounts/signup/", {"email": "not an address", "password1": "x"})

    html = response.content.decode()
    field = re.search(r'<input type="email" name="email"[^>]*>', html).group(0)
    assert '<label for="id_email">' in html
    assert 'aria-invalid="true"' in field
    described_by = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert f'id="{described_by}"' in html
    assert 'class="errorlist" id="id_email_error"' in html


def test_signing_up_from_a_conference_returns_to_it(client, conference):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "grace@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": SCHEDULE,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == SCHEDULE


def test_confirming_from_the_email_link_returns_to_the_conference(client, conference, ada):
    page = client.get(confirm_path(ada), {"next": SCHEDULE}).content.decode()
    action = re.search(r'<form class="account-form" method="post" action="([^"]+)"', page)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))

    response = client.post(action.group(1), fields)

    assert response["Location"] == SCHEDULE
    assert EmailAddress.objects.get(user=ada).verified
