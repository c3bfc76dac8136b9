import re
from contextlib import suppress

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error, expect

from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

SCHEDULE = "/pytorch-conference-europe-2026/schedule/"
GEMMA = "Keynote: Intelligence per Byte – Building Gemma 4"
PHONE = {
    "viewport": {"width": 375, "height": 812},
    "has_touch": True,
    "is_mobile": True,
    "locale": "en-GB",
    "timezone_id": "UTC",
}


@pytest.fixture(params=[True, False], ids=["js", "no-js"])
def phone(request, browser, live_server, demo):
    """A phone's tab on the live server, with JavaScript and without."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=request.param, **PHONE
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.javascript = request.param
    yield page
    context.close()


def search(page, words):
    """Types into the search box as a visitor does: live with JavaScript, else submitting."""
    box = page.get_by_label("Search")
    if page.javascript:
        box.press_sequentially(words)
    else:
        box.fill(words)
        box.press("Enter")
    page.wait_for_url(re.compile(rf"[?&]q={words}(&|$)"))


def tab(page, label):
    return page.locator(".day-tabs").get_by_role("link", name=re.compile(label))


def titles(page):
    return page.locator(".card .card-title").all_inner_texts()


def expect_titles(page, expected):
    """Waits for them: htmx puts the address in the bar before it swaps the results in."""
    expect(page.locator(".card .card-title")).to_have_text(expected)


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

    return release


def test_address_bar_names_the_day_shown_after_a_search_and_a_tab_click(page):
    page.goto(f"{SCHEDULE}2026-04-07/?layout=list")
    page.get_by_label("Search").press_sequentially("vllm")
    page.wait_for_url(re.compile(r"[?&]q=vllm(&|$)"))
    release = hold_results_requests(page)

    # Leaving the search box sends the form once more (its change event), to the old day.
    page.locator(".day-tabs").get_by_role("link", name=re.compile("Wed 8 Apr")).click()
    expect(page.locator(".day-tabs [aria-current=page]")).to_contain_text("Wed 8 Apr")
    release()  # (under load, the tab's click may have aborted that request before it left)
    page.wait_for_timeout(500)

    assert re.search(r"/2026-04-08/\?(.+&)?q=vllm", page.url)
    page.reload()
    expect(page.locator("#day-heading")).to_contain_text("Wednesday 8 April 2026")


def test_searching_gemma_from_the_schedule_shows_the_gemma_4_talk(phone):
    phone.goto(f"{SCHEDULE}?layout=list")
    expect(phone.locator("#day-heading")).to_contain_text("Tuesday 7 April 2026")

    search(phone, "gemma")

    expect(phone.locator("#day-heading")).to_contain_text("Wednesday 8 April 2026")
    expect_titles(phone, [GEMMA])
    expect(tab(phone, "Tue 7 Apr")).to_have_text("Tue 7 Apr · 0, 0 matches")
    expect(tab(phone, "Wed 8 Apr")).to_have_attribute("aria-current", "page")
    phone.screenshot(
        path=SCREENSHOTS / f"search-gemma-{'js' if phone.javascript else 'nojs'}-375.png",
        full_page=True,
    )


def test_an_empty_day_links_the_day_with_the_match_keeping_the_search(phone):
    phone.goto(f"{SCHEDULE}2026-04-07/?layout=list")

    search(phone, "gemma")
    expect(phone.locator(".empty")).to_contain_text("No session on this day matches")
    phone.screenshot(
        path=SCREENSHOTS / f"search-empty-day-{'js' if phone.javascript else 'nojs'}-375.png",
        full_page=True,
    )
    phone.get_by_role("link", name="Wednesday 8 April: 1 session").click()

    phone.wait_for_url(re.compile(r"/2026-04-08/\?q=gemma&layout=list$"))
    expect_titles(phone, [GEMMA])


def test_a_link_clicked_while_searches_wait_their_turn_still_goes_where_it_says(page):
    """Under load, one search can be in flight and the next typed one waiting behind it when
    the visitor taps another day: that tap must not be lost to the searches."""
    page.goto(f"{SCHEDULE}2026-04-07/?layout=list")
    page.get_by_label("Search").press_sequentially("gemma")
    expect(page.locator(".empty")).to_contain_text("No session on this day matches")
    release = hold_results_requests(page)

    # 'a' sends a search (held in flight); 'b', typed after the debounce, sends another.
    page.get_by_label("Search").press_sequentially("ab", delay=700)
    page.wait_for_timeout(700)
    page.get_by_role("link", name="Wednesday 8 April: 1 session").click()
    page.wait_for_timeout(300)
    release()

    page.wait_for_url(re.compile(r"/2026-04-08/\?q=gemma&layout=list$"))
    expect_titles(page, [GEMMA])
    page.wait_for_timeout(500)  # no search answering late takes the page back to Tuesday
    assert re.search(r"/2026-04-08/\?q=gemma&layout=list$", page.url)


def test_zurich_finds_the_sessions_of_speakers_based_in_zurich(page, screenshot):
    page.goto(f"{SCHEDULE}?layout=list")

    page.get_by_label("Search").press_sequentially("zurich")
    page.wait_for_url(re.compile(r"[?&]q=zurich(&|$)"))

    expect(tab(page, "Tue 7 Apr")).to_have_text("Tue 7 Apr · 2, 2 matches")
    expect(tab(page, "Wed 8 Apr")).to_have_text("Wed 8 Apr · 1, 1 match")
    assert "One Triton Code Base for Fast vLLM Attention on NVIDIA and AMD" in titles(page)
    screenshot("search-zurich")
    tab(page, "Wed 8 Apr").click()
    page.wait_for_url(re.compile(r"/2026-04-08/\?q=zurich&layout=list$"))
    expect_titles(page, ["Keynote: Scaling Open Inference with vLLM"])


def test_an_empty_day_of_a_search_has_no_axe_violation(page):
    page.goto(f"{SCHEDULE}2026-04-07/?q=gemma&layout=list")

    results = Axe().run(page)

    assert results.violations_count == 0, results.generate_report()
