"""Moves and conflicts as the schedule board makes them (schedule.moves, schedule.conflicts)."""

import datetime as dt

import pytest
from django.test import override_settings

from conference.models import Conference
from schedule.conflicts import find_conflicts
from schedule.models import Session
from schedule.moves import ConflictsNeedConfirmation, Position, StaleMove, move_session
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory

pytestmark = pytest.mark.django_db

PARIS_10 = dt.datetime(2026, 4, 7, 8, 0, tzinfo=dt.UTC)  # 10:00 in Paris (CEST)
MINUTES = dt.timedelta(minutes=1)


@pytest.fixture
def conference():
    return ConferenceFactory()


@pytest.fixture
def stages(conference):
    return StageFactory(conference=conference, name="Main"), StageFactory(
        conference=conference, name="Side"
    )


def talk(conference, stage, start, minutes=30, **kwargs):
    return SessionFactory(
        conference=conference, stage=stage, start=start, end=start + minutes * MINUTES, **kwargs
    )


def conflicts_of_day(conference):
    sessions = Session.objects.for_conference(conference).for_planning()
    return find_conflicts(list(sessions), conference.zone)


def test_a_move_changes_time_and_stage_and_counts_as_an_edit(conference, stages):
    main, side = stages
    session = talk(conference, main, PARIS_10)

    move = move_session(
        session, PARIS_10 + 60 * MINUTES, PARIS_10 + 90 * MINUTES, side, expected_edit_version=0
    )

    session.refresh_from_db()
    assert (session.start, session.end, session.stage) == (
        PARIS_10 + 60 * MINUTES,
        PARIS_10 + 90 * MINUTES,
        side,
    )
    assert session.edit_version == 1
    assert session.revision == 1
    assert move.previous == Position(PARIS_10, PARIS_10 + 30 * MINUTES, main.pk, False)


def test_a_move_from_a_board_older_than_the_last_save_is_refused_with_what_changed(
    conference, stages
):
    main, side = stages
    session = talk(conference, main, PARIS_10)
    shown = Position.of(session)
    session.stage = side
    session.save()  # someone else, in the admin

    with pytest.raises(StaleMove) as refused:
        move_session(
            session,
            PARIS_10 + 60 * MINUTES,
            PARIS_10 + 90 * MINUTES,
            main,
            expected_edit_version=0,
            shown=shown,
        )

    assert "its stage is now Side" in refused.value.message
    session.refresh_from_db()
    assert (session.start, session.stage) == (PARIS_10, side)


def test_a_move_onto_a_busy_stage_waits_for_confirmation_then_saves(conference, stages):
    main, side = stages
    talk(conference, main, PARIS_10, title="Keynote")
    moving = talk(conference, side, PARIS_10, title="Tutorial")

    with pytest.raises(ConflictsNeedConfirmation) as asked:
        move_session(moving, PARIS_10, PARIS_10 + 30 * MINUTES, main, expected_edit_version=0)
    assert [c.kind for c in asked.value.conflicts] == ["stage"]
    assert Session.objects.get(pk=moving.pk).stage == side

    move_session(
        moving,
        PARIS_10,
        PARIS_10 + 30 * MINUTES,
        main,
        expected_edit_version=0,
        confirm_conflicts=True,
    )

    assert Session.objects.get(pk=moving.pk).stage == main
    assert [c.message for c in conflicts_of_day(conference)[moving.pk]] == [
        "“Keynote” (10:00–10:30) and “Tutorial” (10:00–10:30) are on Main at once."
    ]


def test_a_speaker_in_two_sessions_at_once_is_flagged_on_both(conference, stages):
    main, side = stages
    ada = SpeakerFactory(conference=conference, name="Ada Lovelace")
    first = talk(conference, main, PARIS_10, title="Engines", speakers=[ada])
    second = talk(conference, side, PARIS_10 + 15 * MINUTES, title="Looms", speakers=[ada])

    found = conflicts_of_day(conference)

    expected = [
        "Ada Lovelace is in two places at once: “Engines” (10:00–10:30) and “Looms” (10:15–10:45)."
    ]
    assert [c.message for c in found[first.pk]] == expected
    assert [c.message for c in found[second.pk]] == expected


@override_settings(BOARD_WALK_MINUTES=10)
def test_a_speaker_without_the_walking_time_between_stages_is_flagged_but_not_on_one_stage(
    conference, stages
):
    main, side = stages
    ada = SpeakerFactory(conference=conference, name="Ada Lovelace")
    talk(conference, main, PARIS_10, title="Engines", speakers=[ada])
    looms = talk(conference, side, PARIS_10 + 35 * MINUTES, title="Looms", speakers=[ada])
    talk(conference, main, PARIS_10 + 30 * MINUTES, title="Q&A", speakers=[ada])

    found = conflicts_of_day(conference)

    assert [c.message for c in found[looms.pk]] == [
        "Ada Lovelace has 5 min to walk from “Engines” to “Looms” on another stage; 10 needed.",
        "Ada Lovelace is in two places at once: “Q&A” (10:30–11:00) and “Looms” (10:35–11:05).",
    ]


def test_a_session_outside_its_stages_opening_hours_is_flagged(conference, stages):
    main, _side = stages
    main.opens_at, main.closes_at = dt.time(9), dt.time(18)
    main.save()
    early = talk(conference, main, PARIS_10 - 90 * MINUTES, title="Breakfast")  # 08:30
    talk(conference, main, PARIS_10, title="Keynote")

    found = conflicts_of_day(conference)

    assert list(found) == [early.pk]
    assert found[early.pk][0].message == (
        "“Breakfast” (08:30–09:00) is outside Main's opening hours, 09:00–18:00."
    )


def test_a_session_across_the_clocks_going_forward_is_flagged():
    conference = Conference.objects.get(pk=ConferenceFactory(start_date=dt.date(2026, 3, 28)).pk)
    night = talk(
        conference,
        StageFactory(conference=conference),
        dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC),  # 01:30 CET, ends 03:30 CEST
        minutes=60,
        title="Night owls",
    )

    found = conflicts_of_day(conference)

    assert [c.message for c in found[night.pk]] == [
        "“Night owls” crosses a daylight-saving change: the clock shows 120 min, it lasts 60 min."
    ]


def test_a_session_in_the_tray_is_out_of_the_public_schedule_until_it_is_placed(conference, stages):
    main, _side = stages
    waiting = talk(conference, main, PARIS_10, in_tray=True)
    assert not Session.objects.filter(pk=waiting.pk).exists()

    move_session(waiting, PARIS_10, PARIS_10 + 45 * MINUTES, main, expected_edit_version=0)

    assert Session.objects.get(pk=waiting.pk).duration == 45 * MINUTES
