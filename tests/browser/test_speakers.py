import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SPEAKERS = "/pytorch-conference-europe-2026/speakers/"


def test_read_more_unfolds_a_bio_in_place_and_read_less_folds_it(page):
    page.goto(SPEAKERS)
    read_more = page.get_by_role("link", name="Read more").first
    bio = page.locator(f"#{read_more.get_attribute('aria-controls')}")
    excerpt = bio.inner_text()

    read_more.click()
    expect(bio.get_by_role("link", name="Read less")).to_be_visible()
    full = bio.inner_text()
    assert len(full) > len(excerpt)
    assert full.startswith(excerpt.split("…")[0])
    assert "Read more" not in full
    assert page.url.endswith(SPEAKERS)

    bio.get_by_role("link", name="Read less").click()
    expect(bio.get_by_role("link", name="Read more")).to_be_visible()
    assert bio.inner_text() == excerpt
    assert page.url.endswith(SPEAKERS)
