"""The day page's shared rendering is cached per schedule version; each visitor's own parts
(agenda marks, seats, CSRF tokens) are filled in per request and never shared."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from attendees.models import AgendaEntry
from schedule.models import Session
from tests.schedule.test_admin import session_form

pytestmark = pytest.mark.django_db

DAY_URL = "/pytorch-conference-europe-2026/schedule/2026-04-08/?layout=list"


@pytest.fixture
def gemma(demo_conference):
    return Session.objects.get(conference=demo_conference, title__contains="Gemma 4")


def session_queries(client, url):
    """The response, and the queries that read the day's sessions (not the live seat
    counts of its few limited sessions, which every request reads)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [
        q["sql"]
        for q in captured
        if 'FROM "schedule_session"' in q["sql"] and '"start" >=' in q["sql"]
    ]


def test_a_repeated_request_is_served_from_the_cache(client, demo_conference):
    first, first_queries = session_queries(client, DAY_URL)
    second, second_queries = session_queries(client, DAY_URL)

    assert first_queries  # rendered: sessions read
    assert second_queries == []  # cached: the day's sessions are not read again
    assert first["ETag"] == second["ETag"]


def test_an_admin_edit_shows_at_once(client, admin_client, gemma):
    client.get(DAY_URL)

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

    html = client.get(DAY_URL).content.decode()
    assert "Gemma 4, renamed" in html
    assert gemma.title not in html


def test_an_import_shows_at_once(client, demo_conference, tmp_path):
    client.get(DAY_URL)
    export = client.get("/pytorch-conference-europe-2026/schedule.json").content.decode()
    path = tmp_path / "changed.json"
    path.write_text(export.replace("Gemma 4", "Gemma Five"))

    call_command(
        "import_schedule", str(path), conference="pytorch-conference-europe-2026", verbosity=0
    )

    assert "Gemma Five" in client.get(DAY_URL).content.decode()


def test_agenda_marks_are_never_served_from_another_visitors_rendering(client, gemma):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=ada, session=gemma)
    client.force_login(ada)
    ada_html = client.get(DAY_URL).content.decode()
    ada_secret = client.cookies["csrftoken"].value
    visitor = Client()

    response, queries = session_queries(visitor, DAY_URL)
    visitor_html = response.content.decode()

    assert queries == []  # the same shared rendering, from the cache
    assert ada_html.count('class="agenda-form in-agenda"') == 1
    assert 'class="agenda-form in-agenda"' not in visitor_html
    assert "\x1e" not in visitor_html
    # The visitor's page is the shared one: no token of anyone's in it, no cookie minted.
    assert "csrfmiddlewaretoken" not in visitor_html
    assert ada_secret not in visitor_html
    assert "csrftoken" not in visitor.cookies


def test_my_agenda_filter_is_never_cached(client, gemma):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=ada, session=gemma)
    client.force_login(ada)
    client.get(DAY_URL + "&mine=1")

    AgendaEntry.objects.all().delete()

    assert "Gemma 4" not in client.get(DAY_URL + "&mine=1").content.decode()


def test_pages_carry_an_etag_and_answer_304(client, demo_conference):
    first = client.get(DAY_URL)

    second = client.get(DAY_URL, headers={"If-None-Match": first["ETag"]})

    assert second.status_code == 304
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]


@pytest.mark.parametrize(
    "title",
    ["Leak \x1ecsrf-token\x1e here", "Leak <\x1ecsrf-token\x1e> here", "Seat <\x1eseat-box1\x1e>"],
)
def test_a_title_that_looks_like_a_marker_is_shown_as_text(client, gemma, title):
    gemma.title = title
    gemma.save()

    for _render in ("shared rendering", "from the cache"):
        page = client.get(DAY_URL).content.decode()

        assert (
            f'<h4 class="card-title"><a href="{gemma.get_absolute_url()}">{escape(title)}</a>'
            in page
        )


def test_control_characters_in_an_imported_file_are_dropped_and_the_xml_export_stays_valid(
    client, demo_conference
):
    from defusedxml.ElementTree import fromstring

    from schedule.importing import import_schedule

    rows = "title,start_utc,end_utc\nBell \x07 and \x1e record,2026-04-07T08:00:00Z,2026-04-07T09:00:00Z\n"
    report = import_schedule(conference_slug=demo_conference.slug, source=rows, dry_run=False)

    assert report.ok, report.rejected
    assert Session.objects.filter(title="Bell  and  record").exists()
    fromstring(client.get(f"/{demo_conference.slug}/schedule.xml").content)
