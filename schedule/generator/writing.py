"""The generated conference written to the database, row by row in bulk.

Each function still draws from the shared random.Random, so the order they are called
in is part of what makes a seed give the same conference.
"""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.text import slugify

from conference import timezones
from conference.models import Conference, SessionType, Stage, Track
from conference.slugs import UniqueSlugs
from schedule.generator.planning import is_pause, plan_seats
from schedule.generator.texts import draw_profile, draw_session_texts, draw_speaker_names
from schedule.generator.words import SESSION_TYPES, STAGE_NAMES, TRACKS
from schedule.models import Session, SessionSpeaker
from speakers.models import Speaker


def create_conference(slug, name, zone, days, session_count, stage_count, seed):
    city = city_of(zone)
    american = zone.key.startswith("America/")
    conference = Conference(
        slug=slug,
        name=name or f"{city} Tech Summit {days[0].year}",
        timezone=zone.key,
        start_date=days[0],
        end_date=days[-1],
        venue=f"{city} Convention {'Center' if american else 'Centre'}",
        city=city,
        registration_url=f"https://example.com/{slug}/register/",
        description=(
            f"{len(days)} days, {stage_count} stages and {session_count} sessions of synthetic "
            f"content, generated from seed {seed}."
        ),
        locale="en-US" if american else "en-GB",
    )
    try:
        conference.full_clean()
    except ValidationError as error:
        raise CommandError("; ".join(error.messages)) from error
    conference.save()
    return conference


def city_of(zone):
    """'New York' for America/New_York; zones that name no city get a made-up one."""
    area, _slash, place = zone.key.rpartition("/")
    if not area or area == "Etc":
        return "Lisbon"
    return place.replace("_", " ")


def create_stages(rng, conference, stage_count):
    names = ["Main Hall", *STAGE_NAMES]
    names += [f"Room {100 + number}" for number in range(1, stage_count - len(names) + 1)]
    slugs = UniqueSlugs(max_length=100)
    stages = [
        Stage(
            conference=conference,
            name=name,
            slug=slugs.make(name, fallback="stage"),
            position=position,
            capacity=rng.randrange(800, 1600, 50) if position == 0 else rng.randrange(40, 400, 10),
        )
        for position, name in enumerate(names[:stage_count])
    ]
    return Stage.objects.bulk_create(stages)


def create_tracks(conference):
    tracks = [
        Track(conference=conference, name=name, slug=slugify(name), colour=colour)
        for name, colour in TRACKS.items()
    ]
    return Track.objects.bulk_create(tracks)


def create_session_types(conference):
    session_types = [
        SessionType(
            conference=conference,
            name=name,
            slug=slugify(name),
            colour=colour,
            spans_all_stages=spans_all_stages,
        )
        for name, (colour, spans_all_stages) in SESSION_TYPES.items()
    ]
    return {kind.name: kind for kind in SessionType.objects.bulk_create(session_types)}


def create_speakers(rng, conference, speaker_count):
    slugs = UniqueSlugs(max_length=200)
    speakers = []
    for name in draw_speaker_names(rng, speaker_count):
        role, company, bio = draw_profile(rng, name)
        speakers.append(
            Speaker(
                conference=conference,
                name=name,
                slug=slugs.make(name, fallback="speaker"),
                role=role,
                company=company,
                bio=bio,
            )
        )
    return Speaker.objects.bulk_create(speakers, batch_size=1000)


def create_sessions(rng, conference, slots, zone, stages, tracks, session_types, uuids):
    texts = draw_session_texts(rng, slots)
    slugs = UniqueSlugs(max_length=200)
    stage_tracks = {(slot.day, slot.stage): rng.choice(tracks) for slot in slots}
    talks = [index for index, slot in enumerate(slots) if not is_pause(slot)]
    cancelled = set(rng.sample(talks, round(len(talks) * 0.01)))
    seat_limited = set(rng.sample(talks, round(len(talks) * 0.03)))
    sessions = []
    for index, (slot, (title, abstract)) in enumerate(zip(slots, texts, strict=True)):
        stage = stages[slot.stage]
        sessions.append(
            Session(
                conference=conference,
                title=title,
                slug=slugs.make(title, fallback="session"),
                abstract=abstract,
                start=local_instant(slot.day, slot.start, zone),
                end=local_instant(slot.day, slot.end, zone),
                stage=stage,
                track=draw_track(rng, slot, stage_tracks, tracks),
                session_type=session_types[slot.type_name],
                status=Session.Status.CANCELLED if index in cancelled else Session.Status.CONFIRMED,
                seat_limit=(
                    min(stage.capacity, rng.choice((20, 24, 30, 40, 60)))
                    if index in seat_limited
                    else None
                ),
                uuid=uuid.UUID(int=uuids.getrandbits(128), version=4),
            )
        )
    return Session.objects.bulk_create(sessions, batch_size=1000)


def draw_track(rng, slot, stage_tracks, tracks):
    """Mostly the track the stage hosts that day; none for pauses and keynotes."""
    if is_pause(slot) or slot.type_name == "Keynote":
        return None
    if rng.random() < 0.8:
        return stage_tracks[slot.day, slot.stage]
    return rng.choice(tracks)


def local_instant(day, minute, zone):
    naive = dt.datetime.combine(day, dt.time(minute // 60, minute % 60))
    try:
        return timezones.to_utc(naive, zone)
    except timezones.LocalTimeError as error:
        raise CommandError(str(error)) from error


def create_speaker_links(rng, sessions, slots, speakers):
    talks = [session for session, slot in zip(sessions, slots, strict=True) if not is_pause(slot)]
    talk_slots = [slot for slot in slots if not is_pause(slot)]
    links = [
        SessionSpeaker(session=talks[index], speaker=speakers[speaker], position=position)
        for index, seated in plan_seats(rng, talk_slots, len(speakers))
        for position, speaker in enumerate(seated)
    ]
    SessionSpeaker.objects.bulk_create(links, batch_size=1000)
