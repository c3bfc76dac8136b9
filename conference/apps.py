from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "conference"
    verbose_name = _("Conferences")

    def ready(self):
        from conference.models import SessionType, Stage, Track
        from conference.search import register_sqlite_fold
        from conference.signals import bumps_schedule_version

        for model in (Stage, Track, SessionType):
            bumps_schedule_version(model)
        connection_created.connect(register_sqlite_fold, dispatch_uid="schedule_fold")
