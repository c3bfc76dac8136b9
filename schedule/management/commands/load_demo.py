from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from conference.models import Conference
from schedule import versions

DEMO_FIXTURE = settings.BASE_DIR / "fixtures" / "pytorch-conference-europe-2026.json"


class Command(BaseCommand):
    help = (
        "Load the demo conference (PyTorch Conference Europe 2026) into an empty database and "
        "publish its schedule as the first version."
    )

    def handle(self, *args, **options):
        if Conference.objects.exists():
            self.stdout.write("A conference is already here; the demo was not loaded.")
            return
        call_command("loaddata", DEMO_FIXTURE, verbosity=0)
        conference = Conference.objects.get()
        versions.publish(conference, name="First programme")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {conference.name}: {conference.sessions.count()} sessions, "
                f"{conference.speakers.count()} speakers."
            )
        )
