"""The day grid: stages as columns, time down the side, each session as tall as it is long.

Rows are five-minute steps of real elapsed time from the first session of the day, so a
day with a DST change lays out 23 or 25 hours without drawing anything an hour off; the
labels down the side are the local wall-clock times of those instants. A row is at least
its five minutes tall and grows when a short session's box needs more, so nothing is clipped.

Sessions open for much of the day (registration, an expo) are not drawn as a column-long
box: they are listed above the grid, and the grid starts with the first session in it.

The placement classes (.r12, .s6, .c3, ...) are written to static/css/grid.css by
placement_css(), since a strict Content-Security-Policy forbids style= attributes.
"""

import datetime as dt
import sys
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path

STEP = dt.timedelta(minutes=5)
MAX_ROWS = 30 * 12  # 30 hours: a day plus sessions that run past local midnight
MAX_LANES = 4
MAX_STAGES = 40
HEADER_ROWS = 1
TIME_COLUMNS = 1
TIME_WIDTH_REM = 3.75
STAGE_WIDTH_REM = 10.5  # the narrowest a stage's column gets on a wide screen
# Four hours or more on one stage: a place to drop by (registration, an expo), not a talk.


@dataclass
class Placement:
    session: object
    row: int  # first grid row (1-based, after the header row)
    span: int  # rows covered
    column: int | None  # grid column of its stage; None spans every stage
    lane: int = 0
    lanes: int = 1
    clipped: bool = False


@dataclass
class Tick:
    row: int
    label: str
    is_hour: bool


@dataclass
class ScheduleGrid:
    columns: list  # [(grid column, stage or None for sessions without a stage)]
    rows: list = field(default_factory=list)  # [(start instant, [Placement, ...])] in time order
    ticks: list = field(default_factory=list)
    row_count: int = 0
    origin: object = None  # the instant of the first row
    all_day: list = field(default_factory=list)  # sessions listed above the grid, in start order

    @property
    def column_count(self):
        return len(self.columns)


def build_grid(sessions, clock, columns=None):
    """Lay out one day's sessions (already in start order) on a grid; None when there are none.

    columns: the stage columns, when the grid is one time block of a day whose blocks line up.
    """
    sessions = list(sessions)
    if not sessions:
        return None
    all_day = [session for session in sessions if session.is_open_all_day]
    sessions = [session for session in sessions if not session.is_open_all_day]
    if not sessions:
        return ScheduleGrid(columns=[], all_day=all_day)
    origin, row_count = grid_span(
        min(session.start for session in sessions), max(session.end for session in sessions), clock
    )

    columns = columns or stage_columns(sessions)
    column_of = {stage.pk if stage else None: number for number, stage in columns}
    placements = []
    for session in sessions:
        row = HEADER_ROWS + 1 + _steps_between(origin, session.start)
        end_row = HEADER_ROWS + 1 + min(row_count, _steps_between(origin, session.end, ceil=True))
        spans_all = session.spans_all_stages
        placements.append(
            Placement(
                session=session,
                row=row,
                span=max(1, end_row - row),
                column=None if spans_all else column_of[session.stage_id],
                clipped=_steps_between(origin, session.end, ceil=True) > row_count,
            )
        )
    _assign_lanes(placements)

    grid = ScheduleGrid(columns=columns, row_count=row_count, origin=origin, all_day=all_day)
    grid.rows = [
        (start, list(group))
        for start, group in groupby(placements, key=lambda placement: placement.session.start)
    ]
    grid.ticks = _ticks(origin, row_count, clock)
    return grid


def grid_span(first, last, clock):
    """The first row's instant (the half hour of local time before the first start) and the
    number of rows down to the last end."""
    local_first = clock.local(first)
    origin = first - dt.timedelta(minutes=local_first.minute % 30, seconds=local_first.second)
    return origin, min(MAX_ROWS, _steps_between(origin, last, ceil=True))


def now_row(origin, now):
    """The grid row on which the instant now begins."""
    return HEADER_ROWS + 1 + _steps_between(origin, now)


def _steps_between(origin, instant, ceil=False):
    steps, remainder = divmod(instant - origin, STEP)
    return steps + (1 if ceil and remainder else 0)


