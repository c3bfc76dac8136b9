"""The made-up words a generated conference is written in.

Names, places and titles mix accents, CJK and emoji on purpose, so that every page is
seen with the text real conferences bring.
"""

from typing import NamedTuple


class Kind(NamedTuple):
    """A session type's colour, and whether it is drawn across every stage (pauses)."""

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
