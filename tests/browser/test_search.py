import re
from contextlib import suppress

import pytest
from playwright.sync_api import Error, expect

pytestmark = pytest.mark.browser

SCHEDULE = "/pytorch-conference-europe-2026/schedule/"


def hold_results_requests(page):
    """Keeps the search form's requests (they target the results) unanswered until released,
    so a test can decide which of two requests in flight answers last."""
    held = []

    def hold(route):
        if route.request.headers.get("hx-target") == "schedule-results":
            held.append(route)
        else:
            route.continue_()

    page.route(re.compile(r"/schedule/"), hold)

    def release():
        for route in held:
            with suppress(Error):  # the page aborted that request: nothing to answer
                route.continue_()
        page.unroute(re.compile(r"/schedule/"))
        return len(held)

    return release


def test_address_bar_names_the_day_shown_after_a_search_and_a_tab_click(page):
    page.goto(f"{SCHEDULE}2026-04-07/?layout=list")
    page.get_by_label("Search").press_sequentially("vllm")
    page.wait_for_url(re.compile(r"[?&]q=vllm(&|$)"))
    release = hold_results_requests(page)

    # Leaving the search box sends the form once more (its change event), to the old day.
    page.locator(".day-tabs").get_by_role("link", name=re.compile("Wed 8 Apr")).click()
    expect(page.locator(".day-tabs [aria-current=page]")).to_contain_text("Wed 8 Apr")
    assert release() == 1
    page.wait_for_timeout(500)

    assert re.search(r"/2026-04-08/\?(.+&)?q=vllm", page.url)
    page.reload()
    expect(page.locator("#day-heading")).to_contain_text("Wednesday 8 April 2026")