def stage_columns(sessions):
    """Stages with a session of their own that day, in display order, after the time column."""
    stages = {}
    for session in sessions:
        if not session.spans_all_stages:
            stages.setdefault(session.stage_id, session.stage)
    if not stages:
        stages = {session.stage_id: session.stage for session in sessions}
    ordered = sorted(
        stages.values(),
        key=lambda stage: (
            stage is None,
            stage.position if stage else 0,
            stage.name if stage else "",
        ),
    )
    return [(TIME_COLUMNS + index + 1, stage) for index, stage in enumerate(ordered)]


def _assign_lanes(placements):
    """Sessions that overlap on one stage share its column side by side, not on top."""
    by_column = {}
    for placement in placements:
        if placement.column is not None:
            by_column.setdefault(placement.column, []).append(placement)
    for column_placements in by_column.values():
        cluster, cluster_end, lane_ends = [], 0, []
        for placement in sorted(column_placements, key=lambda p: (p.row, -p.span)):
            if cluster and placement.row >= cluster_end:
                _close_cluster(cluster, len(lane_ends))
                cluster, cluster_end, lane_ends = [], 0, []
            lane = next((i for i, end in enumerate(lane_ends) if end <= placement.row), None)
            if lane is None:
                lane = len(lane_ends)
                lane_ends.append(0)
            lane_ends[lane] = placement.row + placement.span
            placement.lane = min(lane, MAX_LANES - 1)
            cluster.append(placement)
            cluster_end = max(cluster_end, placement.row + placement.span)
        if cluster:
            _close_cluster(cluster, len(lane_ends))


def _close_cluster(cluster, lane_count):
    for placement in cluster:
        placement.lanes = min(lane_count, MAX_LANES)


def _ticks(origin, row_count, clock):
    """A label every half hour of local time, on the row where that local time begins."""
    ticks = []
    for step in range(row_count):
        instant = origin + step * STEP
        local = clock.local(instant)
        if local.minute % 30 == 0:
            ticks.append(Tick(HEADER_ROWS + 1 + step, clock.time(instant), local.minute == 0))
    return ticks


def placement_css():
    """The generated part of grid.css: a class for each row, span, column, column count and
    lane that build_grid() can give. Stage widths are custom properties, set by media query in
    the hand-written part."""
    rows = HEADER_ROWS + MAX_ROWS + 1
    columns = TIME_COLUMNS + MAX_STAGES + 1
    lines = [f".r{n}{{grid-row-start:{n}}}" for n in range(1, rows + 1)]
    lines += [f".s{n}{{grid-row-end:span {n}}}" for n in range(1, rows + 1)]
    lines += [f".c{n}{{grid-column-start:{n}}}" for n in range(1, columns + 1)]
    lines.append(
        f".grid-frame{{--time-width:{TIME_WIDTH_REM}rem;"
        f"--stage-width:minmax({STAGE_WIDTH_REM}rem,1fr)}}"
    )
    lines += [
        f".grid.cols{n}{{grid-template-columns:var(--time-width) repeat({n},var(--stage-width))}}"
        for n in range(1, MAX_STAGES + 1)
    ]
    # Where every stage fits the page's width the grid scrolls with the page, headers sticky.
    lines += [
        f"@container grid-frame (min-width:{_fitting_width(n)}rem){{.stages{n} .grid-scroll"
        f"{{overflow:visible;max-height:none;border:0}}.stages{n} .stage-pager{{display:none}}}}"
        for n in range(1, MAX_STAGES + 1)
    ]
    lines += [
        f".lanes{lanes}.lane{lane}{{width:calc(100% / {lanes});margin-left:calc(100% * {lane} / {lanes})}}"
        for lanes in range(2, MAX_LANES + 1)
        for lane in range(lanes)
    ]
    return "\n".join([GENERATED_BEGIN, *lines, GENERATED_END]) + "\n"


def _fitting_width(stage_count):
    return round(TIME_WIDTH_REM + stage_count * STAGE_WIDTH_REM + 0.25, 2)


GRID_CSS = Path(__file__).resolve().parent / "static" / "css" / "grid.css"
GENERATED_BEGIN = (
    "/* Generated by public.grid.placement_css(): `python -m public.grid` rewrites it. */"
)
GENERATED_END = "/* End of the generated part; hand-written rules follow. */"


def write_placement_css(path=GRID_CSS):
    """Replace the generated part of grid.css, keeping the hand-written rules after it."""
    text = path.read_text()
    hand_written = text.split(GENERATED_END + "\n", 1)[1] if GENERATED_END in text else ""
    path.write_text(placement_css() + hand_written)


if __name__ == "__main__":
    write_placement_css(Path(sys.argv[1]) if len(sys.argv) > 1 else GRID_CSS)
