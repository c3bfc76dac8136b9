"""The organiser's last moves on the board, kept in their session (this browser), newest
last, so Undo can put a session back through the same move service."""

import datetime as dt

from schedule.moves import Position

KEPT = 20


def key(conference):
    return f"board_moves_{conference.pk}"


def remember(request, move):
    """Remember where the moved session was, and the version the move left it at."""
    previous = move.previous
    moves = request.session.get(key(move.session.conference), [])[-(KEPT - 1) :]
    moves.append(
        {
            "session": move.session.pk,
            "title": move.session.title,
            "version": move.session.edit_version,
            "start": previous.start.isoformat(),
            "end": previous.end.isoformat(),
            "stage": previous.stage_id,
            "in_tray": previous.in_tray,
        }
    )
    request.session[key(move.session.conference)] = moves


def last(request, conference):
    moves = request.session.get(key(conference), [])
    return moves[-1] if moves else None


def forget_last(request, conference, now_version=None):
    """Drop the last move; once undone (the session is at now_version), the move before it on
    the same session may be undone next, as nobody else saved the session in between."""
    moves = request.session.get(key(conference), [])
    undone, moves = moves[-1], moves[:-1]
    earlier = [m for m in moves if m["session"] == undone["session"]]
    if now_version is not None and earlier and earlier[-1]["version"] == undone["version"] - 1:
        earlier[-1]["version"] = now_version
    request.session[key(conference)] = moves


def position(entry):
    return Position(
        dt.datetime.fromisoformat(entry["start"]),
        dt.datetime.fromisoformat(entry["end"]),
        entry["stage"],
        entry["in_tray"],
    )
