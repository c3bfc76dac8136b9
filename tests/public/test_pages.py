"""The session page, now-and-next, the speakers pages and the meta tags of each."""

import datetime as dt
import re

import pytest
from django.db.models import Q

from schedule.models import Session
from speakers.models import Speaker
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


def test_session_page_names_day_time_range_and_timezone(client, gemma):
    page = text(client.get(f"{CONF}/sessions/{gemma.slug}/"))

    assert "Wednesday 8 April 2026, 09:50–10:05 CEST" in page
    assert "Master Stage, Station F" in page


def test_session_page_links_its_speakers_with_role_and_company(client, demo_conference):
    session = Session.objects.filter(conference=demo_conference, speakers__company="NVIDIA").first()
    speaker = session.speakers.first()

    response = client.get(f"{CONF}/sessions/{session.slug}/")

    assert f'href="{CONF}/speakers/{speaker.slug}/"' in response.content.decode()
    assert f"{speaker.name} · {speaker.affiliation}" in text(response)


def test_session_page_shows_what_runs_before_after_and_in_parallel(client, gemma):
    on_stage = Session.objects.filter(stage=gemma.stage).exclude(pk=gemma.pk)
    before = on_stage.filter(end__lte=gemma.start, start__date=gemma.start.date()).last()
    after = on_stage.filter(start__gte=gemma.end, start__date=gemma.start.date()).first()
    parallel = Session.objects.filter(
        conference=gemma.conference, start__lt=gemma.end, end__gt=gemma.start
    ).exclude(stage=gemma.stage)

    page = text(client.get(f"{CONF}/sessions/{gemma.slug}/"))

    assert f"Before: {before.title}" in page
    assert f"After: {after.title}" in page
    for other in parallel:
        assert other.title in page.split("At the same time elsewhere", 1)[1]


def test_session_page_offers_add_to_calendar(client, gemma):
    response = client.get(f"{CONF}/sessions/{gemma.slug}/")

    assert f'href="{CONF}/sessions/{gemma.slug}.ics"' in response.content.decode()


def test_session_page_has_description_and_open_graph_tags(client, gemma):
    html = client.get(f"{CONF}/sessions/{gemma.slug}/").content.decode()

    assert re.search(r'<meta name="description" content="[^"]{20,}">', html)
    assert f'<meta property="og:title" content="{gemma.title}">' in html
    assert (
        f'<meta property="og:url" content="http://testserver{CONF}/sessions/{gemma.slug}/">' in html
    )
    assert f"<title>{gemma.title} · PyTorch Conference Europe 2026</title>" in html


def test_cancelled_session_page_says_so(client, demo_conference):
    cancelled = Session.objects.get(conference=demo_conference, status="cancelled")

    assert "This session is cancelled." in text(client.get(f"{CONF}/sessions/{cancelled.slug}/"))


def test_speakers_are_listed_alphabetically_under_their_initials(client, demo_conference):
    html = client.get(f"{CONF}/speakers/").content.decode()

    names = re.findall(r'<h3><a href="[^"]+/speakers/[^"]+/">([^<]+)</a></h3>', html)
    assert len(names) == Speaker.objects.filter(conference=demo_conference).count()
    assert names == sorted(names, key=lambda name: (name[0].upper(), name.casefold()))
    letters = re.findall(r'<a href="#letter-([a-z]+)">', html)
    assert letters == sorted({name[0].lower() for name in names})


def test_speaker_list_shows_companies_and_filters_by_company(client, demo_conference):
    response = client.get(f"{CONF}/speakers/", {"q": "nvidia"})

    page = text(response)
    nvidia = Speaker.objects.filter(conference=demo_conference).filter(
        Q(company__icontains="nvidia") | Q(bio__icontains="nvidia")
    )
    assert nvidia.filter(company__icontains="nvidia").exists()
    assert f"{nvidia.count()} speakers" in page
    for speaker in nvidia:
        assert speaker.name in page
    assert "Hugging Face" not in page


