from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "schedule"
    verbose_name = _("Schedule")

    def ready(self):
        from django.db.models.signals import post_save

        from conference.models import Conference
        from conference.signals import bumps_schedule_version
        from schedule import versions
        from schedule.models import Session, SessionLink, SessionSpeaker

        post_save.connect(
            versions.draft_goes_public_with_every_save,
            sender=Conference,
            dispatch_uid="draft_goes_public_with_every_save",
        )

        bumps_schedule_version(Session)
        # Searches read a session's links, and calendars carry them.
        bumps_schedule_version(
            SessionLink,
            conference_id=lambda link: (
                Session.all_objects.filter(pk=link.session_id)
                .values_list("conference_id", flat=True)
                .first()
            ),
        )
        bumps_schedule_version(
            SessionSpeaker,
            conference_id=lambda link: (
                Session.objects.filter(pk=link.session_id)
                .values_list("conference_id", flat=True)
                .first()
            ),
        )
