"""Generate a synthetic conference of any size, for load tests, demos and screenshots.

The same arguments always give the same conference: every choice comes from one
random.Random(seed), sessions are planned in local wall-clock minutes, and only
schedule.timezones turns those into instants.
"""

import datetime as dt
import random
import time
import uuid
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from conference.models import Conference, SessionType, Stage, Track
from schedule import timezones
from schedule.models import Session, SessionSpeaker
from speakers.models import Speaker

DEFAULT_START_DATE = "2026-06-02"

# Times of day are minutes after local midnight.
DAY_START = 8 * 60
DAY_END = 19 * 60


@dataclass(frozen=True)
class Pause:
    type_name: str
    title: str
    start: int
    end: int


# Drawn across every stage, at the same time each day.
PAUSES = (
    Pause("Break", "Morning coffee break", 10 * 60 + 30, 11 * 60),
    Pause("Lunch", "Lunch", 12 * 60 + 30, 13 * 60 + 30),
    Pause("Break", "Afternoon coffee break", 15 * 60 + 30, 16 * 60),
)

# The stretches of a stage's day between the pauses: (start, end).
BLOCKS = tuple(
    zip(
        (DAY_START, *(pause.end for pause in PAUSES)),
        (*(pause.start for pause in PAUSES), DAY_END),
        strict=True,
    )
)

SESSION_LENGTHS = (10, 25, 40, 55, 90)
LENGTH_WEIGHTS = (2, 4, 5, 2, 1)
KEYNOTE_LENGTH = 55
LONGEST_CHANGEOVER = 15


class Kind(NamedTuple):
    colour: str
    spans_all_stages: bool = False


# Colours are dark enough for white text (contrast 4.5:1 or more).
SESSION_TYPES = {
    "Keynote": Kind("#9a3412"),
    "Talk": Kind("#1d4ed8"),
    "Lightning Talk": Kind("#6d28d9"),
    "Workshop": Kind("#047857"),
    "Panel": Kind("#a21caf"),
    "Break": Kind("#4b5563", spans_all_stages=True),
    "Lunch": Kind("#374151", spans_all_stages=True),
}
TRACKS = {
    "Web & Frontend": "#1e40af",
    "Data & Machine Learning": "#7e22ce",
    "Infrastructure & Cloud": "#0f766e",
    "Security & Privacy": "#b91c1c",
    "Languages & Runtimes": "#92400e",
    "Community & Careers": "#be185d",
}

