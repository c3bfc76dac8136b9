"""The personal agenda: toggles, the agenda page, and the visitor agenda merged on sign-in."""

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from attendees.models import AgendaEntry
from schedule.models import Session
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"
DAY_URL = f"{CONF}/schedule/2026-04-08/"


@pytest.fixture
def sessions(demo_conference):
    day = (
        Session.objects.filter(
            conference=demo_conference, start__date=dt.date(2026, 4, 8), status="confirmed"
        )
        .exclude(stage__slug="lobby")
        .order_by("start")
    )
    return list(day)


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")


def agenda_count(response):
    """The count in the header's "My agenda (N)" link."""
    return int(
        re.search(r'My agenda \(<span id="agenda-count">(\d+)</span>\)', response.content.decode())[
            1
        ]
    )


def toggle(client, session, action="add", **headers):
    return client.post(
        f"{CONF}/sessions/{session.slug}/agenda/",
        {"action": action, "next": f"{DAY_URL}?layout=list&stage=master-stage"},
        headers=headers,
    )


def test_adding_without_javascript_redirects_back_to_the_same_filtered_view(client, sessions):
    response = toggle(client, sessions[0])

    assert response.status_code == 302
    assert response["Location"] == (
        f"{DAY_URL}?layout=list&stage=master-stage#agenda-toggle-{sessions[0].slug}"
    )


def test_adding_with_htmx_swaps_the_button_and_updates_the_count(client, sessions):
    response = toggle(client, sessions[0], **{"HX-Request": "true"})

    html = response.content.decode()
    assert html.startswith('<form class="agenda-form in-agenda"')
    # Its visible button is now "In my agenda", which takes the session out again.
    assert '<button type="submit" name="action" value="remove" class="agenda-toggle if-in">' in html
    assert '<span id="agenda-count" hx-swap-oob="true">1</span>' in html


def test_adding_twice_keeps_one_entry(client, user, sessions):
    client.force_login(user)

    toggle(client, sessions[0])
    toggle(client, sessions[0])

    assert AgendaEntry.objects.filter(user=user).count() == 1


def test_removing_takes_the_session_out(client, user, sessions):
    client.force_login(user)
    toggle(client, sessions[0])

    toggle(client, sessions[0], action="remove")

    assert not AgendaEntry.objects.filter(user=user).exists()


def test_toggle_needs_a_post_with_a_csrf_token(sessions):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert strict.get(f"{CONF}/sessions/{sessions[0].slug}/agenda/").status_code == 405
    assert toggle(strict, sessions[0]).status_code == 403


def test_toggle_refuses_to_redirect_elsewhere(client, sessions):
    response = client.post(
        f"{CONF}/sessions/{sessions[0].slug}/agenda/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == (
        f"{sessions[0].get_absolute_url()}#agenda-toggle-{sessions[0].slug}"
    )


def test_schedule_marks_agenda_sessions_in_words_not_colour_alone(client, sessions):
    toggle(client, sessions[0])

    for layout in ("grid", "list"):
        html = client.get(DAY_URL, {"layout": layout}).content.decode()
        assert html.count('class="agenda-form in-agenda"') == 1
        marked = re.search(r'<form class="agenda-form in-agenda".*?</form>', html, flags=re.S)[0]
        # In words, not colour alone: the form's class shows "In my agenda" in place of
        # "Add to my agenda" (hidden by display: none, so not read out either).
        assert (
            f'★</span> In my agenda<span class="visually-hidden"> (remove): {sessions[0].title}'
            in marked
        )
    assert agenda_count(client.get(DAY_URL)) == 1


def test_schedule_filters_to_my_sessions(client, sessions):
    toggle(client, sessions[0])
    toggle(client, sessions[3])

    html = client.get(DAY_URL, {"layout": "list", "mine": "1"}).content.decode()

    titles = re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    assert sorted(titles) == sorted([sessions[0].title, sessions[3].title])


