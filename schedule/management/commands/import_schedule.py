"""manage.py import_schedule FILE --conference SLUG [--format …] [--dry-run] [--remove-missing]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from schedule.formats import FORMATS
from schedule.importing import import_schedule, max_bytes

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Import a schedule (frab schedule.xml, c3voc schedule.json, CSV or iCalendar) into a "
        "conference, creating the conference when the slug is new. Nothing is written when "
        "the file has any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file, or - for standard input.")
        parser.add_argument("--conference", required=True, help="Slug of the conference.")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="Check that the file is in this format."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--remove-missing",
            action="store_true",
            help="Remove sessions the file no longer lists (hidden, agenda entries kept).",
        )
        parser.add_argument(
            "--publish",
            nargs="?",
            const="",
            metavar="NAME",
            help="Publish the import as the next schedule version, optionally named.",
        )

    def handle(self, *args, **options):
        data = self.read(options["file"])
        report = import_schedule(
            conference_slug=options["conference"],
            source=data,
            format=options["format"],
            dry_run=options["dry_run"],
            remove_missing=options["remove_missing"],
            publish_as=options["publish"],
            progress=self.progress if len(data) > 256 * 1024 else None,
        )
        self.print_report(report, verbosity=options["verbosity"])
        if not report.ok:
            raise CommandError(_("Rejected: nothing was imported. %s") % report.summary())

    def read(self, name):
        if name == "-":
            return sys.stdin.buffer.read(max_bytes() + 1)
        path = Path(name)
        try:
            if path.stat().st_size > max_bytes():
                # Read the limit and one byte: the import names the limit in its report.
                with path.open("rb") as file:
                    return file.read(max_bytes() + 1)
            return path.read_bytes()
        except OSError as error:
            message = _("Cannot read %(file)s: %(error)s") % {"file": name, "error": error}
            raise CommandError(message) from error

    def progress(self, done, total):
        filled = BAR_WIDTH * done // max(total, 1)
        self.stderr.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}",
            ending="\n" if done >= total else "",
        )
        self.stderr.flush()

    def print_report(self, report, verbosity):
        for problem in report.rejected:
            self.stderr.write(self.style.ERROR(str(problem)))
        if verbosity >= 2:
            for title in report.created:
                self.stdout.write(f"+ {title}")
            for title, changes in report.updated:
                self.stdout.write(f"~ {title} ({', '.join(changes)})")
            for title in report.removed:
                self.stdout.write(f"- {title}")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(_("Note: %(note)s") % {"note": note}))
        for title in report.missing:
            self.stdout.write(
                _("Not in the file (kept; --remove-missing removes it): %(title)s")
                % {"title": title}
            )
        if report.conference_created:
            self.stdout.write(_("New conference “%(slug)s”.") % {"slug": report.conference_slug})
        prefix = _("Dry run, nothing written: ") if report.dry_run and report.ok else ""
        line = prefix + report.summary()
        self.stdout.write(self.style.SUCCESS(line) if report.ok else line)
        if report.version:
            self.stdout.write(_("Published as %(label)s.") % {"label": report.version.label})