STAGE_NAMES = (
    "Hall A",
    "Hall B",
    "Zürich Room",
    "Ångström Auditorium",
    "Salle Érable",
    "Kyōto Room",
    "Lovelace Theatre",
    "Hopper Room",
    "Sala São Paulo",
    "Nordlys Lounge",
    "Workshop Lab 1",
    "Workshop Lab 2",
)
FIRST_NAMES = (
    "Ada", "Aiko", "Amara", "André", "Ángel", "Anja", "Bartłomiej", "Beatriz", "Björn",
    "Carmen", "Chidi", "Chloé", "Dagný", "Dmitri", "Élodie", "Emeka", "Esra", "Fatima",
    "Felipe", "François", "Freya", "Gökhan", "Hana", "Hyun-woo", "Inès", "Ingrid",
    "Jae-won", "Jesús", "Jiří", "Johanna", "José", "Kalani", "Kenji", "Lars", "Leilani",
    "Lucía", "Łukasz", "Maëlle", "Magnus", "Malik", "Marta", "Mei", "Miguel", "Nadia",
    "Naledi", "Noémie", "Olusegun", "Oskar", "Priya", "Rafael", "Ravi", "Renée", "Rosa",
    "Sakura", "Samuel", "Siobhán", "Søren", "Tomás", "Valentina", "Wei", "Yasmin", "Zoë",
    "Zoltán",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Andersson", "Ångström", "Bakker", "Banerjee", "Bianchi", "Brennan", "Castro",
    "Çelik", "Chen", "Costa", "Dąbrowski", "Dvořák", "Eriksen", "Fernández", "Fischer",
    "García", "Gonçalves", "Haddad", "Hansen", "Horváth", "Ibáñez", "Ivanova", "Jensen",
    "Kahananui", "Kim", "Kowalczyk", "Lefèvre", "Lindqvist", "López", "Mahlangu", "Moreau",
    "Müller", "Nakamura", "Nguyễn", "Novák", "Núñez", "O'Connor", "Okafor", "Ólafsdóttir",
    "Park", "Patel", "Petrović", "Quispe", "Rossi", "Sánchez", "Schäfer", "Silva", "Singh",
    "Søndergaard", "Suzuki", "Tanaka", "Traoré", "van den Berg", "Virtanen", "Wójcik",
    "Öztürk", "Zhang", "Žukauskas",
)  # fmt: skip
CJK_NAMES = ("山田 花子", "佐藤 健", "王 芳", "李 伟", "김 민준", "박 서연", "陈 静", "鈴木 一郎")
EMOJI = ("🚀", "🐍", "🦀", "✨", "🌱", "🔥")
ROLES = (
    "Software Engineer", "Senior Software Engineer", "Staff Engineer", "Principal Engineer",
    "Engineering Manager", "CTO", "Founder", "Developer Advocate", "Research Scientist",
    "Data Scientist", "Site Reliability Engineer", "Security Researcher", "Product Designer",
    "PhD Student", "Professor of Computer Science", "Open Source Maintainer",
    "Freelance Consultant", "Head of Platform",
)  # fmt: skip
COMPANIES = (
    "Ångström Labs", "Zürich Data AG", "Nordlys Systems", "Kyōto Robotics 株式会社",
    "Café Quantum", "Fjord Analytics", "São Paulo Fintech", "Bluebird Health", "Lambda Works",
    "Oxbow Cloud", "Tessellate", "Riverbank University", "Université du Lac",
    "Technische Hochschule Nordheim", "Mosaic Games", "Helios Energy",
    "Kraków Software House", "Greenfield Logistics", "Polar Bear Security", "Tidepool Bio",
    "Independent",
)  # fmt: skip
TOPICS = (
    "type hints", "async I/O", "WebAssembly", "feature flags", "event sourcing",
    "observability", "zero-downtime deploys", "accessibility", "time zones",
    "database migrations", "vector search", "static site generation",
    "supply-chain security", "load testing", "GraphQL", "HTMX", "Rust extensions",
    "property-based testing", "edge caching", "on-call culture", "design systems",
    "data pipelines", "large language models", "privacy by design", "offline-first apps",
    "CRDTs", "Kubernetes operators", "PostgreSQL indexing", "i18n and l10n",
    "energy-efficient software", "分散システム", "Unicode normalisation",
)  # fmt: skip
TECHNOLOGIES = (
    "Python", "Django", "PostgreSQL", "Rust", "Go", "TypeScript", "Kotlin", "Elixir",
    "SQLite", "Redis", "Kafka", "Terraform", "WebGPU", "DuckDB",
)  # fmt: skip
PLACES = (
    "Zürich", "São Paulo", "Kraków", "Reykjavík", "Malmö", "Besançon", "東京", "서울",
    "Montréal", "Nairobi", "Düsseldorf", "Ålesund",
)  # fmt: skip
TITLE_PATTERNS = (
    "{Topic} with {tech}",
    "Lessons from ten years of {topic}",
    "What running {tech} in {place} taught us about {topic}",
    "{Topic} in production: the good, the bad and the ugly",
    "A gentle introduction to {topic}",
    "Why {topic} is harder than it looks",
    "Scaling {topic} from one server to a thousand",
    "{tech} and {topic}: a love story",
    "Beyond the hype: {topic} for the rest of us",
    "How a team in {place} ships {topic} every day",
    "Testing {topic} without tears",
    "The hidden cost of {topic}",
    "From zero to {topic} in forty minutes",
    "{Topic} at the edge of what {tech} can do",
)
# Each makes "title: subtitle" longer than 150 characters.
LONG_SUBTITLES = (
    "what we learned migrating forty services, three databases and one very stubborn batch "
    "job without a single minute of planned downtime",
    "a practical, opinionated and occasionally embarrassing field guide for teams who "
    "inherited a decade of decisions that they did not make themselves",
    "how a small team in Zürich rebuilt its release process around Ångström-precise "
    "measurements, honest dashboards and a great deal of coffee",
    "everything the documentation forgot to mention, from the first prototype on a laptop "
    "to the third incident review at four in the morning",
)
ABSTRACT_SENTENCES = (
    "This talk walks through {topic} as it works in real projects, not in slides.",
    "We start with a small {tech} example and grow it until it breaks.",
    "You will leave with a checklist you can apply on Monday morning.",
    "Expect live demos, a few failures and honest numbers.",
    "No prior knowledge of {topic} is needed; curiosity is.",
    "We compare three approaches to {topic} and measure what each one costs.",
    "The second half is a case study from a team in {place}.",
    "Bring questions: the last ten minutes are for them.",
    "Along the way we look at the {tech} internals that make it possible.",
    "Slides, code and a recording will be online after the conference.",
)
BIO_SENTENCES = (
    "{first} has been writing {tech} since before it was cool.",
    "Before that, {first} spent six years building payment systems in {place}.",
    "{first} maintains several open-source libraries about {topic}.",
    "In their spare time they bake sourdough, climb, and argue about tabs versus spaces.",
    "{first} co-organises the {place} {tech} meetup and mentors first-time speakers.",
    "Their work on {topic} has been featured in several talks and one very long blog post.",
    "{first} holds a PhD in distributed systems and still thinks about consensus at night.",
    "They live in {place} with two cats and far too many mechanical keyboards.",
    "{first} believes good documentation is a form of kindness.",
    "Ask them about {topic}, but make sure you have an hour.",
    "{first} has given talks on four continents and once on a ferry.",
    "When not at a keyboard, {first} is probably hiking somewhere without mobile coverage.",
)


