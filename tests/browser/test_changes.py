import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from schedule import versions
from schedule.models import Session

pytestmark = pytest.mark.browser

CONFERENCE = "/pytorch-conference-europe-2026"


def test_the_changelog_and_a_marked_day_have_no_axe_violation(page, demo, screenshot):
    versions.publish(demo, name="Programme")
    moved, cancelled = Session.objects.filter(conference=demo).order_by("start", "pk")[10:12]
    moved.start += dt.timedelta(minutes=30)
    moved.end += dt.timedelta(minutes=30)
    moved.save()
    cancelled.status = Session.Status.CANCELLED
    cancelled.save()
    versions.publish(demo, name="One talk later")
    day = moved.start.astimezone(demo.zone).date().isoformat()

    page.goto(f"{CONFERENCE}/changes/")
    results = Axe().run(page)
    screenshot("changes")

    assert results.violations_count == 0, results.generate_report()
    assert page.locator(".changelog-version").count() == 2
    assert page.locator("#v2 .change-mark").count() == 2

    page.goto(f"{CONFERENCE}/schedule/{day}/?layout=list")
    results = Axe().run(page)
    screenshot("schedule-with-changes", widths=(375,))

    assert results.violations_count == 0, results.generate_report()
    assert page.locator(".change-mark").count() >= 1


def test_ok_got_it_on_the_agenda_hides_the_change_in_place(page, demo, screenshot):
    versions.publish(demo, name="Programme")
    session = Session.objects.filter(conference=demo).order_by("start", "pk")[10]
    page.goto(session.get_absolute_url())
    page.locator(f"#agenda-toggle-{session.slug}").get_by_role(
        "button", name="Add to my agenda"
    ).click()
    page.locator(".agenda-form.in-agenda").wait_for()
    session.start += dt.timedelta(minutes=30)
    session.end += dt.timedelta(minutes=30)
    session.save()
    versions.publish(demo, name="One talk later")

    page.goto(f"{CONFERENCE}/agenda/")
    heading = page.get_by_role("heading", name="Since your last visit: 1 of your sessions moved")
    heading.wait_for()
    results = Axe().run(page)
    screenshot("agenda-since-last-visit", widths=(375,))

    assert results.violations_count == 0, results.generate_report()
    page.locator(".changed-sessions").get_by_role("button", name="OK, got it").click()
    page.get_by_text("You have seen every change to your sessions.").wait_for()
    assert heading.count() == 0
    assert page.locator(".change-mark").count() == 0
    assert page.url.endswith("/agenda/")  # swapped in place, not reloaded
