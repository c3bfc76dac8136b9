import datetime as dt
import re
from html import unescape

import pytest

from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory

pytestmark = pytest.mark.django_db

DAY_URL = "/pytorch-conference-europe-2026/schedule/2026-04-08/"


def text(response):
    """The page's visible text, tags dropped and whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def card_titles(response):
    """Titles of the sessions listed in the list layout, in page order."""
    html = response.content.decode()
    return [
        unescape(t) for t in re.findall(r'class="card-title"><a href="[^"]+">([^<]+)</a>', html)
    ]


def test_day_lists_the_gemma_keynote_at_0950_on_the_master_stage(client, demo_conference):
    response = client.get(DAY_URL, {"layout": "list"})

    assert response.status_code == 200
    gemma = next(t for t in card_titles(response) if "Gemma 4" in t)
    assert f"{gemma} 09:50–10:05 · Master Stage" in text(response)


def test_grid_places_the_gemma_keynote_in_the_master_stage_column(client, demo_conference):
    response = client.get(DAY_URL, {"layout": "grid"})

    html = response.content.decode()
    columns = dict(re.findall(r'class="stage-head r1 (c\d+)"[^>]*>([^<]+)<', html))
    master = next(column for column, name in columns.items() if name == "Master Stage")
    cell = re.search(
        r'<div role="cell"[^>]*class="([^"]*)"[^>]*>\s*<h3 class="cell-title"><a[^>]*>[^<]*Gemma 4',
        html,
    )
    assert cell is not None
    assert master in cell.group(1).split()


def test_schedule_without_a_day_shows_the_first_day_before_the_conference(client, demo_conference):
    response = client.get("/pytorch-conference-europe-2026/schedule/", {"layout": "list"})

    assert "Tuesday 7 April 2026" in text(response)


def test_schedule_without_a_day_shows_today_while_the_conference_runs(
    client, demo_conference, time_machine
):
    time_machine.move_to(dt.datetime(2026, 4, 8, 9, 0, tzinfo=dt.UTC))

    response = client.get("/pytorch-conference-europe-2026/schedule/", {"layout": "list"})

    assert "Wednesday 8 April 2026" in text(response)


def test_day_tabs_link_every_day(client, demo_conference):
    response = client.get(DAY_URL)

    tabs = re.findall(
        r'href="/pytorch-conference-europe-2026/schedule/(\d{4}-\d\d-\d\d)/',
        response.content.decode(),
    )
    assert sorted(set(tabs)) == ["2026-04-07", "2026-04-08"]


def test_master_stage_filter_lists_only_its_sessions(client, demo_conference):
    response = client.get(DAY_URL, {"layout": "list", "stage": "master-stage"})

    expected = set(
        Session.objects.filter(
            conference=demo_conference,
            stage__slug="master-stage",
            start__gte=dt.datetime(2026, 4, 7, 22, 0, tzinfo=dt.UTC),
            start__lt=dt.datetime(2026, 4, 8, 22, 0, tzinfo=dt.UTC),
        ).values_list("title", flat=True)
    )
    assert expected
    assert set(card_titles(response)) == expected


def test_filters_combine(client, demo_conference):
    stage_and_type = client.get(
        DAY_URL, {"layout": "list", "stage": "master-stage", "type": "keynote"}
    )

    titles = card_titles(stage_and_type)
    assert titles
    assert all(
        s.stage.slug == "master-stage" and s.session_type.slug == "keynote"
        for s in Session.objects.filter(conference=demo_conference, title__in=titles)
    )
    assert len(titles) < len(
        card_titles(client.get(DAY_URL, {"layout": "list", "stage": "master-stage"}))
    )


def test_a_filter_repeats_to_choose_several_stages(client, demo_conference):
    response = client.get(DAY_URL, {"layout": "list", "stage": ["master-stage", "central-room"]})

    stages = set(
        Session.objects.filter(title__in=card_titles(response)).values_list(
            "stage__slug", flat=True
        )
    )
    assert stages == {"master-stage", "central-room"}


@pytest.mark.parametrize("query", ["gemma", "GEMMA", "Gemma 4", "  gemma  "])
def test_search_finds_gemma_whatever_the_case(client, demo_conference, query):
    response = client.get(DAY_URL, {"layout": "list", "q": query})

    titles = card_titles(response)
    assert titles and all("Gemma" in title for title in titles)


@pytest.mark.parametrize("query", ["zurich", "ZURICH", "Zürich", "zürich"])
def test_search_ignores_accents(client, query):
    paris = ConferenceFactory(slug="conf")
    stage = StageFactory(conference=paris)
    swiss = SpeakerFactory(conference=paris, name="Jan", company="IBM Research Zürich")
    SessionFactory(conference=paris, stage=stage, title="Kernels", speakers=[swiss])
    SessionFactory(
        conference=paris,
        stage=stage,
        title="Made in Zürich",
        slug="made-in-zurich",
        start=dt.datetime(2026, 4, 8, 9, tzinfo=dt.UTC),
    )
    SessionFactory(
        conference=paris,
        stage=stage,
        title="Elsewhere",
        slug="elsewhere",
        start=dt.datetime(2026, 4, 8, 10, tzinfo=dt.UTC),
    )

    response = client.get("/conf/schedule/2026-04-08/", {"layout": "list", "q": query})

    assert sorted(card_titles(response)) == ["Kernels", "Made in Zürich"]


def test_search_matches_speaker_names_and_abstracts(client, demo_conference):
    by_name = card_titles(client.get(DAY_URL, {"layout": "list", "q": "burtenshaw"}))
    by_company = card_titles(client.get(DAY_URL, {"layout": "list", "q": "hugging face"}))

    assert len(by_name) == 1
    assert by_name[0] in by_company


def test_search_with_no_match_says_so_and_offers_to_clear(client, demo_conference):
    response = client.get(DAY_URL, {"q": "quantum basket weaving"})

    page = text(response)
    assert "No session on this day matches these filters." in page
    assert "Clear filters" in page


def test_empty_search_shows_everything(client, demo_conference):
    everything = card_titles(client.get(DAY_URL, {"layout": "list"}))

    assert card_titles(client.get(DAY_URL, {"layout": "list", "q": ""})) == everything


def test_htmx_filter_request_gets_only_the_results(client, demo_conference):
    response = client.get(
        DAY_URL,
        {"q": "gemma"},
        headers={"HX-Request": "true", "HX-Target": "schedule-results"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="schedule-results"')
    assert "HX-Request" in response["Vary"]


def test_plain_request_gets_the_full_page(client, demo_conference):
    response = client.get(DAY_URL, {"q": "gemma"})

    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert 'id="schedule-results"' in html
    assert "HX-Request" in response["Vary"]


def test_htmx_request_for_another_region_gets_the_full_page(client, demo_conference):
    response = client.get(DAY_URL, headers={"HX-Request": "true", "HX-Target": "schedule-page"})

    assert response.content.decode().startswith("<!DOCTYPE html>")


def test_layout_choice_is_remembered_in_a_cookie(client, demo_conference):
    client.get(DAY_URL, {"layout": "list"})

    response = client.get(DAY_URL)

    assert 'class="slots"' in response.content.decode()
    assert 'class="grid ' not in response.content.decode()


def test_grid_is_the_default_layout(client, demo_conference):
    assert 'class="grid cols' in client.get(DAY_URL).content.decode()


def test_cancelled_session_stays_visible_and_marked(client, demo_conference):
    cancelled = Session.objects.get(conference=demo_conference, status="cancelled")

    response = client.get(DAY_URL, {"layout": "list"})

    assert cancelled.title in card_titles(response)
    assert "Cancelled" in text(response)


def test_schedule_shows_both_notices(client, demo_conference):
    page = text(client.get(DAY_URL))

    assert "does not register you for PyTorch Conference Europe 2026" in page
    assert (
        "Times are in Central European Summer Time (CEST, UTC+2), the conference's timezone."
        in page
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/no-such-conf/schedule/", "There is no conference “no-such-conf”."),
        (
            "/pytorch-conference-europe-2026/sessions/no-such-talk/",
            "There is no session “no-such-talk” in this conference.",
        ),
        (
            "/pytorch-conference-europe-2026/speakers/nobody/",
            "There is no speaker “nobody” at this conference.",
        ),
        (f"{DAY_URL}?stage=basement", "This conference has no stage “basement”."),
        (f"{DAY_URL}?track=knitting", "This conference has no track “knitting”."),
        (f"{DAY_URL}?type=opera", "This conference has no session type “opera”."),
        (f"{DAY_URL}?speaker=nobody", "This conference has no speaker “nobody”."),
        (
            "/pytorch-conference-europe-2026/schedule/2026-05-01/",
            "PyTorch Conference Europe 2026 has no sessions on 2026-05-01.",
        ),
    ],
)
def test_not_found_pages_say_what_was_not_found_and_link_back(
    client, demo_conference, url, message
):
    response = client.get(url)

    assert response.status_code == 404
    assert message in text(response)
    assert 'href="/' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 10_000}, "The search text is too long: at most 200 characters, please."),
        ({"stage": ["master-stage"] * 51}, "Too many values for “stage”."),
    ],
)
def test_malformed_values_get_a_400_with_a_message(client, demo_conference, params, message):
    response = client.get(DAY_URL, params)

    assert response.status_code == 400
    assert message in text(response)


@pytest.mark.parametrize("day", ["2026-13-45", "2026-02-30", "0000-00-00"])
def test_impossible_dates_get_a_400(client, demo_conference, day):
    response = client.get(f"/pytorch-conference-europe-2026/schedule/{day}/")

    assert response.status_code == 400
    assert f"“{day}” is not a date." in text(response)


def test_unknown_and_repeated_parameters_are_harmless(client, demo_conference):
    response = client.get(
        DAY_URL, {"utm_source": "newsletter", "layout": ["grid", "list"], "q": ["nothing", "gemma"]}
    )

    assert response.status_code == 200
    assert all("Gemma" in title for title in card_titles(response))


def test_search_strips_control_characters(client, demo_conference):
    # A NUL is refused outright (tests/config/test_bad_requests.py); the others are dropped.
    response = client.get(DAY_URL, {"layout": "list", "q": "gem\x07ma"})

    assert response.status_code == 200
    assert any("Gemma" in title for title in card_titles(response))


def public_urls(slug, session, speaker):
    return [
        f"/{slug}/schedule/?layout=grid",
        f"/{slug}/schedule/?layout=list",
        f"/{slug}/schedule/?layout=list&q=data&stage={session.stage.slug}",
        f"/{slug}/sessions/{session.slug}/",
        f"/{slug}/speakers/",
        f"/{slug}/speakers/{speaker.slug}/",
        f"/{slug}/now/",
        f"/{slug}/timezone/",
        f"/{slug}/changes/",
    ]


def test_every_public_page_of_the_demo_runs_at_most_eleven_queries(
    client, demo_conference, django_assert_max_num_queries
):
    session = Session.objects.filter(conference=demo_conference, speakers__isnull=False).first()
    for url in public_urls(demo_conference.slug, session, session.speakers.first()):
        # A day rendered afresh reads the latest version's changes (its marks) once.
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert response.status_code == 200, url


def test_every_public_page_of_a_2000_session_conference_runs_at_most_eleven_queries(
    client, big_conference, django_assert_max_num_queries
):
    session = Session.objects.filter(conference__slug="big", speakers__isnull=False).first()
    for url in public_urls("big", session, session.speakers.first()):
        # A day rendered afresh reads the latest version's changes (its marks) once.
        with django_assert_max_num_queries(11):
            response = client.get(url)
        assert response.status_code == 200, url
