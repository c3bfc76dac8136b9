"""A visitor with nothing personal gets the page every such visitor gets: the same bytes, no
CSRF token or cookie, public caching headers, and, once it is cached, from one cache read
before sessions, authentication and CSRF (config/shared_pages.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendees.models import AgendaEntry
from conference.models import SHARED_PAGES_GENERATION_KEY, Conference
from public.pages import FETCHES_PERSONAL_PARTS_COOKIE
from schedule.models import Session
from tests.schedule.test_admin import session_form

pytestmark = pytest.mark.django_db

DAY_URL = "/pytorch-conference-europe-2026/schedule/2026-04-08/"
PAGES = [DAY_URL, DAY_URL + "?layout=grid", "/pytorch-conference-europe-2026/speakers/"]


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


@pytest.fixture
def session_url(gemma):
    return gemma.get_absolute_url()


@pytest.mark.parametrize("path", ["day", "session"])
def test_two_anonymous_visitors_get_byte_identical_pages(demo_conference, session_url, path):
    url = DAY_URL if path == "day" else session_url
    first = Client().get(url)
    cache.clear()  # rendered again, not only copied from the cache
    second = Client().get(url)
    third = Client().get(url)

    assert first.status_code == 200
    assert first.content == second.content == third.content
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert "X-CSRFToken" not in first.content.decode()
    assert first["ETag"] == second["ETag"] == third["ETag"]


def test_a_shared_page_says_any_cache_may_keep_it(demo_conference):
    response = Client().get(DAY_URL)

    assert response["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    version = Conference.objects.get(pk=demo_conference.pk).schedule_version
    assert response["ETag"].startswith(f'"{version}-')
    assert response.has_header("Last-Modified")
    assert {"Cookie", "HX-Request", "Sec-CH-UA-Mobile", "User-Agent"} <= {
        name.strip() for name in response["Vary"].split(",")
    }
    assert not response.cookies  # no CSRF cookie minted, no session


def test_a_cache_hit_runs_no_sql_and_skips_sessions_authentication_and_csrf(
    demo_conference, django_assert_num_queries
):
    rendered = Client().get(DAY_URL)

    with django_assert_num_queries(0):
        hit = Client().get(DAY_URL)

    assert hit.content == rendered.content
    assert hit["Cache-Control"] == rendered["Cache-Control"]
    assert hit["ETag"] == rendered["ETag"]
    # Answered before SessionMiddleware, AuthenticationMiddleware and CsrfViewMiddleware.
    assert not hasattr(hit.wsgi_request, "session")
    assert not hasattr(hit.wsgi_request, "user")
    assert "CSRF_COOKIE" not in hit.wsgi_request.META
    assert "Content-Security-Policy" in hit  # the middleware around it still runs


def test_a_browser_that_has_the_page_gets_304_from_the_cache(demo_conference):
    etag = Client().get(DAY_URL)["ETag"]

    response = Client().get(DAY_URL, headers={"If-None-Match": etag})

    assert response.status_code == 304


def test_display_cookies_and_the_phone_hint_get_pages_of_their_own(demo_conference):
    grid = Client().get(DAY_URL, headers={"Sec-CH-UA-Mobile": "?0"}).content.decode()
    phone = Client().get(DAY_URL, headers={"Sec-CH-UA-Mobile": "?1"}).content.decode()
    visitor = Client()
    visitor.cookies["tz"] = "Asia/Tokyo"
    tokyo = visitor.get(DAY_URL).content.decode()

    assert 'class="grid-frame"' in grid
    assert 'class="grid-frame"' not in phone
    assert "Asia/Tokyo" in tokyo and "Asia/Tokyo" not in grid


def test_a_visitor_with_a_session_gets_a_page_of_their_own(demo_conference, gemma):
    Client().get(DAY_URL)  # the shared page, cached
    visitor = Client()
    visitor.post(
        reverse("attendees:toggle", args=[demo_conference.slug, gemma.slug]),
        {"action": "add"},
        headers={"Sec-Fetch-Site": "same-origin"},
    )

    response = visitor.get(DAY_URL)

    assert response["Cache-Control"] == "private, no-cache"
    assert response.content.decode().count('class="agenda-form in-agenda"') == 1


@pytest.mark.parametrize(
    "path", ["/agenda/", "/print/?mine=1", "/schedule/2026-04-08/?mine=1&layout=list"]
)
def test_pages_made_of_a_person_s_agenda_are_never_shared(demo_conference, gemma, path):
    """Their content is the agenda itself, which no fetched personal part fills in: a browser
    that fetches its own parts must never be given the empty one of a visitor with none."""
    url = f"/{demo_conference.slug}{path}"
    Client().get(url)  # a visitor with nothing saved
    ada = Client()
    ada.force_login(get_user_model().objects.create_user("ada", "ada@example.org"))
    AgendaEntry.objects.create(user=get_user_model().objects.get(username="ada"), session=gemma)
    ada.cookies[FETCHES_PERSONAL_PARTS_COOKIE] = "1"

    response = ada.get(url)

    assert gemma.title in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"


def test_a_page_that_sets_a_cookie_is_neither_public_nor_kept(demo_conference):
    response = Client().get(DAY_URL + "?layout=list")  # remembers the layout in a cookie

    assert response.cookies["layout"].value == "list"
    assert response["Cache-Control"] == "private, no-cache"
    assert Client().get(DAY_URL + "?layout=list").cookies  # rendered again, not served kept


def test_a_change_in_the_admin_is_visible_on_the_next_request(admin_client, gemma):
    before = Client().get(DAY_URL)
    assert Client().get(DAY_URL)["ETag"] == before["ETag"]  # served from the cache

    admin_client.post(
        reverse("admin:schedule_session_change", args=[gemma.pk]),
        session_form(
            gemma.conference,
            gemma.stage,
            day="2026-04-08",
            start="09:50",
            end="10:05",
            title="Gemma 4, renamed",
            slug=gemma.slug,
        ),
    )
    after = Client().get(DAY_URL)

    assert "Gemma 4, renamed" in after.content.decode()
    assert after["ETag"] != before["ETag"]  # a proxy revalidating by ETag gets the new page
    assert Client().get(DAY_URL, headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_a_change_committed_later_retires_a_page_rendered_meanwhile(
    demo_conference, django_capture_on_commit_callbacks
):
    Client().get(DAY_URL)
    generation = cache.get(SHARED_PAGES_GENERATION_KEY)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Conference.objects.bump_schedule_version(demo_conference.pk)
        Client().get(DAY_URL)  # rendered before the change commits, under a new generation
    assert cache.get(SHARED_PAGES_GENERATION_KEY) not in (None, generation)
    for callback in callbacks:
        callback()  # the commit

    assert cache.get(SHARED_PAGES_GENERATION_KEY) is None


def test_the_next_release_of_the_code_renders_its_own_pages(demo_conference):
    """Servers of two releases share the cache during a deploy: neither answers with markup the
    other rendered (other static file names, other templates), whole pages or their parts."""

    def queries_for(url):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    cache.clear()
    rendered = queries_for(DAY_URL)
    assert queries_for(DAY_URL) == 0  # this release: the kept page

    with override_settings(RELEASE="the-next-release"):
        assert queries_for(DAY_URL) == rendered  # rendered whole, no part from the cache
        assert queries_for(DAY_URL) == 0
