"""A first-time visitor's shared page carries no CSRF token: its POSTs are checked by where the
browser says they come from. Visitors with an agenda or an account get their own parts, in
the page without JavaScript, from one small request with it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from attendees.models import AgendaEntry
from schedule.models import Session

pytestmark = pytest.mark.django_db

DAY_URL = "/pytorch-conference-europe-2026/schedule/2026-04-08/?layout=list"
CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
]
SAME_ORIGIN = [{"Sec-Fetch-Site": "same-origin"}, {"Origin": "http://testserver"}]


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


def toggle_url(session):
    return reverse("attendees:toggle", args=[session.conference.slug, session.slug])


def first_time_visitor():
    """A browser that has only ever seen shared pages: no session, no CSRF cookie."""
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("headers", CROSS_SITE, ids=lambda h: "-".join(h.values()))
def test_a_cross_site_post_to_the_agenda_toggle_is_refused(gemma, headers):
    visitor = first_time_visitor()

    response = visitor.post(toggle_url(gemma), {"action": "add"}, headers=headers)

    assert response.status_code == 403
    assert response.content.decode() == "This form was sent from another site, so it was refused."
    assert "sessionid" not in visitor.cookies  # nothing was stored for anyone


@pytest.mark.parametrize("headers", SAME_ORIGIN, ids=lambda h: "-".join(h.values()))
def test_a_first_time_visitor_adds_to_the_agenda_without_a_token(gemma, headers):
    visitor = first_time_visitor()
    page = visitor.get(DAY_URL).content.decode()
    assert "csrfmiddlewaretoken" not in page

    response = visitor.post(toggle_url(gemma), {"action": "add", "next": DAY_URL}, headers=headers)

    assert response.status_code == 302
    assert response["Location"] == f"{DAY_URL}#agenda-toggle-{gemma.slug}"
    marked = visitor.get(response["Location"]).content.decode()
    assert marked.count('class="agenda-form in-agenda"') == 1
    assert f'id="agenda-toggle-{gemma.slug}"' in marked


def test_a_post_that_names_no_origin_still_needs_the_token(gemma):
    response = first_time_visitor().post(toggle_url(gemma), {"action": "add"})

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()


def test_a_visitor_with_a_session_still_needs_the_token(gemma):
    visitor = first_time_visitor()
    visitor.post(toggle_url(gemma), {"action": "add"}, headers=SAME_ORIGIN[0])
    assert "sessionid" in visitor.cookies

    response = visitor.post(toggle_url(gemma), {"action": "remove"}, headers=SAME_ORIGIN[0])

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("schedule:notice_read", {"notice": "time"}),
        ("schedule:timezone", {"tz": "Asia/Tokyo", "clock": "24", "next": DAY_URL}),
    ],
)
def test_the_other_posts_of_a_first_time_visitor_check_where_they_come_from(
    demo_conference, name, data
):
    url = reverse(name, args=[demo_conference.slug])

    refused = first_time_visitor().post(url, data, headers=CROSS_SITE[0])
    accepted = first_time_visitor().post(url, data, headers=SAME_ORIGIN[0])

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert accepted.cookies  # the choice is remembered


def test_a_cross_site_link_to_the_timezone_picker_still_opens_it(demo_conference):
    url = reverse("schedule:timezone", args=[demo_conference.slug])

    response = first_time_visitor().get(url, headers=CROSS_SITE[0])

    assert response.status_code == 200


def test_personal_parts_name_the_agenda_and_fill_the_seat_boxes(client, gemma):
    gemma.seat_limit = 30
    gemma.save()
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=ada, session=gemma)
    client.force_login(ada)
    url = reverse("attendees:personal_parts", args=[gemma.conference.slug])

    parts = client.get(url, {"seats": f"{gemma.pk},999999,x", "next": DAY_URL}).json()

    assert parts["agenda"] == [gemma.slug]
    assert parts["count"] == 1
    assert list(parts["seat_boxes"]) == [str(gemma.pk)]
    box = parts["seat_boxes"][str(gemma.pk)]
    assert "30 seats left" in box or "30 of 30" in box
    assert 'name="csrfmiddlewaretoken"' in box  # a page of their own: the token is theirs
    assert f'value="{DAY_URL}"' in box
    assert "ada" in parts["account"]


def test_personal_parts_are_never_kept_by_a_cache(client, demo_conference):
    url = reverse("attendees:personal_parts", args=[demo_conference.slug])

    response = client.get(url)

    assert response.json() == {"agenda": [], "count": 0, "seat_boxes": {}, "account": None}
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_browser_that_fetches_its_parts_gets_the_shared_page_with_a_session(gemma):
    url = gemma.get_absolute_url()
    shared = Client().get(url).content
    visitor = Client()
    visitor.post(toggle_url(gemma), {"action": "add"}, headers=SAME_ORIGIN[0])
    without_js = visitor.get(url).content
    visitor.cookies["personal_parts"] = "1"  # site.js says it fetches the visitor's parts

    with_js = visitor.get(url).content

    assert with_js == shared
    assert without_js != shared
    assert b"data-personal-parts=" in shared
    assert b"data-personal-parts=" not in without_js
