"""Speaker names, bios, session titles and abstracts, drawn from the words."""

from functools import partial

from schedule.generator.planning import is_pause
from schedule.generator.words import (
    ABSTRACT_SENTENCES,
    BIO_SENTENCES,
    CJK_NAMES,
    COMPANIES,
    EMOJI,
    FIRST_NAMES,
    LAST_NAMES,
    LONG_SUBTITLES,
    PLACES,
    ROLES,
    TECHNOLOGIES,
    TITLE_PATTERNS,
    TOPICS,
)


def draw_speaker_names(rng, count):
    return draw_distinct([partial(draw_speaker_name, rng)] * count)


def draw_speaker_name(rng):
    if rng.random() < 0.04:
        return rng.choice(CJK_NAMES)
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if rng.random() < 0.01:
        name += f" {rng.choice(EMOJI)}"
    return name


def draw_profile(rng, name):
    """(role, company, bio) of a speaker; a few have no role or company."""
    role = rng.choice(ROLES) if rng.random() < 0.9 else ""
    company = rng.choice(COMPANIES) if rng.random() < 0.9 else ""
    return role, company, draw_bio(rng, name, role, company)


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


def draw_session_texts(rng, slots):
    """(title, abstract) of each slot's session."""
    return draw_distinct(
        [partial(session_text, rng, slot) for slot in slots],
        # Pauses repeat by design; only talk titles are kept apart.
        key=lambda text: text[0] if text[1] else None,
    )


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
