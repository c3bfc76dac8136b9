"""Pages, feeds and exports leave the app gzip-compressed for a client that accepts it, with
ETags that still answer 304; static files and photos are never compressed a second time."""

import gzip

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from attendees.models import AgendaEntry, AgendaFeed
from config.compression import CompressionMiddleware
from public.pages import MASKED_CSRF_TOKEN
from schedule.models import Session

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"
DAY = f"{CONF}/schedule/2026-04-08/"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


@pytest.fixture
def agenda_feed(demo_conference):
    user = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    for session in Session.objects.filter(conference=demo_conference)[:3]:
        AgendaEntry.objects.create(user=user, session=session)
    feed = AgendaFeed.objects.create(user=user, conference=demo_conference)
    return reverse("attendees:feed", kwargs={"conference": CONF[1:], "token": feed.token})


def without_tokens(html):
    return MASKED_CSRF_TOKEN.sub(rb"\1", html)  # masked anew in every response


def test_the_demo_day_page_comes_compressed_and_decompresses_to_the_same_page(
    client, demo_conference
):
    plain = client.get(DAY)
    compressed = client.get(DAY, headers=GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert without_tokens(gzip.decompress(compressed.content)) == without_tokens(plain.content)
    assert int(compressed["Content-Length"]) == len(compressed.content)
    # 26 KB of HTML reaches a phone as a few KB.
    assert len(compressed.content) < len(plain.content) / 4


@pytest.mark.parametrize("path", ["/schedule.json", "/schedule.ics", "/schedule.xml"])
def test_exports_come_compressed(client, demo_conference, path):
    plain = client.get(CONF + path)
    compressed = client.get(CONF + path, headers=GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content) == plain.content


def test_an_agenda_feed_comes_compressed(client, agenda_feed):
    plain = client.get(agenda_feed)
    compressed = client.get(agenda_feed, headers=GZIP)

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content) == plain.content


def test_compressed_bodies_differ_though_the_page_does_not(client, demo_conference):
    """Django's BREACH mitigation: random bytes in each compressed body, none in the page.
    (Up to 100 of them: two bodies are alike once in a hundred, five all alike never.)"""
    bodies = {client.get(f"{CONF}/schedule.json", headers=GZIP).content for _ in range(5)}

    assert len({gzip.decompress(body) for body in bodies}) == 1
    assert len(bodies) > 1


@pytest.mark.parametrize(
    "path", [DAY, f"{CONF}/speakers/", f"{CONF}/schedule.json", f"{CONF}/schedule.ics"]
)
def test_the_weak_etag_of_a_compressed_response_answers_304(client, demo_conference, path):
    compressed = client.get(path, headers=GZIP)
    assert compressed["ETag"].startswith('W/"')

    again = client.get(path, headers={**GZIP, "If-None-Match": compressed["ETag"]})

    assert again.status_code == 304
    assert again.content == b""
    assert "Content-Encoding" not in again


def test_the_weak_etag_answers_304_to_a_client_that_no_longer_asks_for_gzip(
    client, demo_conference
):
    compressed = client.get(DAY, headers=GZIP)

    again = client.get(DAY, headers={"If-None-Match": compressed["ETag"]})

    assert again.status_code == 304


def test_head_sends_the_headers_of_the_compressed_get(client, demo_conference):
    get = client.get(DAY, headers=GZIP)
    head = client.head(DAY, headers=GZIP)

    assert head.content == b""
    assert head["Content-Encoding"] == "gzip"
    assert head["ETag"] == get["ETag"]


def test_without_accept_encoding_nothing_is_compressed(client, demo_conference):
    response = client.get(DAY)

    assert "Content-Encoding" not in response
    assert response.content.startswith(b"<!DOCTYPE html>")
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/webp", "font/woff2"])
def test_photos_and_fonts_are_not_compressed_again(content_type):
    request = RequestFactory().get("/", headers=GZIP)
    response = HttpResponse(bytes(2000), content_type=content_type)

    response = CompressionMiddleware(lambda request: response)(request)

    assert "Content-Encoding" not in response
    assert response.content == bytes(2000)


def test_a_range_of_a_file_is_sent_as_the_bytes_it_names():
    request = RequestFactory().get("/", headers={**GZIP, "Range": "bytes=0-1999"})
    response = HttpResponse(bytes(2000), content_type="text/plain", status=206)

    response = CompressionMiddleware(lambda request: response)(request)

    assert "Content-Encoding" not in response


def test_whitenoise_sends_its_own_compressed_copy_not_a_second_compression(tmp_path):
    css = b"body { color: #111; }\n" * 200
    (tmp_path / "site.css").write_bytes(css)
    (tmp_path / "site.css.gz").write_bytes(gzip.compress(css))
    (tmp_path / "logo.png").write_bytes(bytes(2000))
    with override_settings(STATIC_ROOT=tmp_path):
        client = Client()  # a new handler: WhiteNoise reads STATIC_ROOT when it starts
        stylesheet = client.get("/static/site.css", headers=GZIP)
        image = client.get("/static/logo.png", headers=GZIP)

    assert stylesheet["Content-Encoding"] == "gzip"
    assert b"".join(stylesheet.streaming_content) == (tmp_path / "site.css.gz").read_bytes()
    assert "Content-Encoding" not in image
    assert b"".join(image.streaming_content) == bytes(2000)
