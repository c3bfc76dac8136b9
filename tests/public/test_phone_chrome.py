"""What surrounds the programme on a phone: notices that fold once read, filters in one
control, a header without the e-mail, and toggles and pickers that come back to the right place."""

import re

import pytest
from django.contrib.auth import get_user_model

from attendees.models import Profile
from schedule.models import Session
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"
DAY = f"{CONF}/schedule/2026-04-08/"
EMAIL = "margaret.hamilton.longname@example-university.org"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def margaret(client, demo_conference):
    user = get_user_model().objects.create_user("margaret", EMAIL, "a long passphrase 1")
    client.force_login(user)
    return user


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


def read_notice(client, notice, **headers):
    return client.post(
        f"{CONF}/notices/read/", {"notice": notice, "next": f"{DAY}?layout=list"}, headers=headers
    )


def test_unread_notices_show_their_text_and_got_it(client, demo_conference):
    html = client.get(DAY).content.decode()

    assert html.count('<button type="submit" class="button secondary">Got it</button>') == 2
    assert '<details class="notice-text">' not in html


def test_got_it_without_javascript_goes_back_and_folds_the_notice_for_good(client, demo_conference):
    response = read_notice(client, "registration")

    assert response.status_code == 302
    assert response["Location"] == f"{DAY}?layout=list"
    html = client.get(DAY).content.decode()
    assert "<summary>An agenda here is not a registration</summary>" in html
    assert html.count("Got it</button>") == 1  # the timezone notice is still unread


def test_got_it_with_htmx_answers_the_folded_notice_alone(client, demo_conference):
    read_notice(client, "registration")

    response = read_notice(client, "time", **HTMX)

    html = response.content.decode()
    assert html.strip().startswith('<details class="notice-text">')
    assert "<summary>Times in CEST, UTC+2</summary>" in html
    assert "<aside" not in html
    assert f"/timezone/?next={DAY}%3Flayout%3Dlist" in html  # back to the page, not to this POST
    assert response.cookies["notices_read"].value == "registration:time"
    assert client.get(DAY).content.decode().count('<details class="notice-text">') == 2


def test_got_it_for_a_notice_that_does_not_exist_is_refused(client, demo_conference):
    response = read_notice(client, "everything")

    assert response.status_code == 400
    assert "notices_read" not in response.cookies


def test_filters_fold_into_one_control_that_counts_what_is_chosen(client, margaret):
    html = client.get(DAY, {"stage": "master-stage", "mine": "1", "q": "torch"}).content.decode()

    assert "<summary>Filters (2)</summary>" in html
    assert html.index('id="q"') < html.index('<details class="filter-panel">')


def test_filters_without_a_choice_say_so_without_a_count(client, demo_conference):
    assert "<summary>Filters</summary>" in client.get(DAY).content.decode()


def test_header_names_a_signed_in_person_shortly_never_by_whole_email(client, margaret):
    header = client.get(DAY).content.decode().split("<main", 1)[0]

    assert '<span class="nav-label account-name">margaret</span>' in header
    assert f"<summary>{EMAIL}" not in header


def test_header_prefers_the_display_name(client, margaret):
    Profile.objects.update_or_create(user=margaret, defaults={"display_name": "Margaret H."})

    header = client.get(DAY).content.decode().split("<main", 1)[0]

    assert '<span class="nav-label account-name">Margaret H.</span>' in header


def test_adding_without_javascript_comes_back_to_the_session_on_the_page(client, gemma):
    response = client.post(
        f"{CONF}/sessions/{gemma.slug}/agenda/",
        {"action": "add", "next": f"{DAY}?layout=list"},
    )

    assert response["Location"] == f"{DAY}?layout=list#agenda-toggle-{gemma.slug}"
    html = client.get(f"{DAY}?layout=list").content.decode()
    assert f'id="agenda-toggle-{gemma.slug}"' in html


def test_copy_button_is_hidden_until_javascript_shows_it(client, margaret):
    html = client.get(f"{CONF}/agenda/").content.decode()

    assert re.search(r'<button type="button" class="copy" hidden data-copy="feed-url"', html)


def test_timezone_page_has_the_region_its_picker_swaps_into(client, demo_conference):
    html = client.get(f"{CONF}/timezone/").content.decode()

    assert re.search(r'<div id="timezone-picker">\s*<form class="picker"', html)
    assert 'hx-target="#timezone-picker"' in html


def test_unknown_timezone_page_has_the_region_its_picker_swaps_into(client, demo_conference):
    response = client.get(DAY, {"tz": "Mars/Olympus_Mons"})

    assert response.status_code == 400
    assert re.search(
        r'<div id="timezone-picker">\s*<form class="picker"', response.content.decode()
    )
    assert "is not a timezone we know" in text(response)
