import datetime as dt

import pytest
import time_machine

from schedule.models import Session
from tests.factories import (
    ConferenceFactory,
    SessionFactory,
    SessionTypeFactory,
    SpeakerFactory,
    StageFactory,
)
from tests.public.pages import visible
from tests.qr import qr_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall():
    """A conference in Kathmandu (UTC+5:45, far from UTC) with three talks in its Hall."""
    conference = ConferenceFactory(
        slug="kathmandu",
        timezone="Asia/Kathmandu",
        locale="en-GB",
        start_date=dt.date(2026, 4, 7),
        end_date=dt.date(2026, 4, 7),
    )
    hall = StageFactory(conference=conference, name="Hall", slug="hall")
    StageFactory(conference=conference, name="Annex", slug="annex")
    at = lambda h, m: dt.datetime(2026, 4, 7, h, m, tzinfo=dt.UTC)  # noqa: E731
    SessionFactory(
        conference=conference,
        stage=hall,
        title="Opening",
        start=at(3, 15),
        end=at(4, 0),
        speakers=[SpeakerFactory(conference=conference, name="Sita")],
    )
    SessionFactory(
        conference=conference, stage=hall, title="Compilers", start=at(4, 15), end=at(5, 0)
    )
    SessionFactory(
        conference=conference,
        stage=None,
        title="Lunch",
        start=at(6, 15),
        end=at(7, 15),
        session_type=SessionTypeFactory(conference=conference, spans_all_stages=True),
    )
    SessionFactory(
        conference=conference, stage=hall, title="Closing", start=at(9, 15), end=at(10, 0)
    )
    return hall


def board(client, path="/kathmandu/rooms/hall/", **headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return visible(response.content.decode())


def test_room_screen_before_the_conference_shows_its_first_two_sessions(client, hall):
    with time_machine.travel(dt.datetime(2026, 4, 6, 12, tzinfo=dt.UTC), tick=False):
        text = board(client)

    assert "has not started yet" in text
    # 09:00 Kathmandu is 03:15 UTC; the day is shown, it is not today.
    assert "Next Tue 7 Apr 09:00–09:45 Opening Sita Tue 7 Apr 10:00–10:45 Compilers" in text


def test_room_screen_during_a_session_shows_it_with_the_time_left_and_the_next_two(client, hall):
    # 09:30 in Kathmandu.
    with time_machine.travel(dt.datetime(2026, 4, 7, 3, 45, 20, tzinfo=dt.UTC), tick=False):
        text = board(client)

    assert "Hall 09:30 UTC+5:45 Now Opening Sita 09:00–09:45 · 15 minutes left" in text
    # A break across every stage is this room's too.
    assert "Next 10:00–10:45 Compilers 12:00–13:00 Lunch" in text


def test_room_screen_between_sessions_shows_the_next_two(client, hall):
    with time_machine.travel(dt.datetime(2026, 4, 7, 7, 30, tzinfo=dt.UTC), tick=False):
        text = board(client)

    assert "Nothing in this room right now." in text
    assert "Next 15:00–15:45 Closing" in text


def test_room_screen_after_the_conference_says_it_has_ended(client, hall):
    with time_machine.travel(dt.datetime(2026, 4, 8, 12, tzinfo=dt.UTC), tick=False):
        text = board(client)

    assert "has ended. Thank you for coming!" in text
    assert "Closing" not in text


def test_room_screen_refreshes_with_htmx_and_without_javascript(client, hall):
    with time_machine.travel(dt.datetime(2026, 4, 7, 3, 45, tzinfo=dt.UTC), tick=False):
        page = client.get("/kathmandu/rooms/hall/").content.decode()
        swap = client.get("/kathmandu/rooms/hall/", headers={"HX-Request": "true"})

    assert '<noscript><meta http-equiv="refresh" content="30"></noscript>' in page
    assert 'hx-trigger="every 30s"' in page
    assert swap.content.decode().lstrip().startswith('<div id="room-board"')
    assert "<html" not in swap.content.decode()


def test_room_screen_qr_code_leads_to_the_session_short_link(client, hall):
    with time_machine.travel(dt.datetime(2026, 4, 7, 3, 45, tzinfo=dt.UTC), tick=False):
        html = client.get("/kathmandu/rooms/hall/").content.decode()

    opening = Session.objects.get(title="Opening")
    assert f'<span class="room-url">http://testserver/kathmandu/s/{opening.pk}/</span>' in html
    assert qr_codes(html) == [f"http://testserver/kathmandu/s/{opening.pk}/"]


def test_room_index_lists_every_stage_screen(client, hall):
    text = board(client, "/kathmandu/rooms/")

    assert "Hall http://testserver/kathmandu/rooms/hall/" in text
    assert "Annex http://testserver/kathmandu/rooms/annex/" in text


def test_room_screen_of_an_unknown_stage_is_a_404(client, hall):
    response = client.get("/kathmandu/rooms/nowhere/")

    assert response.status_code == 404
    assert "no stage “nowhere”" in response.content.decode()


def test_room_screen_reads_a_fixed_number_of_queries(client, hall, django_assert_max_num_queries):
    during = time_machine.travel(dt.datetime(2026, 4, 7, 3, 45, tzinfo=dt.UTC), tick=False)
    with during, django_assert_max_num_queries(4):
        client.get("/kathmandu/rooms/hall/")


def test_room_screen_keeps_the_conference_clock_whatever_the_browser_chose(client, hall):
    client.cookies["tz"] = "America/New_York"
    client.cookies["clock"] = "12"
    with time_machine.travel(dt.datetime(2026, 4, 7, 3, 45, tzinfo=dt.UTC), tick=False):
        text = board(client)
        linked = board(client, "/kathmandu/rooms/hall/?tz=UTC&clock=24")

    assert "Hall 09:30 UTC+5:45 Now Opening" in text
    assert "Hall 03:45 UTC Now Opening" in linked
