"""Every change to what a schedule shows moves its version, which keys every cached page."""

import datetime as dt

import pytest

from conference.models import Conference
from schedule.models import SessionSpeaker
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory

pytestmark = pytest.mark.django_db


def version(conference):
    return Conference.objects.get(pk=conference.pk).schedule_version


@pytest.mark.parametrize(
    "change",
    [
        lambda s: setattr(s, "title", "New title") or s.save(),
        lambda s: setattr(s, "abstract", "New words") or s.save(),
        lambda s: setattr(s, "start", s.start - dt.timedelta(hours=1)) or s.save(),
        lambda s: s.delete(),
        lambda s: setattr(s.stage, "name", "Renamed") or s.stage.save(),
        lambda s: SpeakerFactory(conference=s.conference),
        lambda s: SessionSpeaker.objects.create(
            session=s, speaker=SpeakerFactory(conference=s.conference)
        ),
        lambda s: setattr(s.conference, "name", "Renamed conference") or s.conference.save(),
    ],
    ids=["title", "abstract", "time", "delete", "stage", "speaker", "speaker link", "conference"],
)
def test_a_change_moves_the_schedule_version(change):
    session = SessionFactory()
    before = version(session.conference)

    change(session)

    assert version(session.conference) > before


def test_a_change_in_one_conference_leaves_another_alone():
    other = ConferenceFactory(name="Other")
    before = version(other)

    StageFactory(conference=ConferenceFactory(name="This one"))

    assert version(other) == before
