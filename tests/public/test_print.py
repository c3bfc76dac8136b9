import datetime as dt
import re

import pytest

from tests.factories import (
    ConferenceFactory,
    SessionFactory,
    SpeakerFactory,
    StageFactory,
    TrackFactory,
)
from tests.public.pages import visible
from tests.qr import qr_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    """Two days in Los Angeles (UTC-7 in April), two stages, two tracks."""
    conference = ConferenceFactory(
        slug="la",
        timezone="America/Los_Angeles",
        locale="en-US",
        start_date=dt.date(2026, 4, 7),
        end_date=dt.date(2026, 4, 8),
    )
    main, side = (
        StageFactory(conference=conference, name="Main", position=1),
        StageFactory(conference=conference, name="Side", position=2),
    )
    ml = TrackFactory(conference=conference, name="ML", slug="ml")
    web = TrackFactory(conference=conference, name="Web", slug="web")
    at = lambda day, h, m: dt.datetime(2026, 4, day, h, m, tzinfo=dt.UTC)  # noqa: E731
    ada = SpeakerFactory(conference=conference, name="Ada", company="Analytical")
    SessionFactory(conference=conference, stage=side, track=web, title="CSS", start=at(7, 17, 0))
    SessionFactory(
        conference=conference,
        stage=main,
        track=ml,
        title="Tensors",
        start=at(7, 16, 0),
        speakers=[ada],
    )
    SessionFactory(conference=conference, stage=main, track=ml, title="Keynote", start=at(7, 16, 0))
    # 23:30 UTC on the 7th is 16:30 on the 7th in Los Angeles.
    SessionFactory(
        conference=conference, stage=side, track=ml, title="Evening", start=at(7, 23, 30)
    )
    SessionFactory(
        conference=conference, stage=main, track=web, title="Day two", start=at(8, 16, 0)
    )
    return conference


def printed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def titles(html):
    return re.findall(r'<h4 class="card-title"><a href="[^"]*">([^<]*)</a>', html)


def test_printed_day_lists_its_sessions_in_time_and_stage_order(client, conference):
    html = printed(client, "/la/print/2026-04-07/")

    assert titles(html) == ["Keynote", "Tensors", "CSS", "Evening"]
    text = visible(html)
    # Times on the conference's clock (UTC-7), stage, speakers with their company, track.
    assert "Tensors 9:00 AM–9:25 AM · Main Ada (Analytical) ML" in text
    assert "Evening 4:30 PM–4:55 PM · Side ML" in text
    assert "Day two" not in text


def test_printed_programme_has_nothing_to_click_and_no_marks_of_the_moment(client, conference):
    html = printed(client, "/la/print/")

    assert "<form" not in html and 'class="site-header"' not in html
    # The one way around is for the screen (print.css hides it on paper).
    assert re.findall(r"<nav[^>]*>", html) == [
        '<nav class="print-toolbar" aria-label="Printed programme">'
    ]
    assert "\x1e" not in html
    assert '<button type="button" class="button" id="print-now" hidden>' in html
    assert 'href="/static/css/print.css"' in html


def test_printed_programme_of_a_track_leads_back_to_the_live_schedule_by_qr_code(
    client, conference
):
    html = printed(client, "/la/print/?track=ml")

    days = re.findall(r'<h2 id="printed-day-\d">([^<]*)</h2>', html)
    assert days == ["Tuesday 7 April 2026"]
    assert titles(html) == ["Keynote", "Tensors", "Evening"]
    assert '<span class="printed-url">http://testserver/la/schedule/?track=ml</span>' in html
    assert qr_codes(html) == ["http://testserver/la/schedule/?track=ml"]
    assert "Programme · ML" in visible(html)


def test_printed_day_leads_back_to_that_day_in_the_same_timezone(client, conference):
    html = printed(client, "/la/print/2026-04-08/?tz=Asia/Tokyo")

    assert qr_codes(html) == ["http://testserver/la/schedule/2026-04-08/?tz=Asia%2FTokyo"]


def test_printed_programme_of_every_day_starts_a_section_per_day(client, conference):
    html = printed(client, "/la/print/?tz=Europe/Paris")

    # In Paris the evening session (01:30 on the 8th) moves to the second day.
    assert re.findall(r'<h2 id="printed-day-\d">([^<]*)</h2>', html) == [
        "Tuesday 7 April 2026",
        "Wednesday 8 April 2026",
    ]
    assert titles(html) == ["Keynote", "Tensors", "CSS", "Evening", "Day two"]
    assert "?tz=Europe%2FParis" in html


def test_printed_agenda_holds_the_visitors_agenda_only(client, conference):
    client.post("/la/sessions/css/agenda/", {"action": "add"})
    client.post("/la/sessions/day-two/agenda/", {"action": "add"})

    html = printed(client, "/la/print/?mine=1")

    assert titles(html) == ["CSS", "Day two"]
    assert "Programme · My agenda" in visible(html)


def test_printed_day_that_is_not_a_date_is_a_400_and_an_empty_one_a_404(client, conference):
    assert client.get("/la/print/2026-13-45/").status_code == 400
    assert client.get("/la/print/2030-01-01/").status_code == 404


def test_printed_programme_reads_a_fixed_number_of_queries(
    client, conference, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        client.get("/la/print/")


def test_each_day_and_my_agenda_offer_their_printed_programme(client, conference):
    day = printed(client, "/la/schedule/2026-04-07/?track=ml&layout=list&tz=Asia/Tokyo")
    client.post("/la/sessions/css/agenda/", {"action": "add"})
    agenda = printed(client, "/la/agenda/")

    assert '<a href="/la/print/2026-04-07/?track=ml&amp;tz=Asia%2FTokyo">this day</a>' in day
    assert (
        '<a href="/la/print/?track=ml&amp;tz=Asia%2FTokyo">every day</a> (with these filters)'
        in day
    )
    assert '<a href="/la/print/?mine=1">Print my agenda</a>' in agenda
    in_tokyo = printed(client, "/la/agenda/?tz=Asia/Tokyo")
    assert '<a href="/la/print/?mine=1&amp;tz=Asia%2FTokyo">Print my agenda</a>' in in_tokyo
