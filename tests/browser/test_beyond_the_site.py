"""The schedule outside the site (issue 20): framed in another site's page, printed by
Chromium, and on the screen by a room's door."""

import datetime as dt
import functools
import io
import re
import threading
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
import zxingcpp
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from pypdf import PdfReader

from schedule.models import Session
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

CONF = "/pytorch-conference-europe-2026"
# The host page an organiser writes: the snippet from the admin, under CSS that would break a
# widget drawn into the page itself (the frame keeps it out).
HOST_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Our conference</title>
<style>* {{ font-family: serif !important; color: #b91c1c !important; }} iframe {{ border: 0; width: 100%; }}</style>
</head><body><h1>Our conference website</h1>
<iframe src="{schedule}{path}" title="Schedule" data-schedule-embed width="100%" height="300" loading="lazy"></iframe>
<script src="{schedule}/static/js/embed-host.js" defer></script>
<p id="after">After the schedule</p>
</body></html>"""


@pytest.fixture
def host_site(tmp_path):
    """Another origin (another port) serving the organiser's page, from a thread."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def serve(html):
        (tmp_path / "index.html").write_text(html)
        return f"http://127.0.0.1:{server.server_port}/index.html"

    serve.origin = f"http://127.0.0.1:{server.server_port}"
    yield serve
    server.shutdown()
    thread.join()


def screenshot_host_page(page, name):
    """The whole host page, its frame included: the viewport made as tall as the page, since
    a full-page screenshot leaves another origin's frame unpainted below the fold."""
    height = page.evaluate("() => document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1280, "height": height})
    page.wait_for_timeout(300)
    page.screenshot(path=SCREENSHOTS / name)
    page.set_viewport_size({"width": 1280, "height": 900})


def frame_height(page):
    return page.eval_on_selector("iframe", "frame => frame.getBoundingClientRect().height")


def content_height(frame):
    return frame.evaluate("() => document.body.getBoundingClientRect().height")


def test_embed_on_a_listed_origin_fits_its_content_and_is_refused_elsewhere(
    page, live_server, demo, host_site
):
    demo.embed_origins = host_site.origin
    demo.save()
    url = host_site(
        HOST_PAGE.format(schedule=live_server.url, path=f"{CONF}/embed/2026-04-08/?layout=list")
    )

    page.goto(url)
    frame = page.frame_locator("iframe")
    frame.get_by_role("heading", name="Wednesday 8 April 2026").wait_for()
    inner = page.frames[1]
    page.wait_for_function(
        "() => document.querySelector('iframe').getBoundingClientRect().height > 1000"
    )

    # The frame is as tall as the schedule in it: no scrollbar inside a scrolling page.
    assert abs(frame_height(page) - content_height(inner)) <= 2
    # The host's CSS stays outside: the schedule keeps its own font and colours.
    title = frame.locator(".card-title a").first
    assert title.evaluate("a => getComputedStyle(a).fontFamily") != "serif"
    assert title.evaluate("a => getComputedStyle(a).color") == "rgb(29, 78, 216)"
    assert title.get_attribute("target") == "_blank"
    SCREENSHOTS.mkdir(exist_ok=True)
    screenshot_host_page(page, "embed-list-1280.png")

    # Another day, shorter: the frame follows.
    list_height = frame_height(page)
    frame.get_by_role("link", name="Tue 7 Apr").click()
    frame.get_by_role("heading", name="Tuesday 7 April 2026").wait_for()
    page.wait_for_function(
        f"() => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - {list_height}) > 50"
    )
    assert abs(frame_height(page) - content_height(page.frames[1])) <= 2

    # A session opens the full site in a new tab, not inside the host's page.
    with page.context.expect_page() as opened:
        frame.locator(".card-title a").first.click()
    assert opened.value.url.startswith(f"{live_server.url}{CONF}/sessions/")
    opened.value.close()

    # Once the organiser no longer lists the origin, a browser (without the page in its
    # cache, which keeps it a minute) refuses to frame it.
    demo.embed_origins = "https://www.elsewhere.example"
    demo.save()
    other = page.context.browser.new_context(base_url=live_server.url)
    try:
        refused = other.new_page()
        with refused.expect_response(lambda response: "/embed/" in response.url) as embed:
            refused.goto(url)
        assert (
            "frame-ancestors https://www.elsewhere.example"
            in embed.value.headers["content-security-policy"]
        )
        refused.wait_for_timeout(500)
        assert refused.frames[1].evaluate("() => document.querySelectorAll('.card').length") == 0
    finally:
        other.close()


def test_embed_grid_screenshot(page, live_server, demo, host_site):
    demo.embed_origins = host_site.origin
    demo.save()
    page.goto(
        host_site(
            HOST_PAGE.format(schedule=live_server.url, path=f"{CONF}/embed/2026-04-08/?layout=grid")
        )
    )
    page.frame_locator("iframe").locator(".grid").wait_for()
    page.wait_for_function(
        "() => document.querySelector('iframe').getBoundingClientRect().height > 600"
    )
    screenshot_host_page(page, "embed-grid-1280.png")


def on_page(matrix, transform):
    """Where a PDF places text: its text matrix times the page's transformation."""
    a, b, c, d, e, f = matrix
    g, h, i, j, k, m = transform
    return (
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + m,
    )


def heights_from_bottom(pdf_page):
    """(points from the page's bottom edge, text) of each run of text on a PDF page."""
    runs = []
    pdf_page.extract_text(
        visitor_text=lambda text, transform, matrix, _font, _size: (
            runs.append((on_page(matrix, transform)[5], text.strip())) if text.strip() else None
        )
    )
    return runs


def pdf_pages(page, path, paper):
    page.goto(path)
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    # NFKC: the PDF writes "ﬀ" and "ﬃ" as ligatures.
    return [unicodedata.normalize("NFKC", pdf_page.extract_text()) for pdf_page in reader.pages]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_printed_day_reads_in_time_order_with_stage_and_speakers(page, demo, paper):
    texts = pdf_pages(page, f"{CONF}/print/2026-04-08/", paper)
    text = " ".join(" ".join(texts).split())

    sessions = list(
        Session.objects.filter(conference=demo, start__date=dt.date(2026, 4, 8))
        .select_related("stage")
        .prefetch_related("speaker_links__speaker")
        .order_by("start", "stage__position", "end", "title")
    )
    positions = [text.find(" ".join(session.title.split())[:40]) for session in sessions]
    assert -1 not in positions, [s.title for s, p in zip(sessions, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    keynote = next(s for s in sessions if "Gemma 4" in s.title)
    after_title = text[text.find("Gemma 4") :][:400]
    assert "09:50–10:05 · Master Stage" in after_title
    for link in keynote.speaker_links.all():
        assert link.speaker.name in after_title
    # Paper has no navigation, buttons or notices.
    for words in (
        "Back to the schedule",
        "Print",
        "My agenda",
        "Speakers Now",
        "Log in",
        "Add to my agenda",
    ):
        assert words not in text, words
    # Each page is numbered (the page's margin box) and carries the way back to the live
    # schedule, in a footer below every session (space kept for it on each page).
    for number, page_text in enumerate(texts, start=1):
        assert f"{number} / {len(texts)}" in page_text
        assert "The live schedule, with every change since this was printed:" in page_text
    assert "PyTorch Conference Europe 2026 · Programme" in texts[0]
    page.goto(f"{CONF}/print/2026-04-08/")
    for pdf_page in PdfReader(io.BytesIO(page.pdf(format=paper))).pages:
        runs = heights_from_bottom(pdf_page)
        footer = max(y for y, text in runs if text.startswith("The live schedule"))
        lowest_session = min(y for y, text in runs if "·" in text and "Programme" not in text)
        assert footer + 20 < lowest_session


def test_printed_programme_starts_each_day_on_a_new_page_and_every_page_leads_back(
    browser, page, live_server, demo
):
    texts = pdf_pages(page, f"{CONF}/print/?track=compilers-kernels", "A4")

    starts = [
        i
        for i, text in enumerate(texts)
        if re.search(r"^(Tuesday 7|Wednesday 8) April 2026", text, re.M)
    ]
    assert len(starts) == 2
    assert re.search(r"^Wednesday 8 April 2026", texts[starts[1]], re.M)
    assert "Tuesday 7 April 2026" not in texts[starts[1]]
    live = f"{live_server.url}{CONF}/schedule/?track=compilers-kernels"
    for text in texts:
        assert "The live schedule, with every change since this was printed:" in text

    # The QR code on paper reads back as the live schedule, with the track: A4 at 96 dpi,
    # seen at 288 dpi, about what a phone's camera makes of a printed page.
    paper = browser.new_context(
        base_url=live_server.url, viewport={"width": 794, "height": 1123}, device_scale_factor=3
    )
    try:
        printed = paper.new_page()
        printed.emulate_media(media="print")
        printed.goto(f"{CONF}/print/?track=compilers-kernels")
        printed.screenshot(path=SCREENSHOTS / "print-track-a4.png", full_page=True)
    finally:
        paper.close()
    image = Image.open(SCREENSHOTS / "print-track-a4.png")
    assert [barcode.text for barcode in zxingcpp.read_barcodes(image)] == [live]


MOMENTS = {
    "before": (
        dt.datetime(2026, 4, 6, 12, tzinfo=dt.UTC),
        "has not started yet",
        "Compounding Together",
    ),
    # 09:55 in Paris: the Gemma 4 keynote runs until 10:05.
    "during": (
        dt.datetime(2026, 4, 8, 7, 55, tzinfo=dt.UTC),
        "Intelligence per Byte",
        "Morning Coffee Break",
    ),
    "after": (dt.datetime(2026, 4, 9, 12, tzinfo=dt.UTC), "has ended", None),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_room_screen_at_1920_by_1080_shows_the_right_session_and_passes_axe(
    page, live_server, demo, moment
):
    instant, now_text, next_text = MOMENTS[moment]
    page.set_viewport_size({"width": 1920, "height": 1080})
    with time_machine.travel(instant, tick=False):
        page.goto(f"{CONF}/rooms/master-stage/")
        board = page.locator("#room-board")
        assert now_text in board.inner_text()
        if next_text:
            assert next_text in page.locator(".room-next").inner_text()
        results = Axe().run(page)
        page.screenshot(path=SCREENSHOTS / f"room-{moment}-1920.png")

    assert results.violations_count == 0, results.generate_report()
    # It fits the screen: nothing below the fold at 1080 px.
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080
    if moment == "during":
        assert "10 minutes left" in board.inner_text()
        gemma = Session.objects.get(conference=demo, title__contains="Gemma 4")
        image = Image.open(SCREENSHOTS / f"room-{moment}-1920.png")
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [
            f"{live_server.url}{CONF}/s/{gemma.pk}/"
        ]


def test_room_screen_refreshes_by_htmx_or_without_javascript_by_reloading(
    browser, page, live_server, demo
):
    # Without JavaScript the <noscript> in the head is markup: the page reloads itself.
    plain = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        screen = plain.new_page()
        screen.goto(f"{CONF}/rooms/master-stage/")
        assert screen.locator('meta[http-equiv="refresh"]').get_attribute("content") == "30"
    finally:
        plain.close()

    with time_machine.travel(dt.datetime(2026, 4, 8, 7, 55, tzinfo=dt.UTC), tick=True):
        page.clock.install()
        page.goto(f"{CONF}/rooms/master-stage/")
        # With it, no reload: HTMX swaps the board alone.
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
        page.evaluate("() => document.querySelector('#room-board').dataset.first = 'yes'")
        with page.expect_response(
            lambda r: (
                "/rooms/master-stage/" in r.url and r.request.headers.get("hx-request") == "true"
            )
        ):
            page.clock.run_for(31_000)
        page.wait_for_function("() => !document.querySelector('#room-board').dataset.first")
        assert "Intelligence per Byte" in page.locator("#room-board").inner_text()
