from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

from conference.models import Conference

DEMO_SLUG = "pytorch-conference-europe-2026"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# Debian's Chromium: Playwright's own browser download is not available here.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class WithoutServiceWorkers:
    """Chromium whose new contexts block service workers unless a test allows them
    (service_workers="allow", as the offline tests do): after a first visit the offline app
    copies the whole conference in the background, which would compete with what a test
    waits for on the one live server."""

    def __init__(self, browser):
        self.browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self.browser.new_context(**options)

    def __getattr__(self, name):
        return getattr(self.browser, name)


@pytest.fixture(scope="package")
def browser():
    # Playwright's sync API keeps an event loop in this thread while it is open, and Django
    # refuses ORM calls beside a running loop. Allowed for this package only, so the
    # variable never reaches other tests or the subprocesses they start.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield WithoutServiceWorkers(browser)
            browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo conference, committed so that the live server's thread sees it."""
    call_command("loaddata", "fixtures/pytorch-conference-europe-2026.json", verbosity=0)
    return Conference.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def page(browser, live_server, demo):
    """A fresh tab (no cookies, no storage) on the live server, 1280 px wide, clock in UTC."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="UTC",
    )
    # Two suites and a browser share two cores in `make test`: a request can wait its turn.
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Saves the whole page as screenshots/<name>-<width>.png at each width given."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name, widths=(375, 1280)):
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)

    return take