def test_agenda_page_flags_overlaps_naming_the_other_session_and_stage(client, sessions):
    first, clash = next(
        (a, b)
        for a in sessions
        for b in sessions
        if a.pk < b.pk and a.stage_id != b.stage_id and a.overlaps(b.start, b.end)
    )
    toggle(client, first)
    toggle(client, clash)

    page = text(client.get(f"{CONF}/agenda/"))

    assert f"Overlaps with {clash.title} on {clash.stage.name}" in page
    assert f"Overlaps with {first.title} on {first.stage.name}" in page


def test_agenda_page_shows_the_free_time_between_sessions(client, sessions):
    first = sessions[0]
    later = next(s for s in sessions if s.start >= first.end + dt.timedelta(minutes=30))
    toggle(client, first)
    toggle(client, later)
    gap = int((later.start - first.end).total_seconds() // 60)
    hours, minutes = divmod(gap, 60)
    label = (
        f"{hours} h {minutes} min"
        if hours and minutes
        else (f"{hours} h" if hours else f"{minutes} min")
    )

    page = text(client.get(f"{CONF}/agenda/"))

    assert f"{label} free" in page
    assert page.index(first.title) < page.index(f"{label} free") < page.index(later.title)


def test_agenda_page_lists_sessions_by_day_in_the_chosen_timezone(client, sessions):
    toggle(client, sessions[0])

    page = text(client.get(f"{CONF}/agenda/", {"tz": "Pacific/Kiritimati"}))

    local = sessions[0].start.astimezone(dt.timezone(dt.timedelta(hours=14)))
    assert local.strftime("%A %-d %B %Y") in page
    assert local.strftime("%H:%M") in page


def test_visitor_agenda_merges_into_the_account_on_login(client, user, sessions):
    AgendaEntry.objects.create(user=user, session=sessions[1])
    toggle(client, sessions[0])
    toggle(client, sessions[1])

    response = client.post(
        "/accounts/login/", {"login": "ada@example.org", "password": "a long passphrase 1"}
    )

    assert response.status_code == 302
    assert set(AgendaEntry.objects.filter(user=user).values_list("session", flat=True)) == {
        sessions[0].pk,
        sessions[1].pk,
    }
    assert agenda_count(client.get(DAY_URL)) == 2


def test_visitor_agenda_merges_into_the_account_on_signup(client, sessions):
    toggle(client, sessions[0])
    toggle(client, sessions[2])

    response = client.post(
        "/accounts/signup/",
        {
            "email": "grace@example.org",
            "password1": "another long passphrase",
            "password2": "another long passphrase",
        },
    )

    assert response.status_code == 302
    grace = get_user_model().objects.get(email="grace@example.org")
    assert set(AgendaEntry.objects.filter(user=grace).values_list("session", flat=True)) == {
        sessions[0].pk,
        sessions[2].pk,
    }
    assert len(mail.outbox) == 1
    assert "grace@example.org" in mail.outbox[0].to


def test_an_agenda_is_its_owners_alone(client, user, sessions):
    AgendaEntry.objects.create(user=user, session=sessions[0])
    other = get_user_model().objects.create_user("bob", "bob@example.org", "yet another passphrase")
    client.force_login(other)

    page = text(client.get(f"{CONF}/agenda/"))

    assert "Your agenda is empty." in page
    assert agenda_count(client.get(f"{CONF}/agenda/")) == 0


def test_agenda_page_offers_the_subscription_to_signed_in_users(client, user, sessions):
    client.force_login(user)

    html = client.get(f"{CONF}/agenda/").content.decode()

    feed = user.agenda_feeds.get()
    assert f"http://testserver{CONF}/agenda/{feed.token}.ics" in html
    assert f'href="webcal://testserver{CONF}/agenda/{feed.token}.ics"' in html
    assert "<svg" in html
    assert "Google Calendar" in html and "Outlook" in html and "Apple Calendar" in html


def test_agenda_pages_stay_within_the_query_budget(
    client, user, sessions, django_assert_max_num_queries
):
    client.force_login(user)
    for session in sessions[:6]:
        toggle(client, session)

    for url in (f"{CONF}/agenda/", DAY_URL, f"{DAY_URL}?layout=list&mine=1"):
        # A day rendered afresh reads the latest version's changes (its marks) once.
        with django_assert_max_num_queries(11):
            assert client.get(url).status_code == 200
