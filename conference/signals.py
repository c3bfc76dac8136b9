"""The schedule version moves with every change to what a schedule shows, so no cached page or
export outlives the change (admin edits, imports and seat limits alike). Each app names the
models of its own that a schedule shows, from its AppConfig.ready()."""

from django.db.models.signals import post_delete, post_save

from conference.models import Conference


def bumps_schedule_version(model, conference_id=lambda instance: instance.conference_id):
    """Every save or delete of a `model` row moves its conference's schedule version."""

    def bump(sender, instance, **kwargs):
        Conference.objects.bump_schedule_version(conference_id(instance))

    for signal in (post_save, post_delete):
        signal.connect(bump, sender=model, weak=False, dispatch_uid=f"{signal!r}:{model.__name__}")
