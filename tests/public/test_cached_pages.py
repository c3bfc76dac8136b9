"""Session pages, speaker pages, the speakers list and now-and-next are rendered once per
schedule version (and timezone, clock, language) and cached; each visitor's agenda marks,
seat boxes and tokens are filled in per request, and an edit shows on the next request."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from attendees.models import AgendaEntry, Reservation
from public.pages import MASKED_CSRF_TOKEN
from schedule.models import Session
from speakers.models import Speaker

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"
IN_AGENDA = 'class="agenda-form in-agenda"'


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


@pytest.fixture
def limited(demo_conference):
    return Session.objects.filter(conference=demo_conference, seat_limit__isnull=False).first()


@pytest.fixture
def ada(gemma):
    user = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=user, session=gemma)
    return user


def without_tokens(html):
    """A page without its CSRF tokens: each visitor's own, as long as pages carry them."""
    return MASKED_CSRF_TOKEN.sub(rb"\1", html)


def speaker_of(session):
    return session.speaker_links.select_related("speaker").first().speaker


def seat_count(html):
    return re.search(r'<p class="seat-count">([^<]*)</p>', html)[1]


def test_a_cached_session_page_reads_only_the_conference(
    client, gemma, django_assert_max_num_queries
):
    first = client.get(gemma.get_absolute_url())

    with django_assert_max_num_queries(1):
        second = client.get(gemma.get_absolute_url())

    assert without_tokens(second.content) == without_tokens(first.content)
    assert "Around this session" in second.content.decode()


def test_a_cached_limited_session_reads_its_live_seat_count_too(
    client, limited, django_assert_max_num_queries
):
    client.get(limited.get_absolute_url())

    with django_assert_max_num_queries(2):  # the conference, the seats taken
        response = client.get(limited.get_absolute_url())

    assert 'class="seat-box' in response.content.decode()


def test_two_anonymous_visitors_get_the_same_session_page(gemma):
    first = Client().get(gemma.get_absolute_url())
    second = Client().get(gemma.get_absolute_url())

    assert without_tokens(first.content) == without_tokens(second.content)
    assert b"\x1e" not in first.content


def test_agenda_marks_on_a_session_page_are_the_visitors_own(client, ada, gemma):
    client.force_login(ada)
    ada_html = client.get(gemma.get_absolute_url()).content.decode()

    visitor_html = Client().get(gemma.get_absolute_url()).content.decode()

    assert ada_html.count(IN_AGENDA) == 1
    assert IN_AGENDA not in visitor_html


def test_a_signed_in_session_page_costs_the_same_queries_every_time(
    client, ada, gemma, django_assert_max_num_queries
):
    client.force_login(ada)
    client.get(gemma.get_absolute_url())

    # The conference, the browser session, the user, the agenda and seats in one.
    with django_assert_max_num_queries(4):
        response = client.get(gemma.get_absolute_url())

    assert response.content.decode().count(IN_AGENDA) == 1


