"""The day's grid and list on a phone and a desktop: nothing clipped, the list first on a
phone, the grid in the page's own scroll on a desktop, and what is happening now marked."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from playwright.sync_api import expect

from conference.models import Conference
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

DAY = "/pytorch-conference-europe-2026/schedule/2026-04-08/"
BIG_DAY = "/big-day/schedule/2026-06-02/"
# Chromium sends Sec-CH-UA-Mobile: ?1 with a phone's user agent, as a phone does.
PIXEL = (
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/139.0.0.0 Mobile Safari/537.36"
)
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "has_touch": True,
    "is_mobile": True,
    "user_agent": PIXEL,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# 11:30 CEST on the second day: three talks running, the next ones at 11:40.
SECOND_MORNING = dt.datetime(2026, 4, 8, 9, 30, tzinfo=dt.UTC)

# Session boxes whose content does not fit: their title, and whether the agenda button is out
# of sight (not drawn, or drawn outside its box).
CLIPPED = """() => [...document.querySelectorAll(".cell, .card")].flatMap((box) => {
  const outer = box.getBoundingClientRect();
  const button = box.querySelector(".agenda-toggle.if-out");
  const drawn = button && button.getClientRects().length > 0 ? button.getBoundingClientRect() : null;
  const buttonHidden = button !== null && (drawn === null || drawn.bottom > outer.bottom + 1
    || drawn.right > outer.right + 1);
  if (box.scrollHeight <= box.clientHeight && box.scrollWidth <= box.clientWidth && !buttonHidden)
    return [];
  return [{title: box.querySelector("a").innerText, buttonHidden}];
})"""


@pytest.fixture
def open_page(browser, live_server, demo):
    """A fresh tab on the live server in the given shape (phone or desktop), its own cookies;
    a screenshot of what it shows when named."""
    contexts = []

    def open_(path, shape, screenshot=None, **options):
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", timezone_id="UTC", **shape, **options
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        if screenshot:
            SCREENSHOTS.mkdir(exist_ok=True)
            width = shape["viewport"]["width"]
            page.screenshot(path=SCREENSHOTS / f"{screenshot}-{width}.png")
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def big_day(transactional_db):
    """One generated day on 20 stages, as busy as a day of the 2,000-session conference."""
    call_command(
        "generate_conference",
        slug="big-day",
        sessions=700,
        stages=20,
        days=1,
        speakers=500,
        timezone="America/New_York",
        start_date="2026-06-02",
        seed=1,
        verbosity=0,
    )
    return Conference.objects.get(slug="big-day")


def clipped(page):
    return page.evaluate(CLIPPED)


@pytest.mark.parametrize("shape", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("layout", ["grid", "list"])
def test_no_session_box_on_the_demo_day_clips_its_content(open_page, shape, layout):
    page = open_page(f"{DAY}?layout={layout}", shape)

    assert page.locator(".cell, .card").count() == 25
    assert clipped(page) == []


def test_no_session_box_on_a_generated_20_stage_day_clips_its_content(open_page, big_day):
    for shape in (PHONE, DESKTOP):
        for layout in ("grid", "list"):
            page = open_page(f"{BIG_DAY}?layout={layout}", shape, screenshot=f"big-day-{layout}")
            # The day comes in time blocks as one scrolls: scroll to each until the last.
            while page.locator(".block-next").count():
                blocks = page.locator(".day-block").count()
                page.locator(".block-next").scroll_into_view_if_needed()
                expect(page.locator(".day-block")).to_have_count(blocks + 1)

            assert page.locator(".cell, .card").count() == 700
            assert clipped(page) == [], (shape["viewport"], layout)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_phone_shows_the_list_first_and_the_grid_when_chosen(open_page, javascript):
    page = open_page(DAY, PHONE, java_script_enabled=javascript)
    expect(page.locator(".slots")).to_have_count(1)
    expect(page.locator(".grid")).to_have_count(0)

    page.locator(".layout-switch").get_by_role("link", name="Grid").click()
    page.wait_for_url(re.compile(r"[?&]layout=grid(&|$)"))
    page.goto(DAY)

    expect(page.locator(".grid")).to_have_count(1)
    scroller = page.locator(".grid-scroll")
    assert scroller.evaluate("el => getComputedStyle(el).scrollSnapType") == "x mandatory"
    assert scroller.evaluate("el => el.scrollLeft") == 0
    page.locator(".stage-pager").get_by_role("link", name="Founders Cafe").click()
    page.wait_for_url(re.compile(r"#stage-5$"))
    head = page.locator(".stage-head", has_text="Founders Cafe").bounding_box()
    assert scroller.evaluate("el => el.scrollLeft") > 0
    assert head["x"] >= 0 and head["x"] + head["width"] <= 375


def test_desktop_grid_scrolls_with_the_page_and_keeps_its_stage_headers_in_sight(open_page):
    page = open_page(f"{DAY}?layout=grid", DESKTOP)

    scroller = page.locator(".grid-scroll")
    assert scroller.evaluate("el => el.scrollHeight === el.clientHeight")
    assert page.evaluate(
        "document.scrollingElement.scrollHeight > document.scrollingElement.clientHeight + 1500"
    )
    page.evaluate("window.scrollTo(0, 1500)")
    assert page.evaluate("window.scrollY") == 1500
    head = page.locator(".stage-head", has_text="Master Stage").bounding_box()
    assert head["y"] == 0


def test_list_marks_what_is_happening_now_and_next_and_jumps_to_now(open_page):
    with time_machine.travel(SECOND_MORNING, tick=True):
        page = open_page(DAY, PHONE, java_script_enabled=False, screenshot="list-now")
        now = page.locator(".card", has=page.locator(".now-badge", has_text="Happening now"))
        following = page.locator(".card", has=page.locator(".next-badge", has_text="Next"))
        expect(now).to_have_count(4)
        expect(following).to_have_count(2)

        page.get_by_role("link", name="Jump to now").click()

        page.wait_for_url(re.compile(r"#now$"))
        slot = page.locator("#now")
        expect(slot.locator(".slot-time")).to_have_text("11:10")
        assert 0 <= slot.bounding_box()["y"] < 812 / 2
        page.screenshot(path=SCREENSHOTS / "list-jumped-to-now-375.png")
