"""A search or filter spans the whole conference: the schedule's own address opens on the first
day with a match, each day tab counts its matches, and a day without any links the days that
have some. Speakers' biographies and companies and the sessions' links are searched too."""

import datetime as dt
import re
from collections import Counter
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendees.models import AgendaEntry
from conference.search import fold
from schedule.models import Session, SessionLink
from speakers.models import Speaker
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory
from tests.public.test_day import card_titles, text

pytestmark = pytest.mark.django_db

SCHEDULE = "/pytorch-conference-europe-2026/schedule/"
GEMMA = "Keynote: Intelligence per Byte – Building Gemma 4"
RESULTS_ONLY = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "schedule-results"}


def day_tabs(response, hidden=r'<span class="visually-hidden">.*?</span>'):
    """Each day tab's text as a sighted visitor reads it (or, given what a screen reader
    skips, as one hears it)."""
    nav = re.search(r'<nav class="day-tabs".*?</nav>', response.content.decode(), flags=re.S)
    return [
        " ".join(unescape(re.sub(rf"{hidden}|<[^>]+>", "", link)).split())
        for link in re.findall(r"<a [^>]*>(.*?)</a>", nav.group(0), flags=re.S)
    ]


def day_tab_names(response):
    return day_tabs(response, hidden=r'<span [^>]*aria-hidden="true">.*?</span>')


def searched_text(session):
    """Everything a search reads of a session, folded: the oracle the queries must agree with."""
    parts = [session.title, session.abstract]
    for speaker in session.speakers.all():
        parts += [speaker.name, speaker.company, speaker.bio]
    for link in session.links.all():
        parts += [link.title, link.url]
    return fold(" ".join(parts))


@pytest.mark.parametrize("headers", [{}, RESULTS_ONLY], ids=["page", "htmx-results"])
def test_search_from_the_schedule_address_opens_on_the_day_of_the_gemma_talk(
    client, demo_conference, headers
):
    response = client.get(SCHEDULE, {"q": "gemma", "layout": "list"}, **headers)

    assert card_titles(response) == [GEMMA]
    assert "Wednesday 8 April 2026" in text(response)
    assert re.search(r'aria-current="page">Wed 8 Apr', response.content.decode())


def test_schedule_address_without_filters_still_opens_on_the_first_day(client, demo_conference):
    response = client.get(SCHEDULE, {"layout": "list"})

    assert "Tuesday 7 April 2026" in text(response)
    assert day_tabs(response) == ["Tue 7 Apr", "Wed 8 Apr"]


def test_schedule_address_opens_on_today_when_today_has_matches(
    client, demo_conference, time_machine
):
    time_machine.move_to(dt.datetime(2026, 4, 8, 9, 0, tzinfo=dt.UTC))

    response = client.get(SCHEDULE, {"q": "nvidia", "layout": "list"})

    assert "Wednesday 8 April 2026" in text(response)


@pytest.mark.parametrize("headers", [{}, RESULTS_ONLY], ids=["page", "htmx-results"])
def test_day_tabs_carry_the_number_of_matches_of_each_day(client, demo_conference, headers):
    response = client.get(f"{SCHEDULE}2026-04-07/", {"q": "vllm"}, **headers)

    assert day_tabs(response) == ["Tue 7 Apr · 3", "Wed 8 Apr · 5"]
    assert day_tab_names(response) == ["Tue 7 Apr, 3 matches", "Wed 8 Apr, 5 matches"]


def test_day_tabs_count_the_matches_of_a_stage_filter_too(client, demo_conference):
    master = Session.objects.filter(conference=demo_conference, stage__slug="master-stage")
    expected = Counter(session.start.date() for session in master)

    response = client.get(f"{SCHEDULE}2026-04-07/", {"stage": "master-stage"})

    assert day_tabs(response) == [
        f"Tue 7 Apr · {expected[dt.date(2026, 4, 7)]}",
        f"Wed 8 Apr · {expected[dt.date(2026, 4, 8)]}",
    ]


def test_a_day_without_matches_links_the_days_that_have_some_keeping_the_query(
    client, demo_conference
):
    response = client.get(f"{SCHEDULE}2026-04-07/", {"q": "gemma", "layout": "list"})

    page = text(response)
    assert card_titles(response) == []
    assert "No session on this day matches these filters. Matches on other days:" in page
    assert "Wednesday 8 April: 1 session" in page
    html = response.content.decode()
    assert f'<a href="{SCHEDULE}2026-04-08/?q=gemma&amp;layout=list"' in html
    assert day_tabs(response) == ["Tue 7 Apr · 0", "Wed 8 Apr · 1"]


def test_a_search_no_day_matches_says_so(client, demo_conference):
    response = client.get(SCHEDULE, {"q": "no such words anywhere"})

    assert "Tuesday 7 April 2026" in text(response)
    assert "No other day has a session that matches either." in text(response)
    assert day_tabs(response) == ["Tue 7 Apr · 0", "Wed 8 Apr · 0"]


