import datetime as dt

import factory
from django.utils.text import slugify

from conference.models import Conference, SessionType, Stage, Track
from schedule.models import Session, SessionSpeaker
from speakers.models import Speaker


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    timezone = "Europe/Paris"
    start_date = dt.date(2026, 4, 7)
    end_date = dt.date(2026, 4, 8)
    venue = "Station F"
    city = "Paris"
    locale = "fr-FR"


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    position = factory.Sequence(lambda n: n)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Track {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SessionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionType

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Type {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    conference = factory.SubFactory(ConferenceFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    role = "Engineer"
    company = "Example Labs"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    conference = factory.SubFactory(ConferenceFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.title))
    start = dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC)
    end = factory.LazyAttribute(lambda o: o.start + dt.timedelta(minutes=25))
    stage = factory.SubFactory(StageFactory, conference=factory.SelfAttribute("..conference"))

    @factory.post_generation
    def speakers(session, create, speakers, **kwargs):
        for position, speaker in enumerate(speakers or ()):
            SessionSpeaker.objects.create(session=session, speaker=speaker, position=position)
