"""The day grid's layout (long sessions above it, the grid from the first session on), the
phone's default layout, and the now and next marks while the conference runs."""

import datetime as dt
import re
from html import unescape

import pytest

from conference.timezones import LocalClock
from public import grid
from schedule.models import Session

pytestmark = pytest.mark.django_db

DAY_URL = "/pytorch-conference-europe-2026/schedule/2026-04-08/"
PIXEL = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/139.0.0.0 Mobile Safari/537.36"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
DESKTOP_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
# 11:30 CEST on the second day: three talks and registration running, two talks at 11:40.
SECOND_MORNING = dt.datetime(2026, 4, 8, 9, 30, tzinfo=dt.UTC)


def layouts_in(response):
    """The layouts the day page shows: ["grid"] or ["list"]."""
    html = response.content.decode()
    marks = {"grid": 'class="grid cols', "list": '<ol class="slots">'}
    return [layout for layout, mark in marks.items() if mark in html]


def titles_with(response, badge):
    html = response.content.decode()
    return [
        unescape(title)
        for title in re.findall(
            rf'<a href="[^"]+">([^<]+)</a></h[34]><p class="[a-z]+-(?:when|time)">'
            rf'<span class="badge {badge}">',
            html,
        )
    ]


def test_registration_open_all_morning_is_listed_above_the_grid_not_drawn_as_a_column(
    demo_conference,
):
    sessions = list(
        Session.objects.for_conference(demo_conference)
        .on_local_day(dt.date(2026, 4, 8), demo_conference.zone)
        .select_related("stage", "session_type")
    )

    day = grid.build_grid(sessions, LocalClock(demo_conference.zone))

    assert [session.title for session in day.all_day] == ["Registration and Badge Pick-up"]
    assert [stage.name for _column, stage in day.columns] == [
        "Master Stage",
        "Open Platform",
        "Central Room",
        "Founders Cafe",
    ]
    placed = [p.session.title for _start, row in day.rows for p in row]
    assert "Registration and Badge Pick-up" not in placed
    assert len(placed) == len(sessions) - 1


def test_grid_starts_at_the_first_session_in_it_not_at_registration(client, demo_conference):
    html = client.get(DAY_URL, {"layout": "grid"}).content.decode()

    ticks = re.findall(r'class="tick r(\d+) s6 c1" aria-hidden="true">([^<]+)<', html)
    assert ticks[0] == ("2", "09:00")


def test_a_break_across_every_stage_stays_in_the_grid(client, demo_conference):
    html = client.get(DAY_URL, {"layout": "grid"}).content.decode()

    lunch = r'class="cell [^"]*span-all[^"]*"><h3 class="cell-title"><a[^>]*>Lunch<'
    assert re.search(lunch, html)


def test_every_session_keeps_its_speakers_tags_and_agenda_button_in_the_grid(
    client, demo_conference
):
    html = client.get(DAY_URL, {"layout": "grid"}).content.decode()

    assert html.count('role="cell"') + html.count('<li class="card') == 25
    assert html.count('value="add" class="agenda-toggle if-out"') == 25
    assert " short" not in html


def test_a_phone_gets_the_list_by_default(client, demo_conference):
    response = client.get(DAY_URL, headers={"Sec-CH-UA-Mobile": "?1", "User-Agent": PIXEL})

    assert layouts_in(response) == ["list"]
    assert {"Sec-CH-UA-Mobile", "User-Agent"} <= set(re.split(r",\s*", response["Vary"]))


def test_a_phone_that_sends_no_client_hints_is_known_by_its_user_agent(client, demo_conference):
    assert layouts_in(client.get(DAY_URL, headers={"User-Agent": IPHONE})) == ["list"]


def test_a_desktop_gets_the_grid_by_default(client, demo_conference):
    response = client.get(DAY_URL, headers={"User-Agent": DESKTOP_FIREFOX})

    assert layouts_in(response) == ["grid"]
    assert "Sec-CH-UA-Mobile" in response["Vary"]


