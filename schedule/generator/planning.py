"""Where, when and with whom each generated session takes place, without the database.

Times are minutes after local midnight of a day: the plan never sees a timezone, so a
conference over a clock change is planned like any other and only converted when written.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from schedule.generator.words import SESSION_TYPES

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


@dataclass(frozen=True)
class Slot:
    """Where and when one session takes place, in local minutes of its day."""

    day: dt.date
    stage: int
    start: int
    end: int
    type_name: str
    title: str = ""


def check_sizes(session_count, stage_count, day_count, speaker_count):
    """Refuse sizes no plan can meet, before anything is written."""
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


def is_pause(slot):
    return SESSION_TYPES[slot.type_name].spans_all_stages


def plan_seats(rng, talk_slots, speaker_count):
    """Seat every speaker at least once if the seats allow, then regulars on several talks.

    Gives (talk index, speaker indexes in seat order) for each talk, in the order seated.
    """
    seat_counts = draw_seat_counts(rng, talk_slots, speaker_count)
    unseated = rng.sample(range(speaker_count), speaker_count)
    regulars = unseated[: max(1, speaker_count // 15)]
    busy = [[] for _speaker in range(speaker_count)]
    seating = []
    # In a drawn order, so that the talks seated from the unseated are spread over the days.
    for index in rng.sample(range(len(talk_slots)), len(talk_slots)):
        slot = talk_slots[index]
        seated = []
        for _seat in range(seat_counts[index]):
            speaker = (
                unseated.pop()
                if unseated
                else draw_free_speaker(rng, regulars, speaker_count, busy, seated, slot)
            )
            if speaker is None:
                continue
            seated.append(speaker)
            busy[speaker].append(slot)
        seating.append((index, seated))
    return seating


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
