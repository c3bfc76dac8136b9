"""The schedule board at /admin/board/<conference>/: cards, moves by plain form and HTMX,
conflicts, the tray, undo, permissions and the query count."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendees.models import AgendaEntry
from schedule.models import Session
from tests.attendees.conftest import make_attendee
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory
from tests.public.test_day import text

pytestmark = pytest.mark.django_db

PARIS_10 = dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)  # 10:00 in Paris
MINUTES = dt.timedelta(minutes=1)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def conference():
    return ConferenceFactory(name="Paris Conf")


@pytest.fixture
def stages(conference):
    return (
        StageFactory(conference=conference, name="Main", capacity=120),
        StageFactory(conference=conference, name="Side", capacity=40),
    )


@pytest.fixture
def organiser(client):
    user = User.objects.create_user("organiser", "o@example.org", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="change_session", content_type__app_label="schedule")
    )
    client.force_login(user)
    return user


def talk(conference, stage, start, minutes=30, **kwargs):
    return SessionFactory(
        conference=conference, stage=stage, start=start, end=start + minutes * MINUTES, **kwargs
    )


def board_url(conference, day="2026-04-07"):
    return f"/admin/board/{conference.slug}/?day={day}"


def move(client, session, start, end, stage, *, version=0, confirm=False, htmx=False, **extra):
    data = {
        "day": "2026-04-07",
        "version": version,
        "start": start,
        "end": end,
        "stage": stage.pk if stage else "",
        **({"confirm": "on"} if confirm else {}),
        **extra,
    }
    url = f"/admin/board/{session.conference.slug}/move/{session.pk}/"
    return client.post(url, data, **(HTMX if htmx else {}))


def test_staff_without_the_permission_to_change_sessions_is_refused(client, conference):
    client.force_login(User.objects.create_user("helper", "h@example.org", is_staff=True))

    assert client.get(board_url(conference)).status_code == 403


def test_anyone_signed_out_is_sent_to_the_admin_login(client, conference):
    response = client.get(board_url(conference))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_each_card_shows_its_time_and_interest_against_the_room(
    client, organiser, conference, stages
):
    main, _side = stages
    session = talk(conference, main, PARIS_10, title="Popular")
    for n in range(3):
        AgendaEntry.objects.create(
            user=make_attendee(conference, f"p{n}@example.org"), session=session
        )

    page = text(client.get(board_url(conference)))

    assert "Popular 10:00–10:30 Main 3 interested · room holds 120" in page


def test_the_board_reads_the_same_number_of_queries_for_3_or_30_sessions(
    client, organiser, conference, stages
):
    main, side = stages

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(board_url(conference)).status_code == 200
        return len(captured)

    ada = SpeakerFactory(conference=conference)
    for n in range(3):
        talk(conference, main, PARIS_10 + n * 30 * MINUTES, speakers=[ada])
    talk(conference, None, PARIS_10, in_tray=True)
    few = queries()
    for n in range(27):  # and 27 more in the tray
        talk(conference, [main, side][n % 2], PARIS_10 + n * 20 * MINUTES, speakers=[ada])
        talk(conference, None, PARIS_10, in_tray=True)
    assert queries() == few


def test_a_plain_form_move_saves_and_returns_to_the_board_of_its_day(
    client, organiser, conference, stages
):
    main, side = stages
    session = talk(conference, main, PARIS_10, title="Moving")

    response = move(client, session, "2026-04-08T14:00", "2026-04-08T14:45", side)

    assert response.status_code == 302
    assert (
        response["Location"] == f"/admin/board/{conference.slug}/?day=2026-04-08#card-{session.pk}"
    )
    session.refresh_from_db()
    assert (session.start, session.end, session.stage) == (
        dt.datetime(2026, 4, 8, 12, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 4, 8, 12, 45, tzinfo=dt.UTC),
        side,
    )
    assert "“Moving” now runs Wed 08 Apr 14:00–14:45 on Side." in text(
        client.get(response["Location"])
    )


def test_an_htmx_move_returns_the_moved_card_and_the_announcement(
    client, organiser, conference, stages
):
    main, side = stages
    session = talk(conference, main, PARIS_10, title="Moving")

    response = move(client, session, "2026-04-07T11:05", "2026-04-07T11:35", side, htmx=True)

    html = response.content.decode()
    assert re.search(rf'<form id="card-{session.pk}" class="board-card r\d+ s6 c3"', html)
    assert 'id="board-status"' in html and 'hx-swap-oob="true"' in html
    assert "“Moving” now runs Tue 07 Apr 11:05–11:35 on Side." in text(response)
    assert Session.objects.get(pk=session.pk).stage == side


def test_a_move_into_the_hour_the_clocks_skip_is_refused(client, organiser, stages):
    conference = ConferenceFactory(start_date=dt.date(2026, 3, 29), end_date=dt.date(2026, 3, 29))
    stage = StageFactory(conference=conference)
    session = talk(conference, stage, dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC))

    response = move(client, session, "2026-03-29T02:30", "2026-03-29T03:00", stage)

    assert response.status_code == 200
    assert (
        "2026-03-29 02:30 does not exist in Europe/Paris: the clocks skip it for daylight "
        "saving time." in text(response)
    )
    assert Session.objects.get(pk=session.pk).start == dt.datetime(2026, 3, 29, 8, 0, tzinfo=dt.UTC)


def test_a_move_onto_a_busy_stage_asks_first_and_moves_anyway_when_confirmed(
    client, organiser, conference, stages
):
    main, side = stages
    keynote = talk(conference, main, PARIS_10, title="Keynote")
    moving = talk(conference, side, PARIS_10, title="Tutorial")

    asked = move(client, moving, "2026-04-07T10:00", "2026-04-07T10:30", main, htmx=True)

    assert "are on Main at once." in text(asked)
    assert 'name="confirm" value="on"' in asked.content.decode()
    assert Session.objects.get(pk=moving.pk).stage == side

    confirmed = move(
        client, moving, "2026-04-07T10:00", "2026-04-07T10:30", main, confirm=True, htmx=True
    )

    html = confirmed.content.decode()
    assert Session.objects.get(pk=moving.pk).stage == main
    # The other card of the clash is updated too, and the side panel lists it.
    assert re.search(rf'<form id="card-{keynote.pk}" class="[^"]*has-conflict', html)
    assert "1 conflict this day" in text(confirmed)


def test_a_card_older_than_the_last_save_is_refused_with_what_changed(
    client, organiser, conference, stages
):
    main, side = stages
    session = talk(conference, main, PARIS_10, title="Contested")
    session.stage = side
    session.save()

    response = move(
        client,
        session,
        "2026-04-07T12:00",
        "2026-04-07T12:30",
        main,
        version=0,
        htmx=True,
        shown_start="2026-04-07T10:00",
        shown_end="2026-04-07T10:30",
        shown_stage=main.pk,
    )

    assert (
        "Someone else saved “Contested” after your board showed it; your move is not saved: "
        "its stage is now Side." in text(response)
    )
    assert Session.objects.get(pk=session.pk).start == PARIS_10


def test_undo_puts_the_last_moves_back_one_at_a_time(client, organiser, conference, stages):
    main, side = stages
    session = talk(conference, main, PARIS_10, title="Moving")
    move(client, session, "2026-04-07T11:00", "2026-04-07T11:30", side)
    move(client, session, "2026-04-07T12:00", "2026-04-07T12:30", main, version=1)

    client.post(f"/admin/board/{conference.slug}/undo/", {"day": "2026-04-07"})
    session.refresh_from_db()
    assert (session.start, session.stage) == (PARIS_10 + 60 * MINUTES, side)

    client.post(f"/admin/board/{conference.slug}/undo/", {"day": "2026-04-07"})
    session.refresh_from_db()
    assert (session.start, session.stage) == (PARIS_10, main)


def test_a_session_from_the_tray_is_placed_and_reaches_the_public_schedule(
    client, organiser, conference, stages
):
    main, _side = stages
    waiting = talk(conference, None, PARIS_10, minutes=40, title="Waiting", in_tray=True)
    assert "Waiting 40 min" in text(client.get(board_url(conference)))
    public = f"/{conference.slug}/schedule/2026-04-07/"
    assert "Waiting" not in text(client.get(public))

    move(client, waiting, "2026-04-07T15:00", "2026-04-07T15:40", main)

    assert "15:00" in text(client.get(public)) and "Waiting" in text(client.get(public))
