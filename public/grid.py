"""The day grid: stages as columns, time down the side, each session as tall as it is long.

Rows are five-minute steps of real elapsed time from the first session of the day, so a
day with a DST change lays out 23 or 25 hours without drawing anything an hour off; the
labels down the side are the local wall-clock times of those instants.
"""

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

STEP = dt.timedelta(minutes=5)
MAX_ROWS = 30 * 12  # 30 hours: a day plus sessions that run past local midnight
MAX_LANES = 4
HEADER_ROWS = 1
TIME_COLUMNS = 1


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
    now_row: int | None = None

    @property
    def column_count(self):
        return len(self.columns)


def build_grid(sessions, clock, now=None):
    """Lay out one day's sessions (already in start order) on a grid; None when there are none."""
    sessions = list(sessions)
    if not sessions:
        return None
    first = min(session.start for session in sessions)
    local_first = clock.local(first)
    origin = first - dt.timedelta(minutes=local_first.minute % 30, seconds=local_first.second)
    last = max(session.end for session in sessions)
    row_count = min(MAX_ROWS, _steps_between(origin, last, ceil=True))

    columns = _stage_columns(sessions)
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

    grid = ScheduleGrid(columns=columns, row_count=row_count)
    grid.rows = [
        (start, list(group))
        for start, group in groupby(placements, key=lambda placement: placement.session.start)
    ]
    grid.ticks = _ticks(origin, row_count, clock)
    if now is not None and origin <= now < origin + row_count * STEP:
        grid.now_row = HEADER_ROWS + 1 + _steps_between(origin, now)
    return grid


def _steps_between(origin, instant, ceil=False):
    steps, remainder = divmod(instant - origin, STEP)
    return steps + (1 if ceil and remainder else 0)


def _stage_columns(sessions):
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