def test_adding_to_the_agenda_changes_the_session_pages_etag(client, gemma):
    before = client.get(gemma.get_absolute_url())

    client.post(f"{gemma.get_absolute_url()}agenda/", {"action": "add"})
    after = client.get(gemma.get_absolute_url(), headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after.content.decode().count(IN_AGENDA) == 1
    assert after["ETag"] != before["ETag"]


def test_a_seat_taken_shows_on_the_next_request_of_a_signed_in_visitor(client, limited):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    client.force_login(ada)
    before = client.get(limited.get_absolute_url())
    someone = get_user_model().objects.create_user("bo", "bo@example.org", "a long passphrase 2")

    Reservation.objects.create(session=limited, user=someone)
    after = client.get(limited.get_absolute_url(), headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert seat_count(after.content.decode()) != seat_count(before.content.decode())


def test_a_seat_taken_shows_to_anonymous_visitors_once_the_shared_page_expires(client, limited):
    """The shared page lives a minute (Cache-Control max-age=60), as a proxy would keep it."""
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        before = client.get(limited.get_absolute_url())
        someone = get_user_model().objects.create_user("bo", "bo@example.org", "pw-2-long-x")
        Reservation.objects.create(session=limited, user=someone)
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        after = client.get(limited.get_absolute_url())

    assert seat_count(after.content.decode()) != seat_count(before.content.decode())


def test_an_unchanged_session_page_answers_304(client, gemma):
    first = client.get(gemma.get_absolute_url())

    second = client.get(gemma.get_absolute_url(), headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 304


def test_a_renamed_parallel_session_shows_at_once_on_the_session_page(client, gemma):
    client.get(gemma.get_absolute_url())
    parallel = (
        Session.objects.filter(
            conference=gemma.conference, start__lt=gemma.end, end__gt=gemma.start
        )
        .exclude(stage=gemma.stage)
        .first()
    )

    parallel.title = "Renamed next door"
    parallel.save()

    assert "Renamed next door" in client.get(gemma.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("cookie", "value", "expected"),
    [("tz", "Asia/Tokyo", "16:50–17:05"), ("clock", "12", "9:50\xa0AM–10:05\xa0AM")],
)
def test_a_session_page_in_another_timezone_or_clock_is_not_served_from_the_first(
    client, gemma, cookie, value, expected
):
    client.get(gemma.get_absolute_url())

    client.cookies[cookie] = value  # chosen before, remembered: no ?tz= on the links
    html = client.get(gemma.get_absolute_url()).content.decode()

    assert expected in html


def test_an_unknown_session_is_404_every_time(client, demo_conference):
    assert client.get(f"{CONF}/sessions/no-such-talk/").status_code == 404
    assert client.get(f"{CONF}/sessions/no-such-talk/").status_code == 404


def test_a_cached_speaker_page_reads_only_the_conference(
    client, gemma, django_assert_max_num_queries
):
    url = f"{CONF}/speakers/{speaker_of(gemma).slug}/"
    client.get(url)

    with django_assert_max_num_queries(1):
        response = client.get(url)

    assert gemma.title in response.content.decode()


def test_agenda_marks_on_a_speaker_page_are_the_visitors_own(client, ada, gemma):
    url = f"{CONF}/speakers/{speaker_of(gemma).slug}/"
    client.force_login(ada)
    ada_html = client.get(url).content.decode()

    visitor_html = Client().get(url).content.decode()

    assert ada_html.count(IN_AGENDA) == 1
    assert IN_AGENDA not in visitor_html


def test_a_renamed_speaker_shows_at_once(client, gemma):
    speaker = speaker_of(gemma)
    url = f"{CONF}/speakers/{speaker.slug}/"
    client.get(url)

    Speaker.objects.filter(pk=speaker.pk).update(name="Someone Else")
    speaker.refresh_from_db()
    speaker.save()  # through the model, as the admin saves

    html = client.get(url).content.decode()
    assert "<title>Someone Else ·" in html
    assert "<h1>Someone Else</h1>" in html


def test_an_unknown_speaker_is_404(client, demo_conference):
    assert client.get(f"{CONF}/speakers/nobody-at-all/").status_code == 404


def test_a_cached_speakers_list_reads_only_the_conference(
    client, demo_conference, django_assert_max_num_queries
):
    client.get(f"{CONF}/speakers/")

    with django_assert_max_num_queries(1):
        response = client.get(f"{CONF}/speakers/")

    assert (
        response.content.decode().count('<li class="person">')
        == Speaker.objects.filter(conference=demo_conference).count()
    )


@pytest.fixture
def running(gemma, time_machine):
    """Ten seconds into a minute, five minutes into Gemma 4."""
    moment = gemma.start + dt.timedelta(minutes=5, seconds=10)
    time_machine.move_to(moment, tick=False)
    return time_machine


def board(client, url=f"{CONF}/now/"):
    return client.get(url, headers={"HX-Request": "true"}).content.decode()


def test_now_and_next_is_cached_within_its_minute(
    client, gemma, running, django_assert_max_num_queries
):
    first = board(client)
    running.shift(dt.timedelta(seconds=40))

    with django_assert_max_num_queries(1):
        second = board(client)

    assert second == first
    assert gemma.title in first


def test_now_and_next_moves_on_with_the_next_minute(client, gemma, running):
    first = board(client)
    running.shift(dt.timedelta(seconds=50))

    second = board(client)

    assert second != first
    left = re.compile(r"(\d+) minutes? left")
    assert int(left.search(second)[1]) == int(left.search(first)[1]) - 1


def test_now_and_next_shows_a_session_in_the_minute_it_starts(client, gemma, time_machine):
    time_machine.move_to(gemma.start - dt.timedelta(seconds=20), tick=False)
    before = board(client)
    time_machine.move_to(gemma.start + dt.timedelta(seconds=1), tick=False)

    after = board(client)

    now_line = re.compile(r'<p class="now-current">.*?</p>', re.S)
    assert gemma.title not in "".join(now_line.findall(before))
    assert gemma.title in "".join(now_line.findall(after))


def test_the_now_page_and_its_board_agree(client, running):
    page = client.get(f"{CONF}/now/").content.decode()

    assert board(client) in page
    assert "<h1>Now and next</h1>" not in board(client)
