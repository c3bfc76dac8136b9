"""The conference keeps working offline with a real service worker in Chromium: after one
visit, every day, session, speaker and the agenda open from the copy with the offline line;
an agenda change made offline reaches the server once; a new schedule version replaces the
copies; logging out takes the person's copies away; the manifest makes it installable."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from attendees.models import AgendaEntry
from schedule.models import Session
from speakers.models import Speaker
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

CONFERENCE = "/pytorch-conference-europe-2026"
OFFLINE_LINE = ".offline-line"


@pytest.fixture
def context(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="UTC",
        service_workers="allow",
    )
    context.set_default_timeout(20_000)
    yield context
    context.close()


def worker_status(page):
    """What the service worker says of its copies: {version, key, complete, person}."""
    return page.evaluate(
        """() => navigator.serviceWorker.ready.then(registration => new Promise(resolve => {
            const channel = new MessageChannel();
            channel.port1.onmessage = event => resolve(event.data);
            registration.active.postMessage({type: "status"}, [channel.port2]);
        }))"""
    )


def wait_until_kept(page, version=None, timeout=40):
    deadline = dt.datetime.now() + dt.timedelta(seconds=timeout)
    while dt.datetime.now() < deadline:
        status = worker_status(page) or {}
        if status.get("complete") and (version is None or status.get("version") == version):
            return status
        page.wait_for_timeout(250)
    raise AssertionError(f"The service worker did not keep the conference: {status}")


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_after_one_visit_the_conference_opens_offline_from_the_copy(context, demo):
    session = Session.objects.filter(conference=demo).order_by("-start").first()
    speaker = Speaker.objects.filter(conference=demo).order_by("-name").first()
    page = context.new_page()
    page.goto(f"{CONFERENCE}/schedule/2026-04-07/")
    expect(page.locator(OFFLINE_LINE)).to_be_hidden()
    wait_until_kept(page)

    context.set_offline(True)
    page.goto(f"{CONFERENCE}/schedule/2026-04-08/")
    line = page.locator(OFFLINE_LINE)
    expect(line).to_be_visible()
    expect(line).to_have_text(re_offline_line())
    expect(page.locator("nav.day-tabs [aria-current=page]")).to_have_text("Wed 8 Apr")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "offline-day.png")
    results = Axe().run(page, context=OFFLINE_LINE)
    assert results.violations_count == 0, results.generate_report()

    for path, text in [
        (session.get_absolute_url(), session.title),
        (f"{CONFERENCE}/speakers/", speaker.name),
        (speaker.get_absolute_url(), speaker.name),
        (f"{CONFERENCE}/agenda/", "My agenda"),
        (f"{CONFERENCE}/now/", "Now"),
    ]:
        page.goto(path)
        expect(page.locator("main")).to_contain_text(text)
        expect(page.locator(OFFLINE_LINE)).to_be_visible()

    # An address that was never kept: a page that says it needs the network.
    page.goto(f"{CONFERENCE}/schedule/2026-04-08/?q=nothing-kept")
    expect(page.get_by_role("heading", level=1)).to_have_text("This page needs the network")
    expect(page.locator(OFFLINE_LINE)).to_be_visible()


def re_offline_line():
    import re

    return re.compile(r"^Offline — schedule as of \d{2}:\d{2}$")