def test_long_bios_are_cut_on_a_word_boundary_with_read_more(client, demo_conference):
    speaker = next(
        s for s in Speaker.objects.filter(conference=demo_conference) if len(s.bio) > 300
    )

    html = client.get(f"{CONF}/speakers/").content.decode()

    assert speaker.bio_excerpt in html
    assert len(speaker.bio_excerpt) <= 251
    assert speaker.bio.startswith(speaker.bio_excerpt.removesuffix("…"))
    assert speaker.bio[len(speaker.bio_excerpt) - 1] in " ,.;:"
    assert (
        f'href="{CONF}/speakers/{speaker.slug}/" hx-get="{CONF}/speakers/{speaker.slug}/bio/?full=1"'
        in html
    )


def test_read_more_returns_the_whole_bio_and_read_less_folds_it(client, demo_conference):
    speaker = next(
        s for s in Speaker.objects.filter(conference=demo_conference) if len(s.bio) > 300
    )
    url = f"{CONF}/speakers/{speaker.slug}/bio/"

    full = client.get(url, {"full": "1"}, headers={"HX-Request": "true"}).content.decode()
    short = client.get(url, headers={"HX-Request": "true"}).content.decode()

    assert speaker.bio.split("\n")[0][-40:] in full and "Read less" in full
    assert speaker.bio_excerpt in short and "Read more" in short
    assert "<html" not in full


def test_speaker_page_lists_their_sessions_in_time_order(client, demo_conference):
    speaker = Speaker.objects.get(conference=demo_conference, name="Maroon Ayoub")
    sessions = list(speaker.sessions.order_by("start"))

    page = text(client.get(f"{CONF}/speakers/{speaker.slug}/"))

    positions = [page.index(session.title) for session in sessions]
    assert len(sessions) >= 2
    assert positions == sorted(positions)
    assert speaker.bio[:60] in page


def test_speaker_page_has_open_graph_tags(client, demo_conference):
    speaker = Speaker.objects.filter(conference=demo_conference).first()

    html = client.get(f"{CONF}/speakers/{speaker.slug}/").content.decode()

    assert f'<meta property="og:title" content="{speaker.name}">' in html
    assert '<meta property="og:type" content="profile">' in html


def test_now_page_before_the_conference_says_when_it_starts(client, demo_conference, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC))

    page = text(client.get(f"{CONF}/now/"))

    assert "has not started yet. It begins on Tuesday 7 April 2026." in page


def test_now_page_after_the_conference_says_it_has_ended(client, demo_conference, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 10, 12, 0, tzinfo=dt.UTC))

    assert "PyTorch Conference Europe 2026 has ended." in text(client.get(f"{CONF}/now/"))


def test_now_page_shows_running_and_next_session_per_stage(client, gemma, time_machine):
    # 09:55 CEST: five minutes into the Gemma keynote, ten before it ends.
    time_machine.move_to(dt.datetime(2026, 4, 8, 7, 55, tzinfo=dt.UTC), tick=False)
    following = (
        Session.objects.filter(stage=gemma.stage, start__gte=gemma.end).order_by("start").first()
    )
    minutes_to_next = int(
        (following.start - dt.datetime(2026, 4, 8, 7, 55, tzinfo=dt.UTC)).total_seconds() // 60
    )

    page = text(client.get(f"{CONF}/now/"))

    master = page.split("Master Stage", 1)[1]
    assert master.startswith(f" Now: {gemma.title} 09:50–10:05 · 10 minutes left")
    assert f"Next: {following.title}" in master
    assert f"in {minutes_to_next} minutes" in master


def test_now_page_refreshes_itself_every_minute_with_htmx(client, demo_conference):
    html = client.get(f"{CONF}/now/").content.decode()

    assert 'hx-trigger="every 60s"' in html


def test_now_page_htmx_poll_gets_only_the_board(client, demo_conference):
    html = client.get(f"{CONF}/now/", headers={"HX-Request": "true"}).content.decode()

    assert html.lstrip().startswith('<div id="now-board"')


def test_home_lists_nothing_broken_without_conferences(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert "There is no conference yet." in text(response)
