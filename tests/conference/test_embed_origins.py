import html

import pytest

from conference.admin import ConferenceForm
from tests.factories import ConferenceFactory

pytestmark = pytest.mark.django_db


def form_data(**changes):
    return {
        "name": "PyCon Ouest",
        "slug": "pycon-ouest",
        "description": "",
        "start_date": "2026-10-01",
        "end_date": "2026-10-02",
        "timezone": "Europe/Paris",
        "locale": "fr-FR",
        "venue": "",
        "city": "",
        "registration_url": "",
        "embed_origins": "",
        **changes,
    }


def test_conference_form_names_the_line_that_is_not_an_origin():
    form = ConferenceForm(
        data=form_data(
            embed_origins="https://www.pycon.example\nhttps://www.pycon.example/programme"
        )
    )

    assert not form.is_valid()
    assert form.errors["embed_origins"] == [
        "“https://www.pycon.example/programme” is not an origin: write one a line, as "
        "https://www.example.org (no path), or https://*.example.org for all its subdomains."
    ]


def test_listed_origins_are_read_once_each_in_lower_case_without_a_trailing_slash():
    conference = ConferenceFactory(
        embed_origins="https://WWW.Pycon.example/\n\n  https://www.pycon.example \nhttps://b.example"
    )

    assert conference.embed_origin_list == ["https://www.pycon.example", "https://b.example"]


def test_conference_admin_shows_the_snippet_to_paste(admin_client, settings):
    settings.SITE_URL = "https://schedule.example.org"
    conference = ConferenceFactory(name='PyCon "Ouest"', slug="pycon-ouest")

    page = admin_client.get(f"/admin/conference/conference/{conference.pk}/change/")

    snippet = html.unescape(page.content.decode().split("<pre><code>")[1].split("</code></pre>")[0])
    assert snippet == (
        '<iframe src="https://schedule.example.org/pycon-ouest/embed/" title="PyCon &quot;Ouest&quot;" '
        "data-schedule-embed\n"
        '        width="100%" height="800" loading="lazy"></iframe>\n'
        '<script src="https://schedule.example.org/static/js/embed-host.js" defer></script>'
    )
