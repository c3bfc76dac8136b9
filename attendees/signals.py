from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from attendees import change_emails
from attendees.accounts import remember_sign_in
from attendees.agenda import merge_visitor_agenda
from attendees.changes import merge_visitor_seen_changes
from attendees.models import Profile
from schedule.versions import schedule_published


@receiver(user_logged_in, dispatch_uid="attendees_on_login")
def on_login(sender, request, user, **kwargs):
    # Signing up logs the new account in too, so this covers both.
    if request is not None and hasattr(request, "session"):
        merge_visitor_agenda(request=request, user=user)
        merge_visitor_seen_changes(request=request, user=user)
        remember_sign_in(request)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="create_profile")
def create_profile(sender, instance, created, raw, **kwargs):
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(schedule_published, dispatch_uid="attendees_change_emails")
def on_schedule_published(sender, version, **kwargs):
    change_emails.announce_after_commit(version)
