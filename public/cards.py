"""A session's card as a PNG, 1200 × 630 (the size chat apps and social sites preview): its
title, local time in the conference's timezone, stage and speakers. Drawn with Pillow in a
font Debian ships (DejaVu), found at run time; PIL's own font when there is none."""

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from django.utils.dateformat import format as format_date
from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
MARGIN = 72
INK, MUTED, PAPER, ACCENT = "#111827", "#374151", "#ffffff", "#1d4ed8"
FONT_DIRECTORIES = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),  # Fedora, Alpine
    Path("/usr/local/share/fonts"),
)
FONT_FILES = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
# (size, lines): a title too long for three lines of the large size gets four of the smaller.
TITLE_SIZES = ((64, 3), (52, 4))


@lru_cache(maxsize=32)
def font(weight, size):
    for directory in FONT_DIRECTORIES:
        path = directory / FONT_FILES[weight]
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def wrap(text, face, width, max_lines):
    """Lines of at most `width` pixels; the last one cut with an ellipsis when text is left."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if face.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit(lines[-1] + "…", face, width)
    return [fit(line, face, width) for line in lines]


def fit(text, face, width):
    """The text, cut with an ellipsis until it fits `width` (a single word longer than a line)."""
    if face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def card_details(session):
    """The lines under the title: local day and times with the zone, stage, speakers."""
    conference = session.conference
    clock = conference.clock
    day = format_date(clock.local(session.start), "l j F Y")
    when = f"{day} · {clock.range(session.start, session.end)} {clock.abbreviation(session.start)}"
    speakers = ", ".join(link.speaker.name for link in session.speaker_links.all())
    return [line for line in (when, session.stage.name if session.stage else "", speakers) if line]


def card_fingerprint(session):
    """What the card shows, hashed: its address changes with the card, not with every other
    session's change (so a session page's bytes, which name it, stay the same too)."""
    colour = session.track.colour if session.track else ACCENT
    shown = [session.conference.name, session.title, colour, *card_details(session)]
    return hashlib.sha256("\x1f".join(shown).encode()).hexdigest()[:12]


def session_card_png(session):
    """The card of a session as PNG bytes, its times on the conference's own clock."""
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    colour = session.track.colour if session.track else ACCENT
    draw.rectangle((0, 0, 24, SIZE[1]), fill=colour)
    width = SIZE[0] - 2 * MARGIN

    name_face = font("bold", 34)
    draw.text(
        (MARGIN, MARGIN - 16),
        fit(session.conference.name, name_face, width),
        font=name_face,
        fill=MUTED,
    )
    y = MARGIN + 54
    for size, max_lines in TITLE_SIZES:
        title_face = font("bold", size)
        if len(wrap(session.title, title_face, width, max_lines + 1)) <= max_lines:
            break
    for line in wrap(session.title, title_face, width, max_lines):
        draw.text((MARGIN, y), line, font=title_face, fill=INK)
        y += int(size * 1.2)

    details = card_details(session)
    face = font("regular", 38)
    y = SIZE[1] - MARGIN - 50 * len(details)
    for text in details:
        draw.text((MARGIN, y), fit(text, face, width), font=face, fill=INK)
        y += 50

    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()
