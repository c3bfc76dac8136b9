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
