"""Feeds and exports as pollers see them: a date that moves with every change, and
schedule.ics filtered like the schedule page."""

import datetime as dt
import re

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import http_date

from attendees.agenda import Agenda
from attendees.models import AgendaEntry, AgendaFeed, Reservation
from schedule.ics import session_uid
from schedule.models import Session
from tests.schedule.test_admin import session_form

pytestmark = pytest.mark.django_db

CONF = "/pytorch-conference-europe-2026"
# Three tenths into a second, so that "the same second" has room on both sides.
START = dt.datetime(2026, 3, 20, 9, 0, 0, 300000, tzinfo=dt.UTC)


@pytest.fixture
def clock(time_machine):
    """Time that moves only when a test says so."""
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def ada(demo_conference):
    user = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    AgendaEntry.objects.create(user=user, session=titled(demo_conference, "Gemma 4"))
    return user


@pytest.fixture
def ada_feed_url(ada, demo_conference):
    feed = AgendaFeed.objects.create(user=ada, conference=demo_conference)
    return reverse("attendees:feed", kwargs={"conference": CONF[1:], "token": feed.token})


def titled(conference, words):
    return Session.objects.get(conference=conference, title__contains=words)


def summaries(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def uids(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]) for event in calendar.walk("VEVENT")}


def calname(response):
    return str(icalendar.Calendar.from_ical(response.content)["X-WR-CALNAME"])


def dated(client, url, clock):
    """The document as a poller holds it: written, then fetched once its date can be told."""
    client.get(url)
    clock.shift(2)
    response = client.get(url)
    assert response.status_code == 200
    return response


def at(second):
    return http_date((START + dt.timedelta(seconds=second)).replace(microsecond=0).timestamp())


# --- Last-Modified moves with everything the ETag covers ------------------------------------


