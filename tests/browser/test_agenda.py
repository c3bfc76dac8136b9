"""A person signs up, confirms the address from the mail, builds an agenda with HTMX and
subscribes to it."""

import re

import pytest
from django.core import mail

from schedule.models import Session

pytestmark = pytest.mark.browser

DAY = "/pytorch-conference-europe-2026/schedule/2026-04-08/?layout=list"


def three_sessions_two_overlapping(conference):
    sessions = list(
        Session.objects.filter(conference=conference, status="confirmed", start__date="2026-04-08")
        .exclude(stage__slug="lobby")
        .exclude(session_type__spans_all_stages=True)
        .select_related("stage")
    )
    first, second = next(
        (a, b)
        for a in sessions
        for b in sessions
        if a.pk < b.pk and a.stage_id != b.stage_id and a.overlaps(b.start, b.end)
    )
    third = next(
        s
        for s in sessions
        if not s.overlaps(first.start, first.end) and not s.overlaps(second.start, second.end)
    )
    return first, second, third


def test_sign_up_confirm_build_an_agenda_and_subscribe(page, demo):
    page.goto("/accounts/signup/")
    page.fill("#id_email", "grace@example.org")
    page.fill("#id_password1", "a long enough passphrase 7")
    page.fill("#id_password2", "a long enough passphrase 7")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_load_state()

    confirmation = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)[0]
    page.goto(confirmation)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.locator(".site-header .account-name").inner_text() == "grace"

    first, second, third = three_sessions_two_overlapping(demo)
    page.goto(DAY)
    page.evaluate("window.__marker = 1")
    for session in (first, second, third):
        card = page.locator(".card", has=page.locator(".card-title", has_text=session.title))
        card.locator("button.if-out").click()
        card.locator("form.agenda-form.in-agenda").wait_for()
    assert page.evaluate("window.__marker") == 1  # swapped in place, no reload
    assert page.locator("#agenda-count").inner_text() == "3"

    page.goto("/pytorch-conference-europe-2026/agenda/")
    text = page.locator("main").inner_text()
    assert f"Overlaps with {second.title} on {second.stage.name}" in text
    assert f"Overlaps with {first.title} on {first.stage.name}" in text
    assert third.title in text

    feed_url = page.locator("#feed-url").input_value()
    feed = page.request.get(feed_url)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = re.findall(r"^SUMMARY:(.*)$", feed.text().replace("\r\n ", ""), flags=re.M)
    assert len(summaries) == 3
