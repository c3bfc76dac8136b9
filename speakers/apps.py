from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeakersConfig(AppConfig):
    name = "speakers"
    verbose_name = _("Speakers")

    def ready(self):
        from conference.signals import bumps_schedule_version
        from speakers.models import Speaker

        bumps_schedule_version(Speaker)
