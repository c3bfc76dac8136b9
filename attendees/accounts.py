"""Accounts as allauth keeps them, with what a conference needs on top: the client's real
address behind proxies, logins that can all be ended at once, and pages and emails that name
the site and the conference someone came from."""

import logging
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import ImproperlyConfigured
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from attendees.models import Profile
from conference.models import Conference

logger = logging.getLogger(__name__)

SIGNED_IN_AT = "signed_in_at"
# "Log in" from the sign-up page sends next=/accounts/signup/?next=/<conf>/…: look that deep.
NESTED_NEXT_DEPTH = 3


@dataclass(frozen=True)
class ConferencePage:
    conference: Conference
    path: str


@dataclass(frozen=True)
class SiteName:
    """What allauth's own email templates read as the current site: the configured name."""

    name: str
    domain: str


def conference_page_from_next(request):
    """The conference page that `next` leads back to, or None. Only a path on this site counts
    (a foreign host never does); an account page's own `next` is followed."""
    if not hasattr(request, "_conference_page"):
        request._conference_page = _conference_page(
            request.POST.get("next") or request.GET.get("next")
        )
    return request._conference_page


def _conference_page(url, depth=NESTED_NEXT_DEPTH):
    if not url or depth == 0 or not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if slug := match.kwargs.get("conference"):
        conference = Conference.objects.filter(slug=slug).first()
        path = urlunsplit(("", "", parts.path, parts.query, ""))
        return ConferencePage(conference, path) if conference else None
    if (match.url_name or "").startswith("account_"):
        inner = parse_qs(parts.query).get("next", [""])[0]
        return _conference_page(inner, depth - 1)
    return None


def on_site(url, next_path=None):
    """The URL at the configured SITE_URL (never the request's host and port), carrying the
    page to come back to. Without SITE_URL (development only) it stays on the server that
    built it."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, next_path and urlencode({"next": next_path})) if q)
    if not settings.SITE_URL:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
    return settings.SITE_URL + urlunsplit(("", "", parts.path, query, ""))


class AccountAdapter(DefaultAccountAdapter):
    def get_user_display(self, user):
        """The name the person gave, else their email: never the username made up for them."""
        profile = getattr(user, "profile", None)
        return (profile and profile.display_name) or user.email

    def format_email_subject(self, subject):
        return f"[{settings.SITE_NAME}] {subject}"

    def send_mail(self, template_prefix, email, context):
        page = conference_page_from_next(self.request) if self.request else None
        user = context.get("user")
        context = {
            **context,
            # Links (activate_url, password_reset_url, signup_url) at the configured address,
            # leading back to the conference page the person came from.
            **{
                key: on_site(value, page and page.path)
                for key, value in context.items()
                if key.endswith("_url") and isinstance(value, str)
            },
            "current_site": SiteName(
                settings.SITE_NAME, urlsplit(settings.SITE_URL).hostname or settings.SITE_NAME
            ),
            "site_name": settings.SITE_NAME,
            "conference": page and page.conference,
            "greeting_name": self.get_user_display(user) if user else email,
        }
        super().send_mail(template_prefix, email, context)

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
