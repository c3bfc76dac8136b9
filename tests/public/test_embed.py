import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from conference.models import validate_embed_origins
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

HOST = "https://www.pycon.example"


@pytest.fixture
def conference():
    conference = ConferenceFactory(
        slug="pycon", embed_origins=f"{HOST}\n\nhttps://*.partner.example/\n"
    )
    SessionFactory(
        conference=conference,
        title="Typed Django",
        speakers=[SpeakerFactory(conference=conference, name="Ada")],
    )
    return conference


def test_embed_may_be_framed_by_the_listed_origins_only(client, conference):
    response = client.get("/pycon/embed/")

    policy = response["Content-Security-Policy"]
    assert re.search(r"frame-ancestors ([^;]+)", policy)[1] == (
        "https://www.pycon.example https://*.partner.example"
    )
    assert "X-Frame-Options" not in response
    # Every other rule of the site's policy is kept.
    assert "script-src 'self'" in policy
    assert "default-src 'self'" in policy


def test_embed_of_a_conference_that_lists_no_origin_stays_unframable(client, conference):
    conference.embed_origins = ""
    conference.save()

    response = client.get("/pycon/embed/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_other_pages_of_a_conference_that_lists_origins_stay_unframable(client, conference):
    response = client.get("/pycon/schedule/")

    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_embed_served_from_the_shared_page_cache_keeps_its_framing(client, conference):
    first = client.get("/pycon/embed/?layout=list")
    again = client.get("/pycon/embed/?layout=list")

    assert first.content == again.content
    for response in (first, again):
        assert "frame-ancestors https://www.pycon.example" in response["Content-Security-Policy"]
        assert "X-Frame-Options" not in response


@pytest.mark.parametrize("cookies", [{}, {"sessionid": "none-such"}])
def test_a_revalidated_embed_keeps_its_framing(client, conference, cookies):
    """Shared (answered from the cache) or not, a 304 takes nothing back."""
    for name, value in cookies.items():
        client.cookies[name] = value
    etag = client.get("/pycon/embed/")["ETag"]

    response = client.get("/pycon/embed/", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert "frame-ancestors 'none'" not in response.get("Content-Security-Policy", "")
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("layout", ["grid", "list"])
def test_embed_sets_no_cookie_even_for_a_visitor_with_a_session(client, conference, layout):
    client.get("/pycon/sessions/typed-django/")
    client.post("/pycon/sessions/typed-django/agenda/", {"action": "add"})
    assert "sessionid" in client.cookies  # the visitor has an agenda here

    response = client.get(f"/pycon/embed/?layout={layout}&tz=America/New_York&clock=12")

    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in str(response.serialize_headers())


@pytest.mark.parametrize("layout", ["grid", "list"])
def test_embed_links_open_the_full_site_in_a_new_tab(client, conference, layout):
    html = client.get(f"/pycon/embed/?layout={layout}").content.decode()

    links = re.findall(r"<a [^>]*>", html)
    session_links = [link for link in links if "/pycon/sessions/" in link or "/speakers/" in link]
    assert session_links
    for link in session_links:
        assert 'target="_blank"' in link and 'rel="noopener"' in link
    # Nothing to click that acts on the site, nothing of the visitor's, no site header.
    assert "<form" not in html
    assert 'class="site-header"' not in html
    assert "Typed Django" in html and "Ada" in html


def test_embed_has_no_tracking_and_no_inline_script_or_style(client, conference):
    html = client.get("/pycon/embed/").content.decode()

    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert all(src.startswith("/static/") for src in scripts)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"https?://", re.sub(r"<meta[^>]*>", "", html).replace(HOST, ""))


def test_embed_day_tabs_stay_in_the_frame_with_the_filters(client, conference):
    SessionFactory(
        conference=conference, title="Day two", start=dt.datetime(2026, 4, 8, 9, tzinfo=dt.UTC)
    )

    html = client.get("/pycon/embed/2026-04-07/?layout=list&tz=Asia/Tokyo").content.decode()

    assert 'href="/pycon/embed/2026-04-08/?tz=Asia%2FTokyo&amp;layout=list"' in html


def test_embed_with_an_unknown_day_is_a_404(client, conference):
    assert client.get("/pycon/embed/2030-01-01/").status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        "https://www.example.org/schedule",
        "http://www.example.org",
        "https://example.org; script-src *",
        "*",
        "https://exa mple.org",
        "'self'",
    ],
)
def test_embed_origins_refuse_what_is_not_an_https_origin(value):
    with pytest.raises(ValidationError):
        validate_embed_origins(value)


def test_embed_origins_take_https_origins_and_local_http():
    validate_embed_origins(
        "https://www.example.org\nhttps://*.example.org:8443\nhttp://127.0.0.1:8000"
    )


@pytest.mark.parametrize("layout", ["grid", "list"])
def test_embed_of_a_full_day_reads_a_fixed_number_of_queries(
    client, demo_conference, layout, django_assert_max_num_queries
):
    # As the schedule's day: the conference, filters, days, sessions, speakers, latest changes.
    with django_assert_max_num_queries(9):
        response = client.get(f"/{demo_conference.slug}/embed/2026-04-08/?layout={layout}")

    assert response.status_code == 200