@dataclass(frozen=True)
class Slot:
    """Where and when one session takes place, in local minutes of its day."""

    day: dt.date
    stage: int
    start: int
    end: int
    type_name: str
    title: str = ""


class Command(BaseCommand):
    help = (
        "Create a deterministic synthetic conference: the same arguments always give the "
        "same stages, speakers and sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Slug of the new conference.")
        parser.add_argument("--sessions", type=int, default=200, help="Number of sessions.")
        parser.add_argument("--stages", type=int, default=5, help="Number of stages.")
        parser.add_argument("--days", type=int, default=2, help="Number of days.")
        parser.add_argument("--speakers", type=int, default=150, help="Number of speakers.")
        parser.add_argument("--timezone", default="Europe/Zurich", help="IANA timezone.")
        parser.add_argument("--seed", type=int, default=0, help="Seed for every choice.")
        parser.add_argument(
            "--start-date", default=DEFAULT_START_DATE, help="First day, as YYYY-MM-DD."
        )
        parser.add_argument("--name", default="", help="Name; made up from the city if empty.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete a conference with this slug first."
        )

    def handle(self, *args, **options):
        began = time.perf_counter()
        conference = generate_conference(
            slug=options["slug"],
            name=options["name"],
            session_count=options["sessions"],
            stage_count=options["stages"],
            day_count=options["days"],
            speaker_count=options["speakers"],
            timezone_name=options["timezone"],
            seed=options["seed"],
            start_date=parse_start_date(options["start_date"]),
            replace=options["replace"],
        )
        if options["verbosity"] >= 1:
            summary = _(
                "Created %(sessions)d sessions, %(speakers)d speakers and %(stages)d stages "
                "for “%(conference)s” in %(seconds).1f s."
            ) % {
                "sessions": options["sessions"],
                "speakers": options["speakers"],
                "stages": options["stages"],
                "conference": conference.slug,
                "seconds": time.perf_counter() - began,
            }
            self.stdout.write(self.style.SUCCESS(summary))


def parse_start_date(value):
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--start-date needs a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from error


@transaction.atomic
def generate_conference(
    *,
    slug,
    name,
    session_count,
    stage_count,
    day_count,
    speaker_count,
    timezone_name,
    seed,
    start_date,
    replace,
):
    """Create the conference, its stages, tracks, types, speakers and sessions."""
    check_sizes(session_count, stage_count, day_count, speaker_count)
    zone = get_zone(timezone_name)
    if Conference.objects.filter(slug=slug).exists():
        if not replace:
            raise CommandError(
                _("A conference with the slug “%(slug)s” exists; add --replace to replace it.")
                % {"slug": slug}
            )
        Conference.objects.filter(slug=slug).delete()

    rng = random.Random(seed)
    days = timezones.date_range(start_date, start_date + dt.timedelta(days=day_count - 1))
    conference = create_conference(slug, name, zone, days, session_count, stage_count, seed)
    stages = create_stages(rng, conference, stage_count)
    tracks = create_tracks(conference)
    session_types = create_session_types(conference)
    speakers = create_speakers(rng, conference, speaker_count)
    slots = plan_slots(rng, days, stage_count, session_count)
    # Session UUIDs are unique across conferences, so they also depend on the slug:
    # two conferences from one seed can then live side by side.
    uuids = random.Random(f"{slug}/{seed}")
    sessions = create_sessions(rng, conference, slots, zone, stages, tracks, session_types, uuids)
    create_speaker_links(rng, sessions, slots, speakers)
    return conference