def test_zurich_finds_the_sessions_of_the_speakers_based_in_zurich(client, demo_conference):
    sessions = Session.objects.filter(conference=demo_conference).prefetch_related(
        "speakers", "links"
    )
    expected = {s.title for s in sessions if "zurich" in searched_text(s)}

    found = set()
    for day in ("2026-04-07", "2026-04-08"):
        found |= set(
            card_titles(client.get(f"{SCHEDULE}{day}/", {"q": "zurich", "layout": "list"}))
        )

    assert found == expected
    assert "One Triton Code Base for Fast vLLM Attention on NVIDIA and AMD" in found  # Ringlein


def test_every_word_may_be_found_in_a_different_place(client, demo_conference):
    response = client.get(f"{SCHEDULE}2026-04-08/", {"q": "Zürich keynote", "layout": "list"})

    # "keynote" in the title, "Zürich" only in the speaker's biography.
    assert card_titles(response) == ["Keynote: Scaling Open Inference with vLLM"]


def test_speakers_page_finds_speakers_by_their_biography(client, demo_conference):
    speakers = Speaker.objects.filter(conference=demo_conference)
    expected = {s.name for s in speakers if "zurich" in fold(f"{s.name} {s.company} {s.bio}")}

    response = client.get("/pytorch-conference-europe-2026/speakers/", {"q": "zurich"})

    page = text(response)
    assert {"Jan van Lunteren", "Burkhard Ringlein"} <= expected
    assert f"{len(expected)} speakers" in page
    assert all(name in page for name in expected)


def test_search_finds_a_session_by_its_links_titles_and_addresses():
    conference = ConferenceFactory()
    talk = SessionFactory(conference=conference, title="Serving at scale")
    SessionFactory(conference=conference, title="Something else")
    SessionLink.objects.create(
        session=talk, title="Slides für Kubernetes", url="https://example.org/decks/xyz-serving"
    )

    for query in ("kubernetes fur", "xyz-serving", "EXAMPLE.ORG/DECKS"):
        assert list(Session.objects.for_conference(conference).matching(query)) == [talk], query


def test_search_finds_a_session_by_a_speakers_company():
    conference = ConferenceFactory()
    talk = SessionFactory(conference=conference, title="Serving at scale")
    talk.speakers.add(SpeakerFactory(conference=conference, company="Øresund Robotics"))
    SessionFactory(conference=conference, title="Something else")

    assert list(Session.objects.for_conference(conference).matching("oresund")) == [talk]


def test_a_new_link_shows_in_a_cached_search_at_once(client, demo_conference):
    url = f"{SCHEDULE}?q=recording-4711&layout=list"
    assert card_titles(client.get(url)) == []
    gemma = Session.objects.get(conference=demo_conference, title=GEMMA)

    SessionLink.objects.create(session=gemma, url="https://videos.example.org/recording-4711")

    response = client.get(url)
    assert card_titles(response) == [GEMMA]
    assert day_tabs(response) == ["Tue 7 Apr · 0", "Wed 8 Apr · 1"]


def test_a_cached_filtered_page_reads_nothing_again(client, demo_conference):
    url = f"{SCHEDULE}?q=zurich&layout=list"
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        client.get(url)

    assert not [q for q in captured if 'FROM "schedule_session"' in q["sql"]]


@pytest.mark.parametrize(
    "url",
    [
        f"{SCHEDULE}?q=zurich&layout=list",
        f"{SCHEDULE}2026-04-07/?q=gemma&layout=grid",
        f"{SCHEDULE}2026-04-08/?stage=master-stage&q=ibm&layout=list",
    ],
)
def test_a_search_across_days_costs_at_most_one_query_more_than_the_unfiltered_day(
    client, demo_conference, url
):
    path, query = url.split("?")
    client.get(f"{SCHEDULE}?layout=calendar")  # the days of the schedule, cached for both
    with CaptureQueriesContext(connection) as plain:
        client.get(f"{path}?{query.split('&')[-1]}")
    with CaptureQueriesContext(connection) as searched:
        client.get(url)

    # The one more: the starts of every match, which count both the day tabs and the
    # subscription's sessions.
    assert len(searched) <= len(plain) + 1


def test_day_tabs_count_each_visitors_own_agenda(client, demo_conference):
    gemma = Session.objects.get(conference=demo_conference, title=GEMMA)
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=ada, session=gemma)
    client.force_login(ada)
    ada_tabs = day_tabs(client.get(SCHEDULE, {"mine": "1", "layout": "list"}))
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "a long passphrase 2")
    client.force_login(bob)

    response = client.get(SCHEDULE, {"mine": "1", "layout": "list"})

    assert ada_tabs == ["Tue 7 Apr · 0", "Wed 8 Apr · 1"]
    assert day_tabs(response) == ["Tue 7 Apr · 0", "Wed 8 Apr · 0"]
