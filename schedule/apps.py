from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Schedule")

    def ready(self):
        from schedule.search import register_sqlite_fold

        connection_created.connect(register_sqlite_fold, dispatch_uid="schedule_fold")
