"""The schedule board in a browser: moves by keyboard and by drag reach the database and the
public page, the no-JavaScript form works, axe finds nothing; and an organiser's task (move ten
sessions) timed, with the keys and clicks it takes."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User

from schedule.models import Session

pytestmark = pytest.mark.browser

DAY = "2026-04-07"


def sign_in(page, demo):
    User.objects.create_superuser("boss", "boss@example.org", "a long organiser password")
    page.goto(f"/admin/login/?next=/admin/board/{demo.slug}/?day={DAY}")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a long organiser password")
    page.click("input[type=submit]")
    page.wait_for_selector("#board-grid")


def talks(demo, count):
    """The day's first short talks on a stage, in time order."""
    sessions = Session.objects.for_conference(demo).filter(
        start__date="2026-04-07", stage__isnull=False, session_type__spans_all_stages=False
    )
    return [s for s in sessions.order_by("start", "stage__position") if not s.is_open_all_day][
        :count
    ]


def clear_status(page):
    page.evaluate("document.getElementById('board-status').textContent = ''")


SETTLED = (
    "pattern => new RegExp(pattern).test(document.getElementById('board-status').textContent)"
    " && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
)


def wait_saved(page, card_id):
    """Waits for the move's answer; confirms a conflict when asked. Returns the clicks it took."""
    page.wait_for_function(SETTLED, arg="now runs|in conflict")
    if "in conflict" not in page.inner_text("#board-status"):
        return 0
    page.click(f"#{card_id} button[name=confirm]")
    page.wait_for_function(SETTLED, arg="now runs")
    return 1


def test_ten_sessions_moved_by_keyboard_and_by_drag_reach_the_database_and_the_public_page(
    page, demo, screenshot
):
    sign_in(page, demo)
    keys = clicks = 0
    moved = talks(demo, 10)
    started = time.monotonic()
    for session in moved[:5]:
        card = f"card-{session.pk}"
        clear_status(page)
        page.focus(f"#{card} .board-card-face")
        for key in ["Enter", "ArrowRight", "ArrowDown", "ArrowDown", "ArrowDown", "Enter"]:
            page.keyboard.press(key)
            keys += 1
        clicks += wait_saved(page, card)
    keyboard_seconds = time.monotonic() - started

    started = time.monotonic()
    for session in moved[5:]:
        card = f"card-{session.pk}"
        clear_status(page)
        page.locator(f"#{card} .board-card-face").scroll_into_view_if_needed()
        face = page.locator(f"#{card} .board-card-face").bounding_box()
        target = page.locator(".board-stage").nth(2).bounding_box()
        page.mouse.move(face["x"] + 10, face["y"] + 10)
        page.mouse.down()
        page.mouse.move(target["x"] + 20, face["y"] + 10 + 6 * 16, steps=5)  # 6 rows: 30 min
        page.mouse.up()
        clicks += 1
        clicks += wait_saved(page, card)
    drag_seconds = time.monotonic() - started
    screenshot("board-after-moves", widths=(1280,))

    first = Session.objects.get(pk=moved[0].pk)
    assert (first.start - moved[0].start).total_seconds() == 15 * 60
    assert first.stage.position == moved[0].stage.position + 1
    dragged = Session.objects.get(pk=moved[5].pk)
    assert dragged.stage.name == "Central Room"
    assert (dragged.start - moved[5].start).total_seconds() == 30 * 60
    page.goto(dragged.get_absolute_url())
    assert "Central Room" in page.inner_text("main")
    print(
        f"\nboard task: 5 keyboard moves in {keyboard_seconds:.1f} s with {keys} keys, "
        f"5 drags in {drag_seconds:.1f} s; {clicks} clicks in all (drags and confirmations)"
    )


def test_board_without_javascript_moves_a_session_with_a_plain_form(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    sign_in(page, demo)
    session = talks(demo, 1)[0]

    page.click(f"#card-{session.pk} .board-card-face")
    page.fill("#id_start", "2026-04-07T19:00")
    page.fill("#id_end", "2026-04-07T19:30")
    page.select_option("#id_stage", label="Lobby")
    page.click("#board-editor button.default")

    assert "now runs Tue 07 Apr 19:00–19:30 on Lobby" in page.inner_text(".messagelist")
    assert Session.objects.get(pk=session.pk).stage.name == "Lobby"
    context.close()


def test_board_has_no_axe_violation(page, demo, screenshot):
    sign_in(page, demo)

    results = Axe().run(page)

    screenshot("board", widths=(1280, 375))
    assert results.violations_count == 0, results.generate_report()
