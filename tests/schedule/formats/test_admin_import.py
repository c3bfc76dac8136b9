"""The admin's import: upload, preview (nothing written), confirm."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conference.models import Conference
from schedule.models import PendingImport
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


def preview(client, slug="froscon"):
    upload = SimpleUploadedFile("schedule.xml", (DATA / "pretalx-schedule.xml").read_bytes())
    response = client.post("/admin/conference/conference/import/", {"slug": slug, "file": upload})
    return response.context["token"]


def test_preview_waits_in_the_database_and_expires_after_an_hour(client, organiser):
    url = "/admin/conference/conference/import/"
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        token = preview(client)
    assert PendingImport.objects.filter(token=token).exists()

    with time_machine.travel(dt.datetime(2026, 4, 1, 10, 1, tzinfo=dt.UTC), tick=False):
        response = client.post(url, {"token": token}, follow=True)
        assert "This import has expired" in response.content.decode()
        assert not Conference.objects.filter(slug="froscon").exists()
        # The next upload clears what has expired.
        preview(client, slug="other")
    assert list(PendingImport.objects.values_list("conference_slug", flat=True)) == ["other"]


def test_preview_is_confirmed_only_by_its_organiser_and_only_once(client, organiser):
    url = "/admin/conference/conference/import/"
    token = preview(client)
    colleague = get_user_model().objects.create_superuser("col", "col@example.com", "pw-987654321")
    other = Client()
    other.force_login(colleague)

    assert (
        "This import has expired" in other.post(url, {"token": token}, follow=True).content.decode()
    )
    assert client.post(url, {"token": token}).status_code == 302
    assert Conference.objects.get(slug="froscon").sessions.count() == 3
    again = client.post(url, {"token": token}, follow=True)
    assert "This import has expired" in again.content.decode()
    assert Conference.objects.get(slug="froscon").sessions.count() == 3
