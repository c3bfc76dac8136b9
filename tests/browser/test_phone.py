"""The conference day on a phone: the programme on the first screen, targets a thumb can hit,
and the small things that broke with and without JavaScript."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import expect

from schedule.models import Session
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser

CONF = "/pytorch-conference-europe-2026"
DAY = f"{CONF}/schedule/2026-04-08/?layout=list"
EMAIL = "margaret.hamilton.longname@example-university.org"

# Every control a tap can hit; a label wrapping a checkbox is that checkbox's target.
UNDERSIZED_TARGETS = """() => {
  const small = [];
  for (const control of document.querySelectorAll("a, button, input, select, summary")) {
    if (control.type === "hidden" || control.closest(".visually-hidden")) continue;
    const target = control.matches("input[type=checkbox], input[type=radio]") && control.closest("label")
      ? control.closest("label") : control;
    if (!control.checkVisibility({visibilityProperty: true})) continue;
    const box = target.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      small.push(`${control.tagName} "${control.textContent.trim().slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


@pytest.fixture
def phone(browser, live_server, demo):
    """A 375 × 812 touch screen; call it with javascript=False for a browser without it."""
    contexts = []

    def open_page(*, javascript=True, signed_in=False):
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
        contexts.append(context)
        if signed_in:
            context.add_cookies([signed_in_cookie(live_server.url)])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def signed_in_cookie(url):
    user = get_user_model().objects.create_user("margaret", EMAIL, "a long passphrase 1")
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_first_session_is_on_the_first_phone_screen_before_any_notice_is_read(phone, javascript):
    for signed_in in (False, True):
        page = phone(javascript=javascript, signed_in=signed_in)
        page.goto(DAY)

        first = page.locator(".card").first.bounding_box()
        header = page.locator(".site-header").bounding_box()

        who = "signed-in" if signed_in else "anonymous"
        shoot(page, f"phone-day-{who}-{'js' if javascript else 'no-js'}")
        assert first["y"] < 812
        assert header["height"] <= 52
        assert EMAIL not in page.locator(".site-header").inner_text()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_got_it_folds_each_notice_to_one_line_for_good(phone, javascript):
    page = phone(javascript=javascript)
    page.goto(DAY)

    for notice in (".time-notice", ".registration-notice"):
        page.locator(notice).get_by_role("button", name="Got it").focus()
        page.keyboard.press("Enter")
        summary = page.locator(f"{notice} details summary")
        expect(summary).to_be_visible()
        if javascript:  # swapped in place: the keyboard stays on the notice
            expect(summary).to_be_focused()
    page.goto(DAY)

    for notice in (".time-notice", ".registration-notice"):
        assert page.locator(f"{notice} details:not([open])").bounding_box()["height"] <= 44
    assert page.locator(".card").first.bounding_box()["y"] < 640


def test_every_control_on_the_phone_day_page_is_a_thumb_wide(phone):
    page = phone(signed_in=True)
    page.goto(DAY)
    page.get_by_text("Filters", exact=True).click()
    for group in ("Stages", "Tracks", "Types"):
        page.locator("summary", has_text=group).click()

    shoot(page, "phone-day-filters-open")
    assert page.evaluate(UNDERSIZED_TARGETS) == []
    assert page.evaluate("getComputedStyle(document.getElementById('q')).fontSize") == "16px"


def test_timezone_picked_on_the_timezone_page_with_javascript_takes_effect(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text))
    page.goto(f"{CONF}/timezone/?next={CONF}/schedule/2026-04-08/")

    page.locator("select[name=tz]").select_option("Asia/Kolkata")
    page.get_by_role("button", name="Show times").click()

    page.wait_for_url(re.compile(r"/schedule/2026-04-08/"))
    expect(page.locator(".time-notice")).to_contain_text("India Standard Time")
    assert not [error for error in errors if "targetError" in error]


def test_unknown_timezone_page_picker_works_with_javascript(page):
    page.goto(f"{CONF}/schedule/2026-04-08/?tz=Mars/Olympus_Mons")

    page.locator("select[name=tz]").select_option("America/Chicago")
    page.get_by_role("button", name="Show times").click()

    expect(page.locator(".time-notice")).to_contain_text("Central Daylight Time")


def test_keyboard_focus_stays_on_the_toggled_agenda_button(page, demo):
    session = Session.objects.filter(conference=demo, title__contains="Gemma 4").get()
    page.goto(DAY)
    form = page.locator(f"#agenda-toggle-{session.slug}")

    form.locator("button.if-out").focus()
    page.keyboard.press("Enter")
    expect(form).to_have_class(re.compile(r"\bin-agenda\b"))
    expect(form.locator("button.if-in")).to_be_focused()

    page.keyboard.press("Enter")
    expect(form).not_to_have_class(re.compile(r"\bin-agenda\b"))
    expect(form.locator("button.if-out")).to_be_focused()


def test_adding_without_javascript_comes_back_to_the_session(phone, demo):
    session = Session.objects.filter(conference=demo, title__contains="Gemma 4").get()
    page = phone(javascript=False)
    page.goto(DAY)

    page.locator(f"#agenda-toggle-{session.slug} button.if-out").click()

    page.wait_for_url(re.compile(rf"#agenda-toggle-{session.slug}$"))
    title = page.locator(".card-title", has_text=session.title).bounding_box()
    assert 0 <= title["y"] < 812
    assert page.evaluate("scrollY") > 1000


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_copy_button_shows_only_with_javascript(phone, javascript):
    page = phone(javascript=javascript, signed_in=True)
    page.goto(f"{CONF}/agenda/")

    copy = page.get_by_role("button", name="Copy")
    if javascript:
        expect(copy).to_be_visible()
    else:
        expect(copy).to_be_hidden()
    expect(page.locator("#feed-url")).to_be_visible()
