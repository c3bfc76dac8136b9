import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DAY = "/pytorch-conference-europe-2026/schedule/2026-04-08/"
GEMMA = "Keynote: Intelligence per Byte – Building Gemma 4"


def card_titles(page):
    return page.locator(".card .card-title").all_inner_texts()


def test_stage_filter_swaps_the_list_in_place_and_back_restores_it(page):
    page.goto(f"{DAY}?layout=list")
    unfiltered = card_titles(page)
    page.evaluate("window.__marker = 1")

    page.locator("summary", has_text="Stages").click()
    page.get_by_label("Master Stage").check()
    page.wait_for_url(re.compile(r"[?&]stage=master-stage(&|$)"))
    expect(page.locator(".result-count")).to_contain_text("sessions match")

    places = page.locator(".card .card-when").all_inner_texts()
    assert places
    assert len(places) < len(unfiltered)
    assert all(place.endswith("· Master Stage") for place in places)
    assert page.evaluate("window.__marker") == 1

    page.go_back()
    page.wait_for_url(re.compile(r"/2026-04-08/\?layout=list$"))
    expect(page.locator(".card")).to_have_count(len(unfiltered))
    assert card_titles(page) == unfiltered
    expect(page.get_by_label("Master Stage")).not_to_be_checked()
    assert page.evaluate("window.__marker") == 1


def test_search_shows_only_the_gemma_keynote(page):
    page.goto(f"{DAY}?layout=list")

    page.get_by_label("Search").press_sequentially("gemma")
    page.wait_for_url(re.compile(r"[?&]q=gemma(&|$)"))
    expect(page.locator(".result-count")).to_contain_text("1 session matches.")

    assert card_titles(page) == [GEMMA]


def test_layout_switch_changes_layout_and_cookie_keeps_it(page):
    page.goto(DAY)
    expect(page.locator(".grid")).to_have_count(1)
    switch = page.locator(".layout-switch")

    switch.get_by_role("link", name="List").click()
    page.wait_for_url(re.compile(r"[?&]layout=list(&|$)"))
    expect(page.locator(".slots")).to_have_count(1)
    expect(page.locator(".grid")).to_have_count(0)
    page.goto(DAY)
    expect(page.locator(".slots")).to_have_count(1)

    switch.get_by_role("link", name="Grid").click()
    page.wait_for_url(re.compile(r"[?&]layout=grid(&|$)"))
    expect(page.locator(".grid")).to_have_count(1)
    expect(page.locator(".slots")).to_have_count(0)
    page.reload()
    expect(page.locator(".grid")).to_have_count(1)
    page.goto(DAY)
    expect(page.locator(".grid")).to_have_count(1)


# Each cell's left/right and its stage header's, relative to the grid, at scrollLeft 0.
CELLS_AND_HEADS = """() => {
  document.querySelector(".grid-scroll").scrollLeft = 0;
  const grid = document.querySelector(".grid").getBoundingClientRect();
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return {left: r.left - grid.left, right: r.right - grid.left};
  };
  return [...document.querySelectorAll(".cell")].flatMap((cell) => {
    const column = [...cell.classList].find((c) => /^c[0-9]+$/.test(c));
    if (!column) return [];
    const head = document.querySelector(`.stage-head.${column}:not(.corner)`);
    return [{title: cell.querySelector(".cell-title").innerText, column,
             cell: box(cell), head: box(head)}];
  });
}"""


def test_grid_at_375_px_scrolls_inside_its_box_and_cells_stay_in_their_columns(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{DAY}?layout=grid")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    scroller = page.locator(".grid-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    assert scroller.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    placed = page.evaluate(CELLS_AND_HEADS)
    assert placed
    overflowing = [
        p
        for p in placed
        if p["cell"]["left"] < p["head"]["left"] - 1 or p["cell"]["right"] > p["head"]["right"] + 1
    ]
    assert overflowing == []


def test_list_at_375_px_has_no_card_wider_than_the_screen(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{DAY}?layout=list")

    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    rights = page.locator(".card").evaluate_all(
        "cards => cards.map(c => c.getBoundingClientRect().right)"
    )
    assert rights
    assert max(rights) <= 375


def test_timezone_picker_shows_times_in_kiritimati_and_remembers_it(page):
    page.goto(f"{DAY}?layout=list")
    gemma = page.locator(".card", has_text=GEMMA).locator(".card-when")
    expect(gemma).to_have_text("09:50–10:05 · Master Stage")

    page.get_by_role("link", name="Change timezone or clock").click()
    picker = page.locator("#timezone-picker")
    picker.get_by_label("Find a timezone").fill("Kiritimati")
    picker.get_by_label("Timezone", exact=True).select_option("Pacific/Kiritimati")
    picker.get_by_role("button", name="Show times").click()

    page.wait_for_url(re.compile(r"[?&]tz=Pacific(%2F|/)Kiritimati(&|$)"))
    expect(page.locator(".day-tabs")).to_contain_text("Thu 9 Apr")
    expect(gemma).to_have_text("21:50–22:05 · Master Stage")
    page.reload()
    expect(gemma).to_have_text("21:50–22:05 · Master Stage")
    page.goto("/pytorch-conference-europe-2026/schedule/")
    expect(page.locator(".time-notice")).to_contain_text("Pacific/Kiritimati")
