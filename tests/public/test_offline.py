"""The installable app and what its service worker keeps: manifest and icons, the schedule
version, the list of addresses to keep, whose personal copies are whose, logging out."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from attendees.models import AgendaEntry
from conference import timezones
from public.offline import text_colour_on, theme_colour
from schedule import queries
from schedule.models import Session
from speakers.models import Speaker
from tests.factories import ConferenceFactory, TrackFactory

pytestmark = pytest.mark.django_db

DEMO = "/pytorch-conference-europe-2026"


def png(response):
    return Image.open(io.BytesIO(response.content))


def test_the_manifest_opens_the_conference_schedule_as_an_app(client, demo_conference):
    response = client.get(f"{DEMO}/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "PyTorch Conference Europe 2026"
    assert manifest["short_name"] == "PyTorch"
    assert manifest["start_url"] == f"{DEMO}/schedule/"
    assert manifest["scope"] == f"{DEMO}/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == theme_colour(demo_conference)
    assert [(icon["src"], icon["sizes"], icon["purpose"]) for icon in manifest["icons"]] == [
        (f"{DEMO}/icon-192.png", "192x192", "any"),
        (f"{DEMO}/icon-512.png", "512x512", "any"),
        (f"{DEMO}/icon-192-maskable.png", "192x192", "maskable"),
        (f"{DEMO}/icon-512-maskable.png", "512x512", "maskable"),
    ]


def test_every_conference_page_links_its_manifest_and_the_worker(client, demo_conference):
    html = client.get(f"{DEMO}/speakers/").content.decode()

    assert f'<link rel="manifest" href="{DEMO}/manifest.webmanifest">' in html
    assert f'data-service-worker="{DEMO}/sw.js"' in html
    assert f'data-offline-list="{DEMO}/offline.json"' in html


@pytest.mark.parametrize("maskable", [False, True], ids=["any", "maskable"])
@pytest.mark.parametrize("size", [192, 512])
def test_icons_are_pngs_of_their_size_on_the_theme_colour(client, size, maskable):
    conference = ConferenceFactory(name="Zürich Data Days", theme_colour="#0F766E")
    suffix = "-maskable" if maskable else ""

    response = client.get(f"/{conference.slug}/icon-{size}{suffix}.png")

    assert response["Content-Type"] == "image/png"
    image = png(response).convert("RGB")
    assert image.size == (size, size)
    assert image.getpixel((0, 0)) == (0x0F, 0x76, 0x6E)
    # The initial is drawn, in white, inside the circle a mask keeps (80% of the width).
    drawn = [
        (x, y)
        for x in range(size)
        for y in range(size)
        if image.getpixel((x, y)) != (0x0F, 0x76, 0x6E)
    ]
    assert drawn
    if maskable:
        radius = max(((x - size / 2) ** 2 + (y - size / 2) ** 2) ** 0.5 for x, y in drawn)
        assert radius <= size * 0.4


def test_an_icon_of_another_size_is_not_found(client, demo_conference):
    assert client.get(f"{DEMO}/icon-64.png").status_code == 404


def test_an_uploaded_logo_is_the_icon(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logo = io.BytesIO()
    Image.new("RGB", (300, 300), "#dc2626").save(logo, "PNG")
    conference = ConferenceFactory(
        name="Logo Conf", logo=SimpleUploadedFile("logo.png", logo.getvalue())
    )

    image = png(client.get(f"/{conference.slug}/icon-512.png")).convert("RGB")

    assert image.getpixel((256, 256)) == (0xDC, 0x26, 0x26)
    assert image.getpixel((2, 2)) != (0xDC, 0x26, 0x26)


def test_the_theme_colour_is_the_first_track_s_else_one_made_from_the_slug():
    with_track = ConferenceFactory(name="Tracked")
    TrackFactory(conference=with_track, name="A track", colour="#7C3AED")
    without = ConferenceFactory(name="Bare Conf")

    assert theme_colour(with_track) == "#7c3aed"
    # The same on every server and every run: made from the slug alone.
    assert theme_colour(without) == "#217f83"
    assert text_colour_on("#217f83") == "#ffffff"
    assert text_colour_on("#fde047") == "#000000"


def test_the_version_is_one_cache_read_once_known_and_moves_with_the_schedule(
    client, demo_conference, django_assert_num_queries
):
    first = client.get(f"{DEMO}/version.json")
    with django_assert_num_queries(0):
        again = client.get(f"{DEMO}/version.json")
        head = client.head(f"{DEMO}/version.json")
    session = Session.objects.filter(conference=demo_conference).first()
    session.title = "A new title"
    session.save()
    with django_assert_num_queries(1):
        moved = client.get(f"{DEMO}/version.json")

    assert first.json() == again.json() == {"version": demo_conference.schedule_version}
    assert head.status_code == 200 and head.content == b""
    assert first["Cache-Control"] == "public, no-cache"
    demo_conference.refresh_from_db()
    assert moved.json() == {"version": demo_conference.schedule_version}
    assert moved.json() != first.json()
    assert moved["X-Schedule-Version"] == str(demo_conference.schedule_version)
    assert (
        client.get(f"{DEMO}/version.json", headers={"If-None-Match": moved["ETag"]}).status_code
        == 304
    )


def test_pages_say_their_schedule_version(client, demo_conference):
    response = client.get(f"{DEMO}/schedule/")

    assert response["X-Schedule-Version"] == str(demo_conference.schedule_version)


@pytest.mark.parametrize("zone", ["Europe/Paris", "Pacific/Kiritimati", "America/Los_Angeles"])
def test_the_list_to_keep_has_every_day_of_the_visitor_s_timezone_and_every_page(
    client, demo_conference, zone
):
    client.cookies["tz"] = zone

    kept = client.get(f"{DEMO}/offline.json").json()

    days = queries.local_days_with_sessions(demo_conference, timezones.get_zone(zone))
    sessions = Session.objects.filter(conference=demo_conference)
    speakers = Speaker.objects.filter(conference=demo_conference)
    assert [page for page in kept["pages"] if "/schedule/20" in page] == [
        f"{DEMO}/schedule/{day.isoformat()}/" for day in days
    ]
    assert {f"{DEMO}/schedule/", f"{DEMO}/now/", f"{DEMO}/speakers/", f"{DEMO}/agenda/"} <= set(
        kept["pages"]
    )
    assert {session.get_absolute_url() for session in sessions} <= set(kept["pages"])
    assert {speaker.get_absolute_url() for speaker in speakers} <= set(kept["pages"])
    assert kept["pages"][-1] == f"{DEMO}/offline/"
    assert (
        len(kept["pages"])
        == len(set(kept["pages"]))
        == 5 + len(days) + len(sessions) + len(speakers)
    )
    assert kept["version"] == demo_conference.schedule_version


def test_the_key_of_the_copies_moves_with_the_timezone_the_layout_the_version_and_release(
    client, demo_conference, settings
):
    def key(**cookies):
        client.cookies.clear()
        for name, value in cookies.items():
            client.cookies[name] = value
        return client.get(f"{DEMO}/offline.json").json()["key"]

    paris = key()
    assert key() == paris
    assert key(tz="Asia/Kolkata") != paris
    assert key(layout="list") != paris
    settings.RELEASE = "the-next-release"  # other markup, other names of static files
    released = key()
    assert released != paris
    Session.objects.filter(conference=demo_conference).first().save()
    assert key() != released


def test_personal_answers_name_their_person_and_shared_ones_nobody(client, demo_conference):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "a long passphrase 2")

    shared = client.get(f"{DEMO}/schedule/")
    client.force_login(ada)
    as_ada = client.get(f"{DEMO}/agenda/")
    parts_ada = client.get(f"{DEMO}/agenda/personal-parts/")
    client.force_login(bob)
    as_bob = client.get(f"{DEMO}/agenda/")

    assert "X-Offline-Person" not in shared
    assert as_ada["Cache-Control"] == "private, no-cache"
    assert as_ada["X-Offline-Person"] == parts_ada["X-Offline-Person"]
    assert as_bob["X-Offline-Person"] != as_ada["X-Offline-Person"]
    assert "ada" not in as_ada["X-Offline-Person"]


def test_logging_out_asks_the_browser_to_drop_its_cached_pages(client, demo_conference):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    client.force_login(ada)

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert "_auth_user_id" not in client.session


def test_signing_out_everywhere_asks_this_browser_to_drop_its_cached_pages_too(
    client, demo_conference
):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    client.force_login(ada)

    profile = client.get("/accounts/profile/").content.decode()
    response = client.post("/accounts/sign-out-everywhere/")

    # Its form also has offline.js tell the service worker to forget the person's copies.
    assert re.search(r'<form[^>]*sign-out-everywhere/"[^>]*data-clears-offline', profile)
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'


def test_the_service_worker_is_served_for_the_conference_scope_and_never_kept(
    client, demo_conference
):
    response = client.get(f"{DEMO}/sw.js")

    assert response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == f"{DEMO}/"
    assert response["Cache-Control"] == "no-cache, max-age=0"
    assert b'addEventListener("fetch"' in response.content
    assert client.get("/no-such-conference/sw.js").status_code == 404


def test_the_page_for_addresses_not_kept_says_it_needs_the_network(client, demo_conference):
    response = client.get(f"{DEMO}/offline/")

    assert "<h1>This page needs the network</h1>" in response.content.decode()


def test_a_queued_add_sent_twice_keeps_one_entry(client, demo_conference):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    session = Session.objects.filter(conference=demo_conference).first()
    client.force_login(ada)
    url = f"{DEMO}/sessions/{session.slug}/agenda/"

    for _replay in range(2):
        client.post(url, {"action": "add"}, headers={"HX-Request": "true"})

    assert AgendaEntry.objects.filter(user=ada, session=session).count() == 1
