"""The conference keeps working offline with a real service worker in Chromium: after one
visit, every day, session, speaker and the agenda open from the copy with the offline line;
an agenda change made offline reaches the server once; a new schedule version replaces the
copies; logging out takes the person's copies away; the manifest makes it installable."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from attendees.models import AgendaEntry
from public.views import offline as offline_views
from schedule.models import Session
from speakers.models import Speaker
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

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
    return re.compile(r"^Offline — schedule as of \d{2}:\d{2}$")


def test_an_agenda_change_made_offline_reaches_the_server_once_and_logging_out_forgets_it(
    context, live_server, demo
):
    person = get_user_model().objects.create_user("ada", "ada@example.org", "not-a-secret")
    gemma = Session.objects.get(conference=demo, title__contains="Gemma 4")
    sign_in(context, live_server, person)
    page = context.new_page()
    page.goto(f"{CONFERENCE}/schedule/2026-04-07/")
    signed_in_as = wait_until_kept(page)["person"]
    assert signed_in_as not in (None, "anyone")

    context.set_offline(True)
    page.goto(gemma.get_absolute_url())
    toggle = page.locator(f"#agenda-toggle-{gemma.slug}")
    toggle.get_by_role("button", name="Add to my agenda").click()
    expect(toggle.locator(".agenda-pending")).to_have_text("Added when you are back online")
    expect(page.locator("#agenda-count")).to_have_text("1")
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=SCREENSHOTS / "offline-pending-375.png")
    expect(toggle).to_have_class(re.compile(r"\bin-agenda\b"))
    # Every kept page shows the wish while offline, and still says it waits.
    page.goto(f"{CONFERENCE}/schedule/2026-04-08/")
    expect(toggle).to_have_class(re.compile(r"\bin-agenda\b"))
    expect(toggle.locator(".agenda-pending")).to_be_visible()
    # The kept agenda page lists it apart, by its title, until the server has it.
    page.goto(f"{CONFERENCE}/agenda/")
    queued = page.locator(".agenda-queued")
    expect(queued.get_by_role("link", name=gemma.title)).to_have_attribute(
        "href", gemma.get_absolute_url()
    )
    expect(queued).to_contain_text("Added when you are back online")
    expect(page.locator("#agenda-count")).to_have_text("1")
    expect(page.locator("#agenda-body .empty")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "offline-agenda-queued-375.png", full_page=True)
    assert not AgendaEntry.objects.filter(user=person).exists()

    context.set_offline(False)
    expect(queued).to_be_hidden()
    expect(page.locator("#agenda-body .card-title")).to_have_text([gemma.title])
    expect(page.locator("#agenda-count")).to_have_text("1")
    page.wait_for_timeout(500)  # a second sender (Background Sync, the online event) is idempotent
    assert list(AgendaEntry.objects.filter(user=person).values_list("session", flat=True)) == [
        gemma.pk
    ]
    page.goto(f"{CONFERENCE}/schedule/2026-04-08/")
    expect(toggle.locator(".agenda-pending")).to_have_count(0)
    expect(page.locator("#agenda-count")).to_have_text("1")
    wait_until_kept(page)

    page.locator("summary").filter(has_text="ada").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("nav.account .login")).to_be_visible()
    cache_names = page.evaluate("caches.keys()")
    assert not [name for name in cache_names if name.endswith(signed_in_as)], cache_names
    wait_until_kept(page)
    context.set_offline(True)
    page.goto(f"{CONFERENCE}/agenda/")
    expect(page.locator("main")).not_to_contain_text(gemma.title)
    assert AgendaEntry.objects.filter(user=person).count() == 1


def test_the_next_person_on_the_device_never_gets_the_last_one_s_agenda(context, live_server, demo):
    ada = get_user_model().objects.create_user("ada", "ada@example.org", "not-a-secret")
    bob = get_user_model().objects.create_user("bob", "bob@example.org", "not-a-secret")
    gemma = Session.objects.get(conference=demo, title__contains="Gemma 4")
    AgendaEntry.objects.create(user=ada, session=gemma)
    sign_in(context, live_server, ada)
    page = context.new_page()
    page.goto(f"{CONFERENCE}/agenda/")
    ada_key = wait_until_kept(page)["person"]

    # Bob signs in on the same browser without Ada logging out (her session ended elsewhere).
    context.clear_cookies()
    sign_in(context, live_server, bob)
    page.goto(f"{CONFERENCE}/schedule/")
    bob_key = wait_until_kept(page)["person"]
    context.set_offline(True)
    page.goto(f"{CONFERENCE}/agenda/")

    assert bob_key != ada_key
    assert not [name for name in page.evaluate("caches.keys()") if name.endswith(ada_key)]
    expect(page.locator(OFFLINE_LINE)).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(gemma.title)


def test_a_published_change_replaces_the_copy_after_the_next_visit(context, live_server, demo):
    session = Session.objects.filter(conference=demo).order_by("start").last()
    page = context.new_page()
    page.goto(f"{CONFERENCE}/schedule/2026-04-07/")
    first = wait_until_kept(page)["version"]

    session.title = "Moved to the big room: a new title"
    session.save()
    demo.refresh_from_db()
    assert demo.schedule_version != first
    asked = []
    context.on("request", lambda request: asked.append((request.method, request.url)))
    page.reload()
    wait_until_kept(page, version=demo.schedule_version)

    # Each kept page was asked for its ETag alone; only those whose bytes changed came again.
    checked = {url for method, url in asked if method == "HEAD"}
    taken_again = {url for method, url in asked if method == "GET" and "/sessions/" in url}
    assert len(checked) > 80
    assert session.get_absolute_url() in {url.removeprefix(live_server.url) for url in taken_again}
    assert len(taken_again) <= 3  # the session, and those that name it before or after them

    context.set_offline(True)
    page.goto(session.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Moved to the big room: a new title")
    expect(page.locator(OFFLINE_LINE)).to_be_visible()


def test_the_manifest_makes_the_conference_installable(browser, live_server, demo, tmp_path):
    # A profile on disk: Chromium never offers to install from an incognito context.
    context = browser.browser_type.launch_persistent_context(
        tmp_path, executable_path=CHROMIUM, args=CHROMIUM_ARGS, base_url=live_server.url
    )
    try:
        page = context.new_page()
        page.goto(f"{CONFERENCE}/schedule/")
        wait_until_kept(page)
        devtools = context.new_cdp_session(page)

        # What Lighthouse's installable-manifest audit asked Chromium (Lighthouse 12 dropped it).
        errors = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
        manifest = devtools.send("Page.getAppManifest")
    finally:
        context.close()

    assert errors == []
    assert manifest["errors"] == []
    assert manifest["url"].endswith(f"{CONFERENCE}/manifest.webmanifest")


def test_a_new_service_worker_takes_over_every_open_tab_at_once(context, demo, monkeypatch):
    first, second = context.new_page(), context.new_page()
    first.goto(f"{CONFERENCE}/schedule/")
    wait_until_kept(first)
    second.goto(f"{CONFERENCE}/speakers/")
    taken_over = """() => new Promise(resolve => navigator.serviceWorker.addEventListener(
        "controllerchange", () => resolve(navigator.serviceWorker.controller !== null)))"""
    for tab in (first, second):  # not awaited here: a function that returns nothing
        tab.evaluate(f"() => {{ window.takenOver = ({taken_over})(); }}")

    # The next release of the worker: other bytes at the same address.
    released = offline_views.service_worker_source() + b"\n// the next release\n"
    monkeypatch.setattr(offline_views, "service_worker_source", lambda: released)
    first.evaluate("navigator.serviceWorker.ready.then(registration => registration.update())")

    # Both tabs are controlled by the new worker, neither was closed nor reloaded.
    within_10_s = (
        "() => Promise.race([window.takenOver, new Promise(r => setTimeout(r, 10000, false))])"
    )
    assert first.evaluate(within_10_s) is True
    assert second.evaluate(within_10_s) is True
    # And it still answers: the copies survive an update of the worker.
    context.set_offline(True)
    second.goto(f"{CONFERENCE}/now/")
    expect(second.locator(OFFLINE_LINE)).to_be_visible()


def test_a_release_s_new_build_of_a_static_file_replaces_the_last_one_in_the_copy(context, demo):
    page = context.new_page()
    page.goto(f"{CONFERENCE}/schedule/")
    wait_until_kept(page)
    # Whitenoise names each build of a file by its digest (the test server does not): what an
    # earlier release left in the copy, and a file this page does not load.
    earlier_build = "/static/css/site.000000000000.css"
    this_build = "/static/css/site.0123456789ab.css"
    other_file = "/static/css/print.000000000000.css"
    static_copy = f"caches.open('static-1:{CONFERENCE}/')"
    in_copy = f"url => {static_copy}.then(cache => cache.match(url)).then(Boolean)"
    page.evaluate(
        f"""urls => {static_copy}.then(cache => Promise.all(
            urls.map(url => cache.put(url, new Response('/* a build */')))))""",
        [earlier_build, this_build, other_file],
    )

    # What offline.js sends when a page of this release has loaded: the files it uses.
    page.evaluate(
        """assets => navigator.serviceWorker.ready.then(registration => new Promise(resolve => {
            const channel = new MessageChannel();
            channel.port1.onmessage = resolve;
            registration.active.postMessage({type: "check", assets}, [channel.port2]);
        }))""",
        [this_build],
    )

    assert page.evaluate(in_copy, earlier_build) is False
    assert page.evaluate(in_copy, this_build) is True
    # A file this page does not load may still be used by other pages: it stays.
    assert page.evaluate(in_copy, other_file) is True
