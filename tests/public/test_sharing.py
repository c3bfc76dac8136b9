import datetime as dt
import io
import re

import pytest
from PIL import Image

from public import cards
from public.cards import card_details, card_fingerprint
from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory
from tests.qr import qr_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    conference = ConferenceFactory(slug="tokyo", timezone="Asia/Tokyo", locale="en-GB")
    return SessionFactory(
        conference=conference,
        title="Scheduling at the speed of light",
        slug="light",
        stage=StageFactory(conference=conference, name="Sakura Hall"),
        start=dt.datetime(2026, 4, 7, 23, 30, tzinfo=dt.UTC),  # 08:30 on the 8th in Tokyo
        speakers=[SpeakerFactory(conference=conference, name="Yuki")],
    )


def test_short_link_leads_to_the_session_page_even_after_a_rename(client, session):
    session.slug = "light-renamed"
    session.save()

    response = client.get(f"/tokyo/s/{session.pk}/")

    assert response.status_code == 302
    assert response["Location"] == "/tokyo/sessions/light-renamed/"


def test_short_link_of_another_conferences_session_is_a_404(client, session):
    ConferenceFactory(slug="osaka")

    assert client.get(f"/osaka/s/{session.pk}/").status_code == 404
    assert client.get("/tokyo/s/999999/").status_code == 404


def test_session_page_has_a_short_link_and_its_qr_code(client, session):
    html = client.get("/tokyo/sessions/light/").content.decode()

    url = f"http://testserver/tokyo/s/{session.pk}/"
    assert f'<a href="{url}">{url}</a>' in html
    assert qr_codes(html) == [url]


def test_session_page_previews_with_open_graph_tags(client, session):
    html = client.get("/tokyo/sessions/light/").content.decode()

    meta = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', html))
    version = card_fingerprint(Session.objects.get(pk=session.pk))
    assert meta["og:title"] == "Scheduling at the speed of light"
    assert meta["og:image"] == f"http://testserver/tokyo/s/{session.pk}/card.png?v={version}"
    assert meta["og:image:width"] == "1200" and meta["og:image:height"] == "630"
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_session_card_is_a_1200_by_630_png_with_an_etag(client, session):
    response = client.get(f"/tokyo/s/{session.pk}/card.png")

    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "public, max-age=300"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    again = client.get(
        f"/tokyo/s/{session.pk}/card.png", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


def test_session_card_changes_with_the_schedule(client, session):
    before = client.get(f"/tokyo/s/{session.pk}/card.png")

    session.title = "Scheduling, faster"
    session.save()
    after = client.get(f"/tokyo/s/{session.pk}/card.png")

    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_session_card_of_an_unknown_session_is_a_404(client, session):
    assert client.get("/tokyo/s/999999/card.png").status_code == 404


def test_session_card_says_when_on_the_conferences_clock(session):
    session = Session.objects.select_related("conference", "stage").get(pk=session.pk)

    assert card_details(session) == [
        "Wednesday 8 April 2026 · 08:30–08:55 JST",
        "Sakura Hall",
        "Yuki",
    ]


def test_session_card_fits_a_very_long_title_and_draws_without_dejavu(monkeypatch, session):
    session.title = "A very long title " * 20
    monkeypatch.setattr(cards, "FONT_DIRECTORIES", ())
    cards.font.cache_clear()
    try:
        image = Image.open(io.BytesIO(cards.session_card_png(session)))
    finally:
        cards.font.cache_clear()

    assert image.size == (1200, 630)
    assert cards.wrap(session.title, cards.font("bold", 52), 1056, 4)[-1].endswith("…")


def og_image(client, path):
    html = client.get(path).content.decode()
    return re.search(r'<meta property="og:image" content="([^"]*)"', html).group(1)


def test_the_card_address_moves_with_the_card_not_with_other_sessions(client, session):
    before = og_image(client, "/tokyo/sessions/light/")
    other = SessionFactory(conference=session.conference, stage=session.stage, title="Other")
    other.title = "Other, renamed"
    other.save()
    unmoved = og_image(client, "/tokyo/sessions/light/")
    session.title = "Scheduling at the speed of sound"
    session.save()

    # A session page's bytes stay the same when another session changes (the offline copy
    # keeps it), and a chat app fetches this card again when it changes.
    assert unmoved == before
    assert og_image(client, "/tokyo/sessions/light/") != before
