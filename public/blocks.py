"""A big day in time blocks, and where now falls on it.

A day of a few dozen sessions is one page. A day of hundreds is cut, at the start of a slot,
into blocks of about BLOCK_SESSIONS sessions: the page shows one block and links to the next
(loaded as it scrolls into view with JavaScript, a plain link without), so what a phone
receives first does not grow with the conference.

The "now" marks move every minute while the day runs; the day is not rendered again for
them. Each rendering carries a DayTimes, a table as long as the day has distinct start times
(at most one per five minutes), from which the marks are filled in per request.
"""

import datetime as dt
from dataclasses import dataclass

from public.grid import STEP, grid_span

BLOCK_SESSIONS = 40
# Up to this many sessions (a conference's usual day, a filtered big day) a day is one page.
WHOLE_DAY_SESSIONS = 120


@dataclass(frozen=True)
class Block:
    key: str  # the local time of its first start, "HHMM": its ?from= and its id
    start: dt.datetime
    end: dt.datetime | None  # the next block's start; None for the last

    def holds(self, instant):
        return self.start <= instant and (self.end is None or instant < self.end)


def split_day(starts, clock):
    """The blocks of a day whose sessions start at `starts` (in order, one per session)."""
    if not starts:
        return []
    if len(starts) <= WHOLE_DAY_SESSIONS:
        return [Block(_key(starts[0], clock), starts[0], None)]
    firsts, count = [starts[0]], 0
    for index, start in enumerate(starts):
        if count >= BLOCK_SESSIONS and start != starts[index - 1]:
            firsts.append(start)
            count = 0
        count += 1
    keys = []
    for first in firsts:
        key = _key(first, clock)
        keys.append(key if key not in keys else f"{key}b")  # an hour that a DST change repeats
    ends = [*firsts[1:], None]
    return [Block(key, first, end) for key, first, end in zip(keys, firsts, ends, strict=True)]


def _key(instant, clock):
    return clock.local(instant).strftime("%H%M")


def block_from(blocks, requested):
    """The block that ?from=HHMM asks for: the one that holds that local time, so an old link
    still lands near its time after the schedule changed; the first one otherwise."""
    chosen = blocks[0] if blocks else None
    if requested:
        for block in blocks:
            if block.key[:4] <= requested:
                chosen = block
    return chosen


@dataclass(frozen=True)
class DayTimes:
    """What the now marks of a day need: its slots (start, the last end of a talk starting
    then or None, the block), and in the grid each block's stretch of the now line
    (from, until, the block grid's first row, the block)."""

    slots: tuple
    lines: tuple = ()


def day_times(sessions, blocks, clock, grid=False):
    """The DayTimes of a day's sessions (in start order), cut into `blocks`: one pass."""
    slots, drawn, index = {}, [[] for _block in blocks], 0
    for session in sessions:
        while blocks[index].end is not None and session.start >= blocks[index].end:
            index += 1
        end = None if session.is_open_all_day else session.end
        if end is not None:
            drawn[index].append(session)
        previous = slots.get(session.start, (None, None, None))[1]
        slots[session.start] = (
            session.start,
            max(filter(None, (previous, end)), default=None),
            blocks[index].key,
        )
    lines = []
    for index, block in enumerate(blocks if grid else ()):
        if drawn[index]:
            first, last = drawn[index][0].start, max(session.end for session in drawn[index])
            origin, rows = grid_span(first, last, clock)
            grid_end = origin + rows * STEP
            until = min(grid_end, block.end) if block.end else grid_end
            lines.append((origin if index == 0 else block.start, until, origin, block.key))
    return DayTimes(slots=tuple(slots.values()), lines=tuple(lines))


@dataclass(frozen=True)
class DayMoment:
    """Where the day shown stands now: the sessions running, the start of the next ones, and
    where "Jump to now" goes (in the list, the first talk running, not registration open since
    morning, else the next ones; in the grid, the line at now) and in which block."""

    now: dt.datetime
    next_start: dt.datetime | None
    jump_start: dt.datetime | None
    jump_block: str | None

    def is_now(self, start, end):
        return start <= self.now < end

    def is_next(self, start):
        return start == self.next_start


def day_moment(times, now, grid=False):
    """The moment on a day that runs now."""
    next_start = min((start for start, _end, _block in times.slots if start > now), default=None)
    if grid:
        line = next((line for line in times.lines if line[0] <= now < line[1]), None)
        return DayMoment(now, next_start, line and line[0], line and line[3])
    running = [(start, block) for start, end, block in times.slots if end and start <= now < end]
    if running:
        jump = min(running)
    else:
        jump = next(((s, b) for s, _e, b in times.slots if s == next_start), (None, None))
    return DayMoment(now, next_start, jump[0], jump[1])
