"""A big day on a phone: the next block of sessions comes in as one scrolls to it, and without
JavaScript its link leads there, "Add to my agenda" coming back to the same block."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from conference.models import Conference
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

DAY = "/busy/schedule/{day}/?layout=list"


@pytest.fixture
def busy_day(transactional_db):
    """A one-day conference of 400 sessions on ten stages, committed for the live server."""
    call_command(
        "generate_conference",
        slug="busy",
        sessions=400,
        stages=10,
        days=1,
        speakers=300,
        timezone="Europe/Paris",
        seed=1,
        verbosity=0,
    )
    return DAY.format(day=Conference.objects.get(slug="busy").start_date)


def phone_page(browser, live_server, javascript):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 812},
        has_touch=True,
        is_mobile=True,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="UTC",
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def test_the_next_block_comes_in_as_the_phone_scrolls_to_it(browser, live_server, busy_day):
    page = phone_page(browser, live_server, javascript=True)
    page.goto(busy_day)
    cards = page.locator(".card")
    first_view = cards.count()

    page.locator(".block-next").first.scroll_into_view_if_needed()

    expect(page.locator(".day-block")).to_have_count(2)
    assert cards.count() > first_view
    later = page.locator(".day-block").nth(1).locator(".card").first
    later.get_by_role("button", name="Add to my agenda").click()
    expect(later.get_by_role("button", name="In my agenda")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "big-day-blocks-375.png", full_page=False)
    page.context.close()


def test_without_javascript_the_link_leads_to_the_block_and_the_agenda_comes_back_to_it(
    browser, live_server, busy_day
):
    page = phone_page(browser, live_server, javascript=False)
    page.goto(busy_day)
    link = page.locator(".block-next a")
    label = link.inner_text()

    link.click()

    assert "from=" in page.url
    expect(page.locator(".block-link a")).to_contain_text("Earlier: sessions from")
    first_time = page.locator(".slot-time").first.inner_text()
    assert label.endswith(first_time)
    card = page.locator(".card").nth(3)
    title = card.locator(".card-title").inner_text()
    card.get_by_role("button", name="Add to my agenda").click()
    assert "from=" in page.url and "#agenda-toggle-" in page.url
    back = page.locator(".card", has=page.get_by_role("link", name=title, exact=True))
    expect(back.get_by_role("button", name="In my agenda")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "big-day-no-js-375.png", full_page=False)
    page.context.close()
