from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from attendees.registrations import RegistrationImportError, import_registrations
from conference.models import Conference


class Command(BaseCommand):
    help = (
        "Add and update a conference's registrations from a CSV file with the columns email, "
        "name, ticket type, ticket id. Run it again as sales go on: nothing duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--conference", required=True, help="The conference's slug.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; save nothing."
        )

    def handle(self, *args, file, conference, dry_run, **options):
        try:
            conference = Conference.objects.get(slug=conference)
        except Conference.DoesNotExist:
            raise CommandError(f"There is no conference “{conference}”.") from None
        try:
            source = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        try:
            report = import_registrations(conference=conference, source=source, dry_run=dry_run)
        except RegistrationImportError as error:
            raise CommandError(f"Nothing was imported; bad lines:\n{error}") from error
        for line in report.lines():
            self.stdout.write(line)