def check_sizes(session_count, stage_count, day_count, speaker_count):
    if stage_count < 1 or day_count < 1 or speaker_count < 0:
        raise CommandError(_("--stages and --days must be at least 1 and --speakers at least 0."))
    pauses = len(PAUSES) * day_count
    if session_count < pauses:
        raise CommandError(
            _("--sessions must be at least %(pauses)d, to hold the breaks and lunch of each day.")
            % {"pauses": pauses}
        )
    most = pauses + most_sessions_on_a_stage_day() * stage_count * day_count
    if session_count > most:
        raise CommandError(
            _(
                "%(sessions)d sessions do not fit in %(days)d days on %(stages)d stages: at most "
                "%(most)d do, with %(shortest)d-minute talks back to back. Add days or stages, "
                "or ask for fewer sessions."
            )
            % {
                "sessions": session_count,
                "days": day_count,
                "stages": stage_count,
                "most": most,
                "shortest": SESSION_LENGTHS[0],
            }
        )


def most_sessions_on_a_stage_day():
    return sum((end - start) // SESSION_LENGTHS[0] for start, end in BLOCKS)


def get_zone(timezone_name):
    try:
        return timezones.get_zone(timezone_name)
    except timezones.UnknownTimezone as error:
        raise CommandError(str(error)) from error


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
    names = names[:stage_count]
    slugs = unique_slugs(names, fallback="stage", max_length=100)
    stages = [
        Stage(
            conference=conference,
            name=name,
            slug=slug,
            position=position,
            capacity=rng.randrange(800, 1600, 50) if position == 0 else rng.randrange(40, 400, 10),
        )
        for position, (name, slug) in enumerate(zip(names, slugs, strict=True))
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
    names = draw_distinct([partial(draw_speaker_name, rng)] * speaker_count)
    slugs = unique_slugs(names, fallback="speaker", max_length=200)
    speakers = []
    for name, slug in zip(names, slugs, strict=True):
        role = rng.choice(ROLES) if rng.random() < 0.9 else ""
        company = rng.choice(COMPANIES) if rng.random() < 0.9 else ""
        speakers.append(
            Speaker(
                conference=conference,
                name=name,
                slug=slug,
                role=role,
                company=company,
                bio=draw_bio(rng, name, role, company),
            )
        )
    return Speaker.objects.bulk_create(speakers, batch_size=1000)


def draw_speaker_name(rng):
    if rng.random() < 0.04:
        return rng.choice(CJK_NAMES)
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if rng.random() < 0.01:
        name += f" {rng.choice(EMOJI)}"
    return name


def draw_bio(rng, name, role, company):
    """No bio, one line, or a long story of up to ten sentences (some over 400 characters)."""
    sentence_count = rng.choice((0, 1, 2, 2, 3, 3, 4, 5, 7, 9))
    if not sentence_count:
        return ""
    first = name.split()[0]
    words = {
        "first": first,
        "tech": rng.choice(TECHNOLOGIES),
        "topic": rng.choice(TOPICS),
        "place": rng.choice(PLACES),
    }
    sentences = [line.format(**words) for line in rng.sample(BIO_SENTENCES, sentence_count)]
    if role and company:
        sentences.insert(0, f"{first} works at {company} as {role}.")
    return " ".join(sentences)


def plan_slots(rng, days, stage_count, session_count):
    """Where and when every session goes: the pauses first, the rest spread over the stages."""
    pauses = [
        Slot(day, 0, pause.start, pause.end, pause.type_name, pause.title)
        for day in days
        for pause in PAUSES
    ]
    stage_days = [(day, stage) for day in days for stage in range(stage_count)]
    counts = split_evenly(rng, session_count - len(pauses), len(stage_days))
    talks = [
        slot
        for (day, stage), count in zip(stage_days, counts, strict=True)
        for slot in plan_stage_day(rng, day, stage, count)
    ]
    return sorted(pauses + talks, key=lambda slot: (slot.day, slot.start, slot.stage))


def split_evenly(rng, total, parts):
    """total as parts counts that differ by at most one; which parts get one more is drawn."""
    base, extra = divmod(total, parts)
    fuller = set(rng.sample(range(parts), extra))
    return [base + (part in fuller) for part in range(parts)]


def plan_stage_day(rng, day, stage, count):
    """count sessions on one stage on one day, fitted into the blocks between the pauses."""
    slots = []
    for (block_start, block_end), block_count in zip(BLOCKS, share_by_length(count), strict=True):
        lengths = rng.choices(SESSION_LENGTHS, weights=LENGTH_WEIGHTS, k=block_count)
        # The day opens with a keynote on the main stage.
        opens_day = stage == 0 and block_start == DAY_START and block_count > 0
        if opens_day:
            lengths[0] = KEYNOTE_LENGTH
        lengths = fit_lengths(lengths, block_end - block_start, keynote_first=opens_day)
        for position, (start, end) in enumerate(place_in_block(lengths, block_start, block_end)):
            is_keynote = opens_day and position == 0
            type_name = "Keynote" if is_keynote else type_for_length(rng, end - start)
            slots.append(Slot(day, stage, start, end, type_name))
    return slots


def share_by_length(count):
    """count sessions over the blocks in proportion to their minutes, never more than fit."""
    minutes = [end - start for start, end in BLOCKS]
    shares = [count * length // sum(minutes) for length in minutes]
    room = [
        length // SESSION_LENGTHS[0] - share for length, share in zip(minutes, shares, strict=True)
    ]
    for _left in range(count - sum(shares)):
        roomiest = max(range(len(BLOCKS)), key=room.__getitem__)
        shares[roomiest] += 1
        room[roomiest] -= 1
    return shares


def fit_lengths(lengths, minutes, *, keynote_first=False):
    """Shorten the longest sessions one step at a time until all fit in the minutes.

    A keynote keeps its length until every other session is as short as it gets.
    """
    lengths = list(lengths)
    others = range(1 if keynote_first else 0, len(lengths))
    while sum(lengths) > minutes:
        longest = max(others, key=lengths.__getitem__, default=0)
        if lengths[longest] == SESSION_LENGTHS[0]:
            longest = max(range(len(lengths)), key=lengths.__getitem__)
        lengths[longest] = SESSION_LENGTHS[SESSION_LENGTHS.index(lengths[longest]) - 1]
    return lengths


def place_in_block(lengths, block_start, block_end):
    """(start, end) of sessions one after another, spare time spread as changeovers."""
    if not lengths:
        return []
    spare = block_end - block_start - sum(lengths)
    changeover = min(LONGEST_CHANGEOVER, spare // len(lengths) // 5 * 5)
    placed, start = [], block_start
    for length in lengths:
        placed.append((start, start + length))
        start += length + changeover
    return placed


def type_for_length(rng, minutes):
    if minutes == 10:
        return "Lightning Talk"
    if minutes == 90:
        return "Workshop"
    if minutes == 55:
        return rng.choice(("Panel", "Talk"))
    return "Talk"


def create_sessions(rng, conference, slots, zone, stages, tracks, session_types, uuids):
    texts = draw_distinct(
        [partial(session_text, rng, slot) for slot in slots],
        # Pauses repeat by design; only talk titles are kept apart.
        key=lambda text: text[0] if text[1] else None,
    )
    slugs = unique_slugs([title for title, _abstract in texts], fallback="session", max_length=200)
    stage_tracks = {(slot.day, slot.stage): rng.choice(tracks) for slot in slots}
    talks = [index for index, slot in enumerate(slots) if not is_pause(slot)]
    cancelled = set(rng.sample(talks, round(len(talks) * 0.01)))
    seat_limited = set(rng.sample(talks, round(len(talks) * 0.03)))
    sessions = []
    for index, (slot, (title, abstract), slug) in enumerate(zip(slots, texts, slugs, strict=True)):
        stage = stages[slot.stage]
        sessions.append(
            Session(
                conference=conference,
                title=title,
                slug=slug,
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


def is_pause(slot):
    return SESSION_TYPES[slot.type_name].spans_all_stages


def session_text(rng, slot):
    """(title, abstract) of a session, both about one drawn topic."""
    if is_pause(slot):
        return slot.title, ""
    words = {
        "topic": rng.choice(TOPICS),
        "tech": rng.choice(TECHNOLOGIES),
        "place": rng.choice(PLACES),
    }
    words["Topic"] = words["topic"][0].upper() + words["topic"][1:]
    title = rng.choice(TITLE_PATTERNS).format(**words)
    if rng.random() < 0.05:
        title = f"{title}: {rng.choice(LONG_SUBTITLES)}"
    if rng.random() < 0.03:
        title = f"{title} {rng.choice(EMOJI)}"
    if slot.type_name in ("Keynote", "Panel", "Workshop"):
        title = f"{slot.type_name}: {title}"
    sentences = rng.sample(ABSTRACT_SENTENCES, rng.randint(2, 6))
    abstract = " ".join(sentence.format(**words) for sentence in sentences)
    return title, abstract


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
    """Seat every speaker at least once if the seats allow, then regulars on several sessions."""
    talks = [
        (session, slot) for session, slot in zip(sessions, slots, strict=True) if not is_pause(slot)
    ]
    seat_counts = draw_seat_counts(rng, [slot for _session, slot in talks], len(speakers))
    unseated = rng.sample(range(len(speakers)), len(speakers))
    regulars = unseated[: max(1, len(speakers) // 15)]
    busy = [[] for _speaker in speakers]
    links = []
    # In a drawn order, so that the sessions seated from the unseated are spread over the days.
    for index in rng.sample(range(len(talks)), len(talks)):
        session, slot = talks[index]
        seated = []
        for _seat in range(seat_counts[index]):
            speaker = (
                unseated.pop()
                if unseated
                else draw_free_speaker(rng, regulars, len(speakers), busy, seated, slot)
            )
            if speaker is None:
                continue
            seated.append(speaker)
            busy[speaker].append(slot)
        links += [
            SessionSpeaker(session=session, speaker=speakers[speaker], position=position)
            for position, speaker in enumerate(seated)
        ]
    SessionSpeaker.objects.bulk_create(links, batch_size=1000)


def draw_seat_counts(rng, slots, speaker_count):
    """Speakers per session by type, raised where needed so that everyone gets a seat."""
    counts = [min(seats_for(rng, slot.type_name), speaker_count) for slot in slots]
    missing = speaker_count - sum(counts)
    # Raise the counts round by round, up to four a session, in a drawn order.
    order = rng.sample(range(len(slots)), len(slots))
    for most in range(2, min(4, speaker_count) + 1):
        for index in order:
            if missing <= 0:
                return counts
            if counts[index] < most:
                counts[index] += 1
                missing -= 1
    return counts


def seats_for(rng, type_name):
    if type_name == "Panel":
        return rng.randint(3, 4)
    if type_name == "Workshop":
        return rng.randint(1, 2)
    if type_name == "Talk":
        return rng.choices((1, 2, 3), weights=(80, 15, 5))[0]
    return 1


def draw_free_speaker(rng, regulars, speaker_count, busy, seated, slot, attempts=10):
    """A speaker, often a regular, who is not on this session or elsewhere at its time."""
    for _attempt in range(attempts):
        speaker = rng.choice(regulars) if rng.random() < 0.6 else rng.randrange(speaker_count)
        if speaker not in seated and not any(overlaps(slot, other) for other in busy[speaker]):
            return speaker
    return None


def overlaps(slot, other):
    return slot.day == other.day and slot.start < other.end and other.start < slot.end


def draw_distinct(draws, key=lambda value: value, attempts=10):
    """The value of each draw, redrawing a repeat a few times before accepting it.

    Values whose key is None may repeat freely.
    """
    seen, drawn = set(), []
    for draw in draws:
        for _attempt in range(attempts):
            value = draw()
            if key(value) is None or key(value) not in seen:
                break
        seen.add(key(value))
        drawn.append(value)
    return drawn


def unique_slugs(texts, *, fallback, max_length):
    """ASCII slugs of texts in order, -2, -3 … added to repeats, none over max_length."""
    taken, last_number, slugs = set(), {}, []
    for text in texts:
        # Room for a suffix such as "-12345".
        base = slugify(text)[: max_length - 6].strip("-") or fallback
        slug, number = base, last_number.get(base, 1)
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        last_number[base] = number
        taken.add(slug)
        slugs.append(slug)
    return slugs
