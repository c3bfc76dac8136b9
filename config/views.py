import logging
import re
import sys

from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from conference.models import Conference

logger = logging.getLogger(__name__)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and probes."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("Health check failed: database unreachable (%s)", error.__class__.__name__)
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _conference_for_path(path):
    """The conference a failing URL belongs to, so its error page can link back to it."""
    slug = path.strip("/").split("/", 1)[0]
    if not SLUG.fullmatch(slug):
        return None
    try:
        return Conference.objects.filter(slug=slug[:100]).first()
    except DatabaseError:
        return None


def page_not_found(request, exception):
    message = next(iter(getattr(exception, "args", ())), "")
    message = message if isinstance(message, str) else ""
    context = {"conference": _conference_for_path(request.path), "message": message}
    return render(request, "404.html", context, status=404)


def bad_request(request, exception):
    # Only our own messages (BadRequest) are shown; Django's SuspiciousOperation texts are not.
    message = str(exception) if isinstance(exception, BadRequest) else ""
    context = {"conference": _conference_for_path(request.path), "message": message}
    return render(request, "400.html", context, status=400)


def server_error(request):
    """500, or 503 when the database is unreachable: a page that itself needs no database."""
    error = sys.exc_info()[1]
    # Not DataError or IntegrityError: those are a value the database refused, a bug to fix.
    if isinstance(error, (OperationalError, InterfaceError)):
        logger.error(
            "Database unreachable while serving %s: %s", request.path, error.__class__.__name__
        )
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "500.html", status=500)