def test_agenda_feed_answers_200_to_the_old_date_after_a_session_is_added(
    client, ada, ada_feed_url, demo_conference, clock
):
    before = dated(client, ada_feed_url, clock)
    added = titled(demo_conference, "Monarch")
    clock.shift(60)
    Agenda.for_user(ada, demo_conference).add(added)
    clock.shift(2)

    after = client.get(ada_feed_url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert before["Last-Modified"] == at(1)
    assert after.status_code == 200
    assert added.title in summaries(after)
    assert not after.has_header("Last-Modified")  # written by this request: dated from the next


def test_agenda_feed_answers_200_to_the_old_date_after_a_session_is_removed(
    client, ada, ada_feed_url, demo_conference, clock
):
    # The newest session in it is then older than before: a date taken from sessions goes back.
    kept = titled(demo_conference, "Monarch")
    Agenda.for_user(ada, demo_conference).add(kept)
    before = dated(client, ada_feed_url, clock)
    clock.shift(60)
    Agenda.for_user(ada, demo_conference).remove(titled(demo_conference, "Gemma 4"))
    clock.shift(2)

    after = client.get(ada_feed_url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert after.status_code == 200
    assert summaries(after) == {kept.title}


def test_agenda_feed_answers_304_to_its_own_date_when_nothing_changed(client, ada_feed_url, clock):
    before = dated(client, ada_feed_url, clock)
    clock.shift(3600)

    after = client.get(ada_feed_url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert after.status_code == 304
    assert after.content == b""
    assert after["Last-Modified"] == before["Last-Modified"]
    assert after["ETag"] == before["ETag"]


def test_a_feed_is_not_dated_in_the_second_it_was_written(client, ada_feed_url, clock):
    first = client.get(ada_feed_url)
    clock.shift(0.6)
    same_second = client.get(ada_feed_url)
    clock.shift(0.2)
    next_second = client.get(ada_feed_url)

    assert not first.has_header("Last-Modified")
    assert not same_second.has_header("Last-Modified")
    assert next_second["Last-Modified"] == at(1)
    assert first["ETag"] == same_second["ETag"] == next_second["ETag"]


def test_an_agenda_changed_in_the_second_of_the_last_build_still_gets_a_later_date(
    client, ada, ada_feed_url, demo_conference, clock
):
    client.get(ada_feed_url)  # written at .3
    added = titled(demo_conference, "Monarch")
    clock.shift(0.2)
    Agenda.for_user(ada, demo_conference).add(added)  # at .5, the same second
    clock.shift(0.2)
    client.get(ada_feed_url)  # written again at .7
    clock.shift(1)

    # A client holding the date of that second, whatever it got, gets the new agenda.
    after = client.get(ada_feed_url, headers={"If-Modified-Since": at(0)})

    assert after.status_code == 200
    assert added.title in summaries(after)
    assert after["Last-Modified"] == at(1)


def test_a_process_without_the_cached_copy_never_answers_304_to_an_older_date(
    client, ada, ada_feed_url, demo_conference, clock
):
    before = dated(client, ada_feed_url, clock)
    added = titled(demo_conference, "Monarch")
    Agenda.for_user(ada, demo_conference).add(added)  # in the second `before` was served in
    cache.clear()  # another worker, its own local-memory cache (or Redis away)

    after = client.get(ada_feed_url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert after.status_code == 200
    assert added.title in summaries(after)


def test_a_reserved_seat_moves_the_date_too(client, ada, ada_feed_url, demo_conference, clock):
    gemma = titled(demo_conference, "Gemma 4")
    before = dated(client, ada_feed_url, clock)
    clock.shift(60)
    Reservation.objects.create(session=gemma, user=ada)
    clock.shift(2)

    after = client.get(ada_feed_url, headers={"If-Modified-Since": before["Last-Modified"]})

    assert after.status_code == 200
    assert b"You have a reserved seat." in after.content.replace(b"\r\n ", b"")


EXPORTS = ["schedule.xml", "schedule.json", "schedule.csv", "schedule.ics"]


@pytest.mark.parametrize(
    "path", [*EXPORTS, "schedule.ics?track=compilers-kernels&track=inference-serving"]
)
def test_export_answers_200_to_the_old_date_after_an_admin_edit_and_304_after(
    client, admin_client, demo_conference, clock, path
):
    url = f"{CONF}/{path}"
    session = titled(demo_conference, "Your First Triton Kernel")
    before = dated(client, url, clock)
    clock.shift(60)
    start, end = (
        moment.astimezone(demo_conference.zone) for moment in (session.start, session.end)
    )
    edited = admin_client.post(
        reverse("admin:schedule_session_change", args=[session.pk]),
        session_form(
            demo_conference,
            session.stage,
            day=start.date().isoformat(),
            start=start.strftime("%H:%M"),
            end=end.strftime("%H:%M"),
            title="Your Second Triton Kernel",
            slug=session.slug,
            track=session.track_id or "",
            session_type=session.session_type_id or "",
        ),
    )
    assert edited.status_code == 302
    clock.shift(2)

    after = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    clock.shift(60)
    later = client.get(url, headers={"If-Modified-Since": before["Last-Modified"]})
    again = client.get(url, headers={"If-Modified-Since": later["Last-Modified"]})

    assert after.status_code == 200
    assert "Your Second Triton Kernel" in after.content.decode()
    assert later.status_code == 200
    assert later["Last-Modified"] == at(65)
    assert again.status_code == 304


def test_if_none_match_wins_over_if_modified_since(client, ada_feed_url, clock):
    before = dated(client, ada_feed_url, clock)

    response = client.get(
        ada_feed_url,
        headers={"If-None-Match": '"something else"', "If-Modified-Since": before["Last-Modified"]},
    )

    assert response.status_code == 200


# --- schedule.ics with the schedule page's filters -------------------------------------------


def expected_uids(demo_conference, **lookups):
    sessions = Session.objects.filter(conference=demo_conference, **lookups)
    return {session_uid(session) for session in sessions}


def test_filtered_calendar_has_exactly_the_sessions_of_the_track(client, demo_conference):
    response = client.get(f"{CONF}/schedule.ics", {"track": "compilers-kernels"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    expected = expected_uids(demo_conference, track__slug="compilers-kernels")
    assert expected and uids(response) == expected
    assert calname(response) == "PyTorch Conference Europe 2026 · Compilers & Kernels"
    assert response["Cache-Control"] == "public, max-age=300"


def test_filters_combine_as_on_the_schedule_page(client, demo_conference):
    response = client.get(
        f"{CONF}/schedule.ics",
        {"track": ["inference-serving", "compilers-kernels"], "type": "breakout"},
    )

    expected = expected_uids(
        demo_conference,
        track__slug__in=["inference-serving", "compilers-kernels"],
        session_type__slug="breakout",
    )
    assert expected and uids(response) == expected
    assert calname(response) == (
        "PyTorch Conference Europe 2026 · Compilers & Kernels, Inference & Serving, Breakout"
    )


def test_filtered_calendar_searches_like_the_schedule_page(client, demo_conference):
    response = client.get(f"{CONF}/schedule.ics", {"q": "GEMMA"})

    assert uids(response) == {session_uid(titled(demo_conference, "Gemma 4"))}
    assert calname(response) == "PyTorch Conference Europe 2026 · “GEMMA”"


def test_filtered_calendar_by_speaker(client, demo_conference):
    gemma = titled(demo_conference, "Gemma 4")
    speaker = gemma.speakers.first()

    response = client.get(f"{CONF}/schedule.ics", {"speaker": speaker.slug})

    assert uids(response) == expected_uids(demo_conference, speaker_links__speaker=speaker)
    assert calname(response) == f"PyTorch Conference Europe 2026 · {speaker.name}"


def test_same_filters_in_another_order_are_the_same_calendar(client, demo_conference):
    first = client.get(f"{CONF}/schedule.ics?track=compilers-kernels&type=breakout")
    second = client.get(
        f"{CONF}/schedule.ics?type=breakout&track=compilers-kernels&track=compilers-kernels"
    )
    other = client.get(f"{CONF}/schedule.ics?track=compilers-kernels")

    assert first["ETag"] == second["ETag"] != other["ETag"]
    assert first.content == second.content


def test_unfiltered_calendar_is_the_whole_schedule_as_before(client, demo_conference):
    plain = client.get(f"{CONF}/schedule.ics")
    with_page_only_params = client.get(f"{CONF}/schedule.ics?tz=Asia/Tokyo&layout=list&mine=1")

    assert uids(plain) == expected_uids(demo_conference)
    assert calname(plain) == "PyTorch Conference Europe 2026"
    assert with_page_only_params.content == plain.content


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("track=no-such-track", 404, "This conference has no track “no-such-track”."),
        ("speaker=nobody", 404, "This conference has no speaker “nobody”."),
        ("q=" + "x" * 201, 400, "The search text is too long"),
        ("&".join(["stage=s"] * 51), 400, "Too many values for “stage”."),
    ],
)
def test_bad_filter_answers_like_the_schedule_page(client, demo_conference, query, status, message):
    feed = client.get(f"{CONF}/schedule.ics?{query}")
    page = client.get(f"{CONF}/schedule/?{query}")

    assert feed.status_code == page.status_code == status
    assert message in feed.content.decode()


def test_filter_other_exports_ignore(client, demo_conference):
    assert client.get(f"{CONF}/schedule.json?track=nope").status_code == 200


def test_filtered_calendar_from_the_cache_reads_no_session(
    client, demo_conference, django_assert_num_queries
):
    url = f"{CONF}/schedule.ics?track=compilers-kernels"
    client.get(url)

    with django_assert_num_queries(0):  # the shared copy, keyed by the schedule's generation
        response = client.get(url)

    assert response.status_code == 200


def test_filtered_calendar_follows_the_schedule(client, demo_conference):
    url = f"{CONF}/schedule.ics?track=compilers-kernels"
    before = client.get(url)
    moved = titled(demo_conference, "Gemma 4")
    moved.track = demo_conference.tracks.get(slug="compilers-kernels")
    moved.save()

    after = client.get(url, headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert uids(after) == uids(before) | {session_uid(moved)}


# --- The schedule page offers the subscription -----------------------------------------------


def subscribe_links(response):
    html = response.content.decode()
    return re.findall(r'<a class="button[^"]*" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_filtered_schedule_page_offers_a_subscription_with_the_same_filters(
    client, demo_conference
):
    response = client.get(
        f"{CONF}/schedule/", {"track": "compilers-kernels", "type": "breakout", "layout": "list"}
    )

    count = Session.objects.filter(
        conference=demo_conference, track__slug="compilers-kernels", session_type__slug="breakout"
    ).count()
    query = "track=compilers-kernels&amp;type=breakout"
    assert subscribe_links(response) == [
        (
            f"http://testserver{CONF}/schedule.ics?{query}",
            f"Subscribe to these {count} sessions",
        ),
        (f"webcal://testserver{CONF}/schedule.ics?{query}", "Open in your calendar app (webcal)"),
    ]
    html = response.content.decode()
    assert "<title>QR code of the calendar address of these sessions</title>" in html
    assert "style=" not in html
    assert "Scan with your phone's camera to subscribe to these sessions there." in html


def test_subscription_link_opens_the_calendar_it_counts(client, demo_conference):
    page = client.get(f"{CONF}/schedule/", {"q": "gemma"})
    (https, label), _webcal = subscribe_links(page)

    feed = client.get(https.replace("http://testserver", "").replace("&amp;", "&"))

    assert label == "Subscribe to this session"
    assert uids(feed) == {session_uid(titled(demo_conference, "Gemma 4"))}


def test_unfiltered_schedule_page_offers_no_subscription(client, demo_conference):
    response = client.get(f"{CONF}/schedule/", {"layout": "list"})

    assert subscribe_links(response) == []
    assert f'href="{CONF}/schedule.ics"' in response.content.decode()


def test_htmx_filter_swap_brings_its_subscription(client, demo_conference):
    response = client.get(
        f"{CONF}/schedule/",
        {"track": "compilers-kernels"},
        headers={"HX-Request": "true", "HX-Target": "schedule-results"},
    )

    assert [url for url, _label in subscribe_links(response)] == [
        f"http://testserver{CONF}/schedule.ics?track=compilers-kernels",
        f"webcal://testserver{CONF}/schedule.ics?track=compilers-kernels",
    ]


def test_only_my_agenda_offers_no_public_subscription(client, demo_conference):
    response = client.get(f"{CONF}/schedule/", {"track": "compilers-kernels", "mine": "1"})

    assert subscribe_links(response) == []
