"""Any change to what a schedule shows bumps its conference's schedule version, so no cached
page or export outlives the change (admin edits, imports and seat limits alike)."""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from conference.models import Conference, SessionType, Stage, Track
from schedule.models import Session, SessionSpeaker
from speakers.models import Speaker

WATCHED = (Stage, Track, SessionType, Speaker, Session)


def bump(conference_id):
    if conference_id:
        Conference.objects.filter(pk=conference_id).update(
            schedule_version=F("schedule_version") + 1
        )


@receiver(post_save, dispatch_uid="schedule_version_on_save")
@receiver(post_delete, dispatch_uid="schedule_version_on_delete")
def schedule_changed(sender, instance, **kwargs):
    if sender in WATCHED:
        bump(instance.conference_id)
    elif sender is SessionSpeaker:
        session = Session.objects.filter(pk=instance.session_id)
        bump(session.values_list("conference_id", flat=True).first())