def test_the_client_hint_wins_over_the_user_agent(client, demo_conference):
    # Chrome on Android asking for the desktop site says ?0 and keeps "Mobile" out of its agent.
    response = client.get(DAY_URL, headers={"Sec-CH-UA-Mobile": "?0", "User-Agent": PIXEL})

    assert layouts_in(response) == ["grid"]


def test_a_chosen_layout_wins_over_the_phone_default(client, demo_conference):
    phone = {"Sec-CH-UA-Mobile": "?1", "User-Agent": PIXEL}

    assert layouts_in(client.get(DAY_URL, {"layout": "grid"}, headers=phone)) == ["grid"]
    assert layouts_in(client.get(DAY_URL, headers=phone)) == ["grid"]  # remembered in the cookie


def test_list_marks_sessions_happening_now_and_next_in_words(client, demo_conference, time_machine):
    time_machine.move_to(SECOND_MORNING)

    response = client.get(DAY_URL, {"layout": "list"})

    assert titles_with(response, "now-badge") == [
        "Registration and Badge Pick-up",
        "Monarch: Programming a Whole Cluster from One Python Script",
        "Office Hours: Bringing Your Project into the PyTorch Ecosystem",
        "Lightning Talk: Semantic KV Caching for Agentic Workloads",
    ]
    assert titles_with(response, "next-badge") == [
        "Birds of a Feather: Low-Precision Training Recipes in Practice",
        "Fused Multi-GPU Kernels with PyTorch Symmetric Memory and NCCL Device APIs",
    ]


def test_jump_to_now_leads_to_the_first_talk_running_not_to_registration(
    client, demo_conference, time_machine
):
    time_machine.move_to(SECOND_MORNING)

    html = client.get(DAY_URL, {"layout": "list"}).content.decode()

    assert '<a href="#now">Jump to now</a>' in html
    assert re.search(r'<li class="slot" id="now">\s*<h3 class="slot-time"><time[^>]*>11:10<', html)
    assert html.count('id="now"') == 1


def test_marks_move_with_the_clock_though_the_rendering_is_cached(
    client, demo_conference, time_machine
):
    time_machine.move_to(SECOND_MORNING)
    client.get(DAY_URL, {"layout": "list"})
    time_machine.move_to(SECOND_MORNING + dt.timedelta(minutes=15))

    response = client.get(DAY_URL, {"layout": "list"})

    assert titles_with(response, "next-badge") == [
        "Float8 Training, Compared: From Hopper to Microscaling"
    ]
    assert "Birds of a Feather: Low-Precision Training Recipes in Practice" in titles_with(
        response, "now-badge"
    )


def test_grid_marks_now_with_a_line_and_the_sessions_in_words(
    client, demo_conference, time_machine
):
    time_machine.move_to(SECOND_MORNING)

    response = client.get(DAY_URL, {"layout": "grid"})

    html = response.content.decode()
    assert '<div id="now" class="now-line r' in html
    assert '<a href="#now">Jump to now</a>' in html
    assert len(titles_with(response, "now-badge")) == 4
    assert len(titles_with(response, "next-badge")) == 2


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 4, 6, 9, 30, tzinfo=dt.UTC),  # the day before
        dt.datetime(2026, 4, 7, 9, 30, tzinfo=dt.UTC),  # the first day, showing the second
        dt.datetime(2026, 4, 8, 18, 30, tzinfo=dt.UTC),  # after the last session
    ],
)
def test_no_now_or_next_marks_when_the_day_shown_is_not_running(
    client, demo_conference, time_machine, moment
):
    time_machine.move_to(moment)

    html = client.get(DAY_URL, {"layout": "list"}).content.decode()

    assert "now-badge" not in html
    assert "next-badge" not in html
    assert "Jump to now" not in html


def test_grid_css_holds_the_placement_classes_that_grid_py_writes():
    written = grid.GRID_CSS.read_text()

    assert written.startswith(grid.placement_css()), "run `python -m public.grid` to rewrite it"
    assert ".r362{grid-row-start:362}" in written
    assert ".grid.cols40{" in written
