from django.core.management.base import BaseCommand

from attendees.change_emails import resume


class Command(BaseCommand):
    help = (
        "Queue again the schedule-change e-mails that a killed worker left unsent, and the "
        "announcements of versions published in the last day. Every worker start runs it "
        "(make run, docker/entrypoint.sh worker); safe to run at any time, also beside "
        "running workers: nothing is sent twice."
    )

    def handle(self, *args, **options):
        queued = resume()
        if options["verbosity"]:
            self.stdout.write(f"{queued} schedule-change e-mail(s) queued again.")
