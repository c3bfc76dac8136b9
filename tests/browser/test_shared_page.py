"""A first-time visitor gets the shared page (no token, kept by any cache), adds a session to
their agenda from it, and sees their mark on the next visit: with JavaScript on the shared
page itself, filled in by one small request after it; without, in a page of their own."""

import pytest
from playwright.sync_api import expect

from schedule.models import Session
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

DAY = "/pytorch-conference-europe-2026/schedule/2026-04-08/"
SCREENS = {
    True: {"viewport": {"width": 1280, "height": 900}},
    False: {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True},
}


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_visitor_sees_their_mark_on_a_page_first_served_shared(
    browser, live_server, demo, javascript
):
    gemma = Session.objects.get(conference=demo, title__contains="Gemma 4")
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="UTC",
        **SCREENS[javascript],
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    toggle = page.locator(f"#agenda-toggle-{gemma.slug}")

    first = page.goto(DAY)
    assert first.headers["cache-control"] == "public, max-age=60, stale-while-revalidate=600"
    assert not page.locator("input[name=csrfmiddlewaretoken]").count()
    toggle.get_by_role("button", name="Add to my agenda").click()
    expect(toggle).to_have_class("agenda-form in-agenda")

    again = page.goto(DAY)

    # With JavaScript the browser is given the shared page again and fetches its own parts.
    expected = "public" if javascript else "private"
    assert again.headers["cache-control"].startswith(expected)
    expect(toggle).to_have_class("agenda-form in-agenda")
    expect(page.locator("#agenda-count")).to_have_text("1")
    expect(toggle.get_by_role("button", name="In my agenda")).to_be_visible()
    expect(page.locator(".in-agenda.card, .in-agenda.cell")).to_have_count(1)
    SCREENSHOTS.mkdir(exist_ok=True)
    toggle.scroll_into_view_if_needed()
    name = "shared-page-mark-" + ("js" if javascript else "no-js")
    page.screenshot(path=SCREENSHOTS / f"{name}.png")

    # And back out, from the shared page too.
    toggle.get_by_role("button", name="In my agenda").click()
    expect(toggle).to_have_class("agenda-form")
    context.close()
