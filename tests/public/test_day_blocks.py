"""A big day in time blocks: the first inline, each next one a plain link that HTMX follows as
it scrolls into view; and the now marks filled into a rendering cached for the whole day."""

import datetime as dt
import gzip
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from public.blocks import BLOCK_SESSIONS
from schedule.models import Session

pytestmark = pytest.mark.django_db

NEXT_BLOCK = re.compile(
    r'<p class="block-next" id="block-(\d{4})" hx-get="([^"]+)"[^>]*>\s*<a href="([^"]+)">'
)
SESSION_LINK = re.compile(r'class="card-title"><a href="/big/sessions/([^/]+)/')


def busiest_day(conference):
    sessions = Session.objects.for_conference(conference)
    return max(conference.days, key=lambda day: sessions.on_local_day(day, conference.zone).count())


def slugs_of(html):
    return SESSION_LINK.findall(html)


def test_a_big_day_shows_its_first_block_and_a_link_to_the_next(client, big_conference):
    day = busiest_day(big_conference)

    response = client.get(f"/big/schedule/{day}/", {"layout": "list"})

    html = response.content.decode()
    day_sessions = Session.objects.for_conference(big_conference).on_local_day(
        day, big_conference.zone
    )
    assert f"{day_sessions.count()} sessions." in html
    assert BLOCK_SESSIONS <= len(slugs_of(html)) < 2 * BLOCK_SESSIONS
    key, hx_get, href = NEXT_BLOCK.search(html).groups()
    assert unescape(hx_get) == unescape(href) == f"/big/schedule/{day}/?layout=list&from={key}"
    assert len(gzip.compress(response.content)) < 20_000


def test_following_the_links_without_javascript_lists_every_session_of_the_day_once(
    client, big_conference
):
    day = busiest_day(big_conference)
    url, seen = f"/big/schedule/{day}/?layout=list", []

    while url:
        html = client.get(unescape(url)).content.decode()
        seen += slugs_of(html)
        found = NEXT_BLOCK.search(html)
        url = found and found.group(3)

    expected = Session.objects.for_conference(big_conference).on_local_day(day, big_conference.zone)
    assert sorted(seen) == sorted(expected.values_list("slug", flat=True))
    assert len(seen) == len(set(seen))


def test_htmx_gets_only_the_block_and_its_own_next_link(client, big_conference):
    day = busiest_day(big_conference)
    first = client.get(f"/big/schedule/{day}/", {"layout": "grid"}).content.decode()
    key, hx_get, _href = NEXT_BLOCK.search(first).groups()

    html = client.get(
        unescape(hx_get), headers={"HX-Request": "true", "HX-Target": f"block-{key}"}
    ).content.decode()

    assert html.lstrip().startswith(f'<div class="day-block" id="block-{key}">')
    assert "<html" not in html and 'id="schedule-results"' not in html
    assert NEXT_BLOCK.search(html).group(1) > key
    assert "stage-pager" not in html  # once per page, in its first block
    shared_ids = set(re.findall(r'id="([^"]+)"', html)) & set(re.findall(r'id="([^"]+)"', first))
    assert shared_ids == {f"block-{key}"}  # the link that the block takes the place of


def test_without_htmx_a_block_link_is_the_day_page_from_that_block(client, big_conference):
    day = busiest_day(big_conference)
    first = client.get(f"/big/schedule/{day}/", {"layout": "list"}).content.decode()
    key, _hx_get, href = NEXT_BLOCK.search(first).groups()

    html = client.get(unescape(href)).content.decode()

    assert "<h1>" in html and f'id="block-{key}"' in html
    assert 'class="block-link"><a href="' in html  # back to the earlier sessions
    assert not set(slugs_of(html)) & set(slugs_of(first))


def test_the_demo_day_is_one_page(client, demo_conference):
    html = client.get(
        "/pytorch-conference-europe-2026/schedule/2026-04-08/", {"layout": "list"}
    ).content.decode()

    assert "block-next" not in html
    assert "block-link" not in html


def test_a_search_on_a_big_day_lists_all_its_matches_on_one_page(client, big_conference):
    day = busiest_day(big_conference)
    stage = big_conference.stages.order_by("position").first()

    html = client.get(
        f"/big/schedule/{day}/", {"layout": "list", "stage": stage.slug}
    ).content.decode()

    matches = Session.objects.for_conference(big_conference).on_local_day(day, big_conference.zone)
    assert sorted(slugs_of(html)) == sorted(
        matches.filter(stage=stage).values_list("slug", flat=True)
    )
    assert "block-next" not in html


def test_jump_to_now_leads_to_the_block_that_holds_now(client, big_conference, time_machine):
    day = busiest_day(big_conference)
    sessions = Session.objects.for_conference(big_conference).on_local_day(day, big_conference.zone)
    talk = sessions.filter(session_type__spans_all_stages=False).order_by("start")[
        len(sessions) // 2
    ]
    time_machine.move_to(talk.start + dt.timedelta(minutes=1))

    html = client.get(f"/big/schedule/{day}/", {"layout": "list"}).content.decode()

    href = unescape(
        re.search(r'<p class="jump-now"><a href="([^"]+)">Jump to now</a>', html).group(1)
    )
    assert re.fullmatch(rf"/big/schedule/{day}/\?layout=list&from=\d{{4}}#now", href)
    target = client.get(href.split("#")[0]).content.decode()
    assert target.count('id="now"') == 1
    assert '<a href="#now">Jump to now</a>' in target


def test_the_marks_of_the_moment_move_without_reading_the_day_again(
    client, demo_conference, time_machine
):
    url = "/pytorch-conference-europe-2026/schedule/2026-04-08/?layout=grid"
    time_machine.move_to(dt.datetime(2026, 4, 8, 9, 30, tzinfo=dt.UTC))
    client.get(url)
    time_machine.move_to(dt.datetime(2026, 4, 8, 9, 31, tzinfo=dt.UTC))

    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()

    assert "Now 11:31" in html
    day_reads = [q for q in queries if '"schedule_session"."start" >=' in q["sql"]]
    assert not day_reads  # only the seat counts, which are live, are read again


def test_the_embed_of_a_big_day_pages_through_its_blocks_in_the_frame(client, big_conference):
    day = busiest_day(big_conference)
    url, seen = f"/big/embed/{day}/?layout=list", []

    while url:
        html = client.get(unescape(url)).content.decode()
        seen += re.findall(
            r'class="card-title"><a href="/big/sessions/([^/]+)/" target="_blank"', html
        )
        found = NEXT_BLOCK.search(html)
        url = found and found.group(3)
        assert url is None or url.startswith(f"/big/embed/{day}/?")
        assert "<form" not in html

    expected = Session.objects.for_conference(big_conference).on_local_day(day, big_conference.zone)
    assert sorted(seen) == sorted(expected.values_list("slug", flat=True))
