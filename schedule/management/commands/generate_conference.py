"""Generate a synthetic conference; schedule.generator does the work."""

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schedule.generator import generate_conference


class Command(BaseCommand):
    help = (
        "Create a deterministic synthetic conference: the same arguments always give the "
        "same stages, speakers and sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="Slug of the new conference.")
        parser.add_argument("--sessions", type=int, default=200, help="Number of sessions.")
        parser.add_argument("--stages", type=int, default=5, help="Number of stages.")
        parser.add_argument("--days", type=int, default=2, help="Number of days.")
        parser.add_argument("--speakers", type=int, default=150, help="Number of speakers.")
        parser.add_argument("--timezone", default="Europe/Zurich", help="IANA timezone.")
        parser.add_argument("--seed", type=int, default=0, help="Seed for every choice.")
        parser.add_argument("--start-date", default="2026-06-02", help="First day, as YYYY-MM-DD.")
        parser.add_argument("--name", default="", help="Name; made up from the city if empty.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete a conference with this slug first."
        )

    def handle(self, *args, **options):
        began = time.perf_counter()
        conference = generate_conference(
            slug=options["slug"],
            name=options["name"],
            session_count=options["sessions"],
            stage_count=options["stages"],
            day_count=options["days"],
            speaker_count=options["speakers"],
            timezone_name=options["timezone"],
            seed=options["seed"],
            start_date=parse_start_date(options["start_date"]),
            replace=options["replace"],
        )
        if options["verbosity"] >= 1:
            summary = _(
                "Created %(sessions)d sessions, %(speakers)d speakers and %(stages)d stages "
                "for “%(conference)s” in %(seconds).1f s."
            ) % {**options, "conference": conference.slug, "seconds": time.perf_counter() - began}
            self.stdout.write(self.style.SUCCESS(summary))


def parse_start_date(value):
    """call_command may pass a date; the command line always passes text."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("--start-date needs a date as YYYY-MM-DD, not “%(value)s”.") % {"value": value}
        ) from error
