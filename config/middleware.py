import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest, FieldDoesNotExist
from django.db import DataError, IntegrityError
from django.utils.translation import gettext as _

from attendees.accounts import end_if_signed_out_everywhere
from config.views import bad_request, healthz

logger = logging.getLogger(__name__)


class HealthCheckMiddleware:
    """Answers /healthz before anything checks the Host header or redirects to HTTPS.

    Load balancers and container runtimes probe by IP address over plain HTTP; neither
    should need to be in ALLOWED_HOSTS or speak TLS to learn whether a worker is alive.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)


def media_origin():
    """' https://media.example.org' when uploaded media is served from another site, else ''."""
    parts = urlsplit(settings.MEDIA_URL)
    return f" {parts.scheme}://{parts.netloc}" if parts.netloc else ""


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Speaker photos may live in object storage on a host of their own (settings.py).
        f"img-src 'self' data:{media_origin()}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Django's admin sets style= attributes here and there; its scripts stay strict.
ADMIN_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)


def with_own_directives(policy, own):
    """The policy, with the directives a response names itself put in place of the same ones:
    a page may only say who may frame it (the embedded schedule) and keeps every other rule."""
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    for part in own.split(";"):
        name, _space, value = part.strip().partition(" ")
        if name == "frame-ancestors" and value:
            directives[name] = value
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline or eval'd script anywhere) and a
    Permissions-Policy that turns off what a schedule never needs.

    A view may send its own `frame-ancestors` (public/views/embed.py): as a header, so the
    shared-page cache keeps it with the page; the rest of the policy is added here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = (
            ADMIN_CONTENT_SECURITY_POLICY
            if request.path_info.startswith("/admin/")
            else CONTENT_SECURITY_POLICY
        )
        own = response.headers.get("Content-Security-Policy")
        if own:
            response["Content-Security-Policy"] = with_own_directives(policy, own)
        elif response.status_code != 304:
            # A 304's headers replace those of the page the browser keeps: the site's policy
            # on it would take back what that page allowed (the embed's framing).
            response["Content-Security-Policy"] = policy
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class SignedOutEverywhereMiddleware:
    """Ends a login made before its person chose "Sign out everywhere" (on any device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        end_if_signed_out_everywhere(request)
        return self.get_response(request)


# Characters: far more than any search, slug, timezone or address needs, well under the 50,000
# bytes of a LIKE pattern that SQLite refuses.
MAX_QUERY_VALUE = 10_000


class UnusableInputMiddleware:
    """400 for what no page can use: a NUL character in the path, a query or form value or a
    cookie (PostgreSQL refuses it in text, which would look like a database outage), or a query
    value longer than MAX_QUERY_VALUE (a database asked to match it may give up)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in value
            for values in (request.GET, request.POST, request.COOKIES)
            for value in self.values(values)
        ):
            raise BadRequest(_("The address or the form contains a NUL character."))
        if any(
            len(value) > MAX_QUERY_VALUE for _key, items in request.GET.lists() for value in items
        ):
            raise BadRequest(_("A value in the address is too long."))
        return self.get_response(request)

    @staticmethod
    def values(mapping):
        if hasattr(mapping, "lists"):
            return (f"{key}{item}" for key, items in mapping.lists() for item in items)
        return (f"{key}{value}" for key, value in mapping.items())


# What Django's admin raises when its own links and forms come back forged: a primary key that
# is no number, an empty _to_field, an integer too big for the database, a formset's
# management form that lies about its rows.
FORGED_ADMIN_INPUT = (
    ValueError,
    TypeError,
    OverflowError,
    FieldDoesNotExist,
    IntegrityError,
    DataError,
)


class AdminForgedInputMiddleware:
    """A 400 that says so, not a 500, when a forged admin request makes the admin fail; the
    error is logged with its traceback, so a real bug still shows."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not request.path_info.startswith("/admin/") or not isinstance(
            exception, FORGED_ADMIN_INPUT
        ):
            return None
        logger.warning("Admin request refused: %s %s", request.method, request.path, exc_info=True)
        return bad_request(
            request, BadRequest(_("The admin could not use a value in this request."))
        )
