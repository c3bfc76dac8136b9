"""Hostile input gets a clear 400 or the page it should, never a 500 or a false outage."""

import pytest
from django.test import Client

from tests.attendees.conftest import make_attendee

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/pytorch-conference-europe-2026/schedule/?speaker=%00",
        "/pytorch-conference-europe-2026/schedule/?q=a%00b",
        "/pytorch-conference-europe-2026/speakers/?q=%00",
        "/pytorch-conference-europe-2026/sessions/%00/",
        "/%00/schedule/",
    ],
)
def test_a_nul_character_is_a_bad_request_not_a_database_outage(client, demo_conference, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_a_form_or_a_cookie_is_a_bad_request(client, demo_conference):
    session = demo_conference.sessions.first()
    toggle = f"/{demo_conference.slug}/sessions/{session.slug}/agenda/"

    assert client.post(toggle, {"action": "add\x00"}).status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    assert client.get(f"/{demo_conference.slug}/schedule/").status_code == 400


@pytest.mark.parametrize("next_url", ["foo", "javascript:alert(1)", "//evil.example/", "/\\evil"])
def test_a_form_goes_back_only_to_a_page_of_this_site(client, demo_conference, next_url):
    session = demo_conference.sessions.first()

    response = client.post(
        f"/{demo_conference.slug}/sessions/{session.slug}/agenda/",
        {"action": "add", "next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{session.get_absolute_url()}#agenda-toggle-{session.slug}"


def test_a_seat_action_with_a_strange_next_goes_back_to_the_session(demo_conference):
    session = demo_conference.sessions.first()
    session.seat_limit = 5
    session.save()
    client = Client()
    client.force_login(make_attendee(demo_conference, "ada@example.org"))

    response = client.post(
        f"/{demo_conference.slug}/sessions/{session.slug}/seat/",
        {"action": "reserve", "next": "foo"},
    )

    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()


def test_the_admin_session_list_ignores_a_conference_filter_that_is_no_id(
    admin_client, demo_conference
):
    response = admin_client.get("/admin/schedule/session/?conference__id__exact=x")

    assert response.status_code == 200
    assert "Select session to change" in response.content.decode()
