"""The admin's import: upload, preview (nothing written), confirm."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from conference.models import Conference
from tests.schedule.formats.conftest import DATA, fingerprint


@pytest.fixture
def organiser(client, db):
    user = get_user_model().objects.create_superuser("org", "org@example.com", "pw-123456789")
    client.force_login(user)
    return user


def test_preview_then_confirm_imports_into_a_new_conference(client, organiser):
    url = "/admin/conference/conference/import/"
    upload = SimpleUploadedFile("schedule.xml", (DATA / "pretalx-schedule.xml").read_bytes())
    before = fingerprint()

    preview = client.post(url, {"slug": "froscon", "file": upload})

    assert preview.status_code == 200
    assert fingerprint() == before
    page = preview.content.decode()
    assert "3 created, 0 updated, 0 unchanged, 0 removed, 0 rejected" in page
    assert "Supply-chain security for small projects" in page
    token = preview.context["token"]

    done = client.post(url, {"token": token})

    conference = Conference.objects.get(slug="froscon")
    assert done.status_code == 302
    assert done["Location"] == f"/admin/conference/conference/{conference.pk}/change/"
    assert conference.sessions.count() == 3


def test_preview_of_bad_file_shows_problems_and_offers_no_confirm(
    client, organiser, demo_conference
):
    url = f"/admin/conference/conference/{demo_conference.pk}/import/"
    upload = SimpleUploadedFile("bad.csv", b"title,start_utc,end_utc\nTalk,soon,later\n")

    response = client.post(url, {"file": upload})

    page = response.content.decode()
    assert "The file was rejected: nothing was written" in page
    assert "line 2: start_utc/end_utc" in page
    assert "token" not in response.context


def test_confirm_with_unknown_token_imports_nothing(client, organiser, demo_conference):
    url = f"/admin/conference/conference/{demo_conference.pk}/import/"
    before = fingerprint()

    response = client.post(url, {"token": "guessed"})

    assert response.status_code == 302
    assert fingerprint() == before


def test_change_page_links_to_the_import(client, organiser, demo_conference):
    response = client.get(f"/admin/conference/conference/{demo_conference.pk}/change/")

    assert f'href="/admin/conference/conference/{demo_conference.pk}/import/"' in (
        response.content.decode()
    )
