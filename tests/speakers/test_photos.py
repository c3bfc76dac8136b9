"""Speaker photos: read from imports and fetched after the commit from a local server (never the
internet), uploaded in the admin, resized and served for a year, initials where there is none."""

import datetime as dt
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from schedule.formats import c3voc_json, frab_xml
from schedule.importing import import_schedule
from speakers import photos
from speakers.models import Speaker
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory
from tests.services import free_port

pytestmark = pytest.mark.django_db


def jpeg(width=600, height=400):
    """A photo wider than tall: red left third, green middle, blue right third."""
    image = Image.new("RGB", (width, height), "green")
    image.paste("red", (0, 0, width // 3, height))
    image.paste("blue", (2 * width // 3, 0, width, height))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


PHOTO = jpeg()
OTHER_PHOTO = jpeg(300, 300)
ROUTES = {
    "/photo.jpg": (200, "image/jpeg", PHOTO),
    "/other.jpg": (200, "image/jpeg", OTHER_PHOTO),
    "/huge.jpg": (200, "image/jpeg", b"\xff\xd8" + b"0" * (6 * 1024 * 1024)),
    "/page.jpg": (200, "text/html", b"<!doctype html><title>Not a photo</title>"),
}


class PhotoServer(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        self.requests.append(self.path)
        status, content_type, body = ROUTES.get(self.path, (404, "text/plain", b"Not found"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """http://127.0.0.1:<free port>: a photo, another photo, a 6 MB file, a web page, and 404s."""
    PhotoServer.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), PhotoServer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The test server is on the loopback address, which imports refuse otherwise.
    settings.SPEAKER_PHOTO_PRIVATE_HOSTS_ALLOWED = True
    return tmp_path


def schedule_json(persons, base_url):
    event = {
        "id": 7,
        "guid": "7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01",
        "date": "2026-04-07T10:00:00+02:00",
        "duration": "00:30",
        "room": "Room A",
        "title": "Hello",
        "persons": persons,
    }
    schedule = {
        "version": "1",
        "base_url": base_url,
        "conference": {
            "acronym": "photos",
            "title": "Photos",
            "time_zone_name": "Europe/Paris",
            "days": [{"index": 1, "date": "2026-04-07", "rooms": {"Room A": [event]}}],
        },
    }
    return json.dumps({"schedule": schedule}).encode()


def run_import(document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = import_schedule(conference_slug="photos", source=document, dry_run=False)
    assert report.ok, report.rejected
    return report


def photo_notes(report):
    return sorted(str(note) for note in report.notes if "photo" in note.message)


def copies(speaker):
    """{size: (width, height, format)} of the speaker's stored copies."""
    found = {}
    for size in photos.SIZES:
        with default_storage.open(f"speakers/photos/{speaker.photo_key}-{size}.webp") as file:
            image = Image.open(file)
            found[size] = (image.width, image.height, image.format)
    return found


# Reading the files


def test_c3voc_and_pretalx_avatars_are_read_and_paths_resolved_against_base_url():
    document = schedule_json(
        [
            {"guid": "a", "name": "Ada Lovelace", "avatar": "/media/ada.jpg"},
            {"code": "GRACE", "name": "Grace Hopper", "avatar": "https://cdn.example.org/g.png"},
            {"id": 3, "public_name": "Alan Turing", "image": "/system/avatars/alan.jpg"},
            {"id": 4, "public_name": "Nobody Pictured", "avatar": "javascript:alert(1)"},
        ],
        "https://frab.example.org/camp/",
    )

    speakers = c3voc_json.read(document).sessions[0].speakers

    assert [person.photo_url for person in speakers] == [
        "https://frab.example.org/media/ada.jpg",
        "https://cdn.example.org/g.png",
        "https://frab.example.org/system/avatars/alan.jpg",
        "",
    ]


def test_frab_xml_person_image_attribute_is_read():
    document = b"""<?xml version="1.0"?>
<schedule><conference><acronym>photos</acronym><title>Photos</title>
<base_url>https://frab.example.org/</base_url></conference>
<day index="1" date="2026-04-07"><room name="Room A">
<event id="7" guid="7e2f0c56-4a5e-4f43-9c0e-6f2c5e1b4a01"><date>2026-04-07T10:00:00+02:00</date>
<duration>00:30</duration><title>Hello</title><persons>
<person id="1" image="/system/avatars/ada.jpg">Ada Lovelace</person>
<person id="2" avatar="https://cdn.example.org/grace.png">Grace Hopper</person>
<person id="3">Alan Turing</person>
</persons></event></room></day></schedule>"""

    speakers = frab_xml.read(document).sessions[0].speakers

    assert [person.photo_url for person in speakers] == [
        "https://frab.example.org/system/avatars/ada.jpg",
        "https://cdn.example.org/grace.png",
        "",
    ]


# Fetching after the import


def test_photos_are_fetched_only_once_the_import_has_committed(
    server, django_capture_on_commit_callbacks
):
    document = schedule_json(
        [{"guid": "a", "name": "Ada Lovelace", "avatar": "/photo.jpg"}], server
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_schedule(conference_slug="photos", source=document, dry_run=False)
    before_commit = (PhotoServer.requests[:], Speaker.objects.get().photo_key)
    for callback in callbacks:
        callback()

    ada = Speaker.objects.get()
    assert before_commit == ([], "")
    assert PhotoServer.requests == ["/photo.jpg"]
    assert ada.photo_source_url == f"{server}/photo.jpg"
    assert copies(ada) == {96: (96, 96, "WEBP"), 192: (192, 192, "WEBP"), 384: (384, 384, "WEBP")}


def test_copies_are_the_middle_square_of_the_photo(server, django_capture_on_commit_callbacks):
    document = schedule_json(
        [{"guid": "a", "name": "Ada Lovelace", "avatar": "/photo.jpg"}], server
    )

    run_import(document, django_capture_on_commit_callbacks)

    ada = Speaker.objects.get()
    with default_storage.open(f"speakers/photos/{ada.photo_key}-96.webp") as file:
        image = Image.open(file).convert("RGB")
        left, middle, right = (image.getpixel((x, 48)) for x in (2, 48, 93))
    # Of the 600 × 400 photo, x 100–500 remain: a sixth of red, two thirds of green, a sixth of blue.
    assert (left[0] > 200, middle[1] > 100 and middle[0] < 60, right[2] > 200) == (True, True, True)


def test_photos_that_cannot_be_had_are_notes_and_the_import_goes_on(
    server, django_capture_on_commit_callbacks
):
    document = schedule_json(
        [
            {"guid": "a", "name": "Ada Lovelace", "avatar": "/missing.jpg"},
            {"guid": "b", "name": "Grace Hopper", "avatar": "/huge.jpg"},
            {"guid": "c", "name": "Alan Turing", "avatar": "/page.jpg"},
            {"guid": "d", "name": "Edsger Dijkstra", "avatar": "/photo.jpg"},
        ],
        server,
    )

    report = run_import(document, django_capture_on_commit_callbacks)

    assert photo_notes(report) == [
        f"Ada Lovelace: the photo “{server}/missing.jpg” was not used: the server answered 404 "
        "Not Found.",
        f"Alan Turing: the photo “{server}/page.jpg” was not used: this is not a JPEG, PNG, WebP "
        "or GIF image.",
        f"Grace Hopper: the photo “{server}/huge.jpg” was not used: the photo is larger than the "
        "limit of 5.0\xa0MB.",
    ]
    assert {s.name: bool(s.photo_key) for s in Speaker.objects.all()} == {
        "Ada Lovelace": False,
        "Alan Turing": False,
        "Edsger Dijkstra": True,
        "Grace Hopper": False,
    }
    assert Speaker.objects.count() == 4


def test_an_unchanged_photo_is_not_fetched_again_and_a_new_address_replaces_it(
    server, django_capture_on_commit_callbacks
):
    first = schedule_json([{"guid": "a", "name": "Ada Lovelace", "avatar": "/photo.jpg"}], server)
    moved = schedule_json([{"guid": "a", "name": "Ada Lovelace", "avatar": "/other.jpg"}], server)
    run_import(first, django_capture_on_commit_callbacks)
    old_key = Speaker.objects.get().photo_key

    run_import(first, django_capture_on_commit_callbacks)
    run_import(moved, django_capture_on_commit_callbacks)

    ada = Speaker.objects.get()
    assert PhotoServer.requests == ["/photo.jpg", "/other.jpg"]
    assert ada.photo_key not in ("", old_key)
    assert not default_storage.exists(f"speakers/photos/{old_key}-96.webp")
    assert default_storage.exists(f"speakers/photos/{ada.photo_key}-96.webp")


def test_a_photo_uploaded_in_the_admin_is_kept_over_an_imported_one(
    server, django_capture_on_commit_callbacks
):
    ada = SpeakerFactory(
        conference=ConferenceFactory(slug="photos", timezone="Europe/Paris"),
        name="Ada Lovelace",
        source_id="a",
        photo=SimpleUploadedFile("ada.jpg", OTHER_PHOTO),
    )
    photos.use_uploaded_photo(ada)
    document = schedule_json(
        [{"guid": "a", "name": "Ada Lovelace", "avatar": "/photo.jpg"}], server
    )

    run_import(document, django_capture_on_commit_callbacks)

    assert PhotoServer.requests == []
    assert Speaker.objects.get().photo_key == ada.photo_key


def test_private_addresses_are_refused_unless_allowed(server, settings):
    settings.SPEAKER_PHOTO_PRIVATE_HOSTS_ALLOWED = False

    with pytest.raises(photos.PhotoError) as refused:
        photos.fetch_photo(f"{server}/photo.jpg")

    assert str(refused.value) == "the host “127.0.0.1” is on a private network (127.0.0.1)."
    assert PhotoServer.requests == []


def test_only_http_addresses_are_fetched():
    with pytest.raises(photos.PhotoError) as refused:
        photos.fetch_photo("file:///etc/passwd")

    assert str(refused.value) == "“file:///etc/passwd” is not an http(s) address."


# The admin


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@example.org", "x"))
    return client


def admin_form(speaker, photo):
    return {
        "conference": speaker.conference_id,
        "name": speaker.name,
        "slug": speaker.slug,
        "role": "",
        "company": "",
        "bio": "",
        "source_id": "",
        "photo": photo,
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
    }


def test_a_photo_uploaded_in_the_admin_is_resized(admin_client):
    ada = SpeakerFactory(name="Ada Lovelace")

    response = admin_client.post(
        f"/admin/speakers/speaker/{ada.pk}/change/",
        admin_form(ada, SimpleUploadedFile("ada.jpg", PHOTO, content_type="image/jpeg")),
    )

    ada.refresh_from_db()
    assert response.status_code == 302
    assert ada.photo_source_url == ""
    assert copies(ada)[192] == (192, 192, "WEBP")


def test_the_admin_refuses_an_image_pages_should_not_show(admin_client):
    ada = SpeakerFactory(name="Ada Lovelace")
    tiff = io.BytesIO()
    Image.new("RGB", (10, 10)).save(tiff, "TIFF")

    response = admin_client.post(
        f"/admin/speakers/speaker/{ada.pk}/change/",
        admin_form(ada, SimpleUploadedFile("ada.tif", tiff.getvalue(), content_type="image/tiff")),
    )

    ada.refresh_from_db()
    assert "this is not a JPEG, PNG, WebP or GIF image." in response.content.decode()
    assert (ada.photo.name, ada.photo_key) == ("", "")


# Serving


@pytest.fixture
def ada():
    """Ada Lovelace with a photo, speaking in one session; Grace Hopper without one."""
    conference = ConferenceFactory(timezone="Europe/Paris")
    ada = SpeakerFactory(
        conference=conference, name="Ada Lovelace", photo=SimpleUploadedFile("ada.jpg", PHOTO)
    )
    photos.use_uploaded_photo(ada)
    grace = SpeakerFactory(conference=conference, name="Grace Hopper")
    start = dt.datetime(2026, 4, 7, 8, tzinfo=dt.UTC)
    session = SessionFactory(
        conference=conference, title="Engines", start=start, end=start + dt.timedelta(hours=1)
    )
    session.speaker_links.create(speaker=ada, position=0)
    session.speaker_links.create(speaker=grace, position=1)
    ada.session = session
    return ada


def test_copies_are_served_for_a_year_as_webp(client, ada):
    response = client.get(f"/media/speakers/photos/{ada.photo_key}-192.webp")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (192, 192)


@pytest.mark.parametrize(
    "path",
    [
        "speakers/",
        "speakers/photos/",
        "speakers/ada.jpg",  # the original, which may carry the camera's GPS position
        "speakers/photos/0123456789abcdef0123456789abcdef-192.webp",
        "speakers/photos/../ada.jpg",
        "speakers/photos/%2e%2e/ada.jpg",
    ],
)
def test_nothing_else_of_the_media_folder_is_served(client, ada, path):
    assert client.get(f"/media/{path}").status_code == 404


def images(html):
    return re.findall(r"<img [^>]*>", html)


def test_speaker_page_shows_the_photo_with_its_sizes_and_name(client, ada):
    key = ada.photo_key

    html = client.get(ada.get_absolute_url()).content.decode()

    assert images(html) == [
        f'<img class="avatar s160" src="/media/speakers/photos/{key}-384.webp" '
        f'srcset="/media/speakers/photos/{key}-96.webp 96w, /media/speakers/photos/{key}-192.webp '
        f'192w, /media/speakers/photos/{key}-384.webp 384w" sizes="160px" width="160" '
        'height="160" alt="Ada Lovelace" decoding="async">'
    ]


def test_session_page_and_speaker_list_show_photos_and_initials_for_the_others(client, ada):
    session_page = client.get(ada.session.get_absolute_url()).content.decode()
    speaker_list = client.get(f"/{ada.conference.slug}/speakers/").content.decode()

    for html, size in ((session_page, 48), (speaker_list, 64)):
        assert [
            (re.search(r'alt="([^"]*)"', img)[1], re.search(r'width="(\d+)"', img)[1])
            for img in images(html)
        ] == [("Ada Lovelace", str(size))]
        assert re.findall(
            r'<span class="avatar initials s(\d+) c\d" aria-hidden="true">(\w+)</span>', html
        ) == [(str(size), "GH")]


def test_initials_take_the_first_and_last_name():
    names = ["Ada Lovelace", "Guido van Rossum", "Plato", "  ", "émile (Zola)"]

    assert [Speaker(name=name).initials for name in names] == ["AL", "GR", "P", "?", "É"]
