import hashlib
import json
from functools import cache
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from django.test import Client

from conference.models import Conference, SessionType, Stage, Track
from schedule.models import Session, SessionSpeaker
from schedule.queries import with_details
from speakers.models import Speaker

FORMATS_DIR = Path("/work/shared/formats")
DATA = Path(__file__).parent / "data"
HOST = "localhost"


@cache
def xml_schema():
    return xmlschema.XMLSchema(str(FORMATS_DIR / "schedule.xml.xsd"))


@cache
def json_validator():
    schema = json.loads((FORMATS_DIR / "schedule.schema.json").read_text())
    return jsonschema.Draft6Validator(
        schema, format_checker=jsonschema.Draft6Validator.FORMAT_CHECKER
    )


def json_errors(body):
    return [
        f"{list(error.path)}: {error.message}"
        for error in json_validator().iter_errors(json.loads(body))
    ]


@pytest.fixture
def client():
    return Client(HTTP_HOST=HOST)


def export(client, conference, extension):
    response = client.get(f"/{conference.slug}/schedule.{extension}")
    assert response.status_code == 200
    return response.content


def snapshot(conference, *, include_cancelled=True):
    """What a round trip must keep: each session's title, times, stage, track, type, speakers."""
    sessions = with_details(Session.objects.for_conference(conference))
    return sorted(
        (
            session.title,
            session.start,
            session.end,
            session.stage.name if session.stage else "",
            session.track.name if session.track else "",
            session.session_type.name if session.session_type else "",
            tuple(link.speaker.name for link in session.speaker_links.all()),
            session.status,
        )
        for session in sessions
        if include_cancelled or not session.is_cancelled
    )


def fingerprint():
    """Counts of every table an import writes, and a digest of every session's state."""
    digest = hashlib.sha256()
    for row in Session.all_objects.order_by("pk").values_list(
        "pk", "uuid", "title", "start", "end", "stage_id", "status", "revision", "removed_at"
    ):
        digest.update(repr(row).encode())
    counts = tuple(
        model.objects.count()
        for model in (Conference, Stage, Track, SessionType, Speaker, SessionSpeaker)
    )
    return counts, Session.all_objects.count(), digest.hexdigest()
