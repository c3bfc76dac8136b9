"""Generate a synthetic conference of any size, for load tests, demos and screenshots.

The same arguments always give the same conference: every choice comes from one
random.Random(seed), sessions are planned in local wall-clock minutes, and only
conference.timezones turns those into instants.
"""

import datetime as dt
import random

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from conference import timezones
from conference.models import Conference
from schedule.generator.planning import check_sizes, plan_slots
from schedule.generator.writing import (
    create_conference,
    create_session_types,
    create_sessions,
    create_speaker_links,
    create_speakers,
    create_stages,
    create_tracks,
)

__all__ = ["generate_conference"]


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

    # The steps draw from rng in this order; reordering them changes every conference.
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


def get_zone(timezone_name):
    try:
        return timezones.get_zone(timezone_name)
    except timezones.UnknownTimezone as error:
        raise CommandError(str(error)) from error
