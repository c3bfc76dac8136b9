import datetime as dt

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from schedule.models import Session
from speakers.models import Speaker

pytestmark = pytest.mark.browser

CONFERENCE = "/pytorch-conference-europe-2026"
# 10:12 CEST on the second day: the grid draws its now-line and the now page lists stages.
SECOND_MORNING = dt.datetime(2026, 4, 8, 8, 12, tzinfo=dt.UTC)


def gemma_keynote_path(conference):
    return Session.objects.get(conference=conference, title__contains="Gemma 4").get_absolute_url()


def first_speaker_with_sessions_path(conference):
    speakers = Speaker.objects.filter(conference=conference, session_links__isnull=False)
    return speakers.exclude(bio="").order_by("name").first().get_absolute_url()


PAGES = {
    "schedule-grid": lambda conference: f"{CONFERENCE}/schedule/2026-04-08/?layout=grid",
    "schedule-list": lambda conference: f"{CONFERENCE}/schedule/2026-04-08/?layout=list",
    "session": gemma_keynote_path,
    "speakers": lambda conference: f"{CONFERENCE}/speakers/",
    "speaker": first_speaker_with_sessions_path,
    "now": lambda conference: f"{CONFERENCE}/now/",
    "login": lambda conference: f"/accounts/login/?next={CONFERENCE}/schedule/",
    "signup": lambda conference: f"/accounts/signup/?next={CONFERENCE}/schedule/",
    "password-reset": lambda conference: f"/accounts/password/reset/?next={CONFERENCE}/schedule/",
    "agenda": lambda conference: f"{CONFERENCE}/agenda/",
    "timezone": lambda conference: f"{CONFERENCE}/timezone/",
    "conferences": lambda conference: "/",
    "embed": lambda conference: f"{CONFERENCE}/embed/2026-04-08/?layout=list",
    "print": lambda conference: f"{CONFERENCE}/print/2026-04-08/",
    "rooms": lambda conference: f"{CONFERENCE}/rooms/",
}


@pytest.fixture
def second_morning():
    # The live server runs in this process, so travelling here moves its clock too.
    with time_machine.travel(SECOND_MORNING, tick=True):
        yield


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violation_during_the_conference(
    page, demo, screenshot, second_morning, name
):
    page.goto(PAGES[name](demo))

    results = Axe().run(page)

    screenshot(name)
    assert results.violations_count == 0, results.generate_report()
