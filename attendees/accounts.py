"""Accounts as allauth keeps them, with what a conference needs on top: the client's real
address behind proxies, and logins that can all be ended at once."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from attendees.models import Profile

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The client's address for rate limits. A request that passed fewer proxies than
        TRUSTED_PROXY_COUNT says (sent to a worker directly) counts by its own address."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer addresses than TRUSTED_PROXY_COUNT.")
            return request.META.get("REMOTE_ADDR", "")


def remember_sign_in(request):
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


def sign_out_everywhere(request):
    """End every login of the person, this one included, on every device."""
    Profile.objects.update_or_create(
        user=request.user, defaults={"signed_out_everywhere": timezone.now()}
    )
    logout(request)


def end_if_signed_out_everywhere(request):
    """Log this request out when its login predates the person's "sign out everywhere"."""
    user = request.user
    if not user.is_authenticated:
        return
    profile = getattr(user, "profile", None)
    ended = profile and profile.signed_out_everywhere
    if ended and request.session.get(SIGNED_IN_AT, 0) <= ended.timestamp():
        logout(request)
