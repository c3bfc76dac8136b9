import datetime as dt
import io
import logging

import pytest
from gunicorn.config import Config

from config.logging import RedactFeedTokens, RedactingGunicornLogger

TOKEN = "Zx9-secret_token_value_0123456789abcdefghijk"


def test_not_found_log_line_hides_the_feed_token():
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/conf/agenda/{TOKEN}.ics",),
        None,
    )

    RedactFeedTokens().filter(record)

    assert record.getMessage() == "Not Found: /conf/agenda/[redacted].ics"


def get_logging(client, url):
    """The response to GET url, and what the console handler that settings.LOGGING installs
    wrote meanwhile (into a buffer, for the test)."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactFeedTokens) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        return client.get(url), buffer.getvalue()
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_a_request_for_a_revoked_feed_is_logged_without_its_token(client):
    response, logged = get_logging(client, f"/no-conf/agenda/{TOKEN}.ics")

    assert response.status_code == 404
    assert "Not Found: /no-conf/agenda/[redacted].ics" in logged
    assert TOKEN not in logged


def test_gunicorn_access_log_hides_the_feed_token():
    class Request:
        method = "GET"
        path = f"/conf/agenda/{TOKEN}.ics"
        uri = path
        query = ""
        version = (1, 1)
        headers = []

    class Response:
        status = "200 OK"
        sent = 100
        headers = []

    environ = {
        "RAW_URI": Request.path,
        "PATH_INFO": Request.path,
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }

    atoms = RedactingGunicornLogger(Config()).atoms(Response(), Request(), environ, dt.timedelta(0))

    assert TOKEN not in repr(atoms)
    assert atoms["U"] == "/conf/agenda/[redacted].ics"


@pytest.mark.django_db
def test_a_bad_unsubscribe_link_is_logged_without_its_token(client):
    response, logged = get_logging(client, f"/accounts/change-emails/{TOKEN}/unsubscribe/")

    assert response.status_code == 400
    assert "Bad Request: /accounts/change-emails/[redacted]/unsubscribe/" in logged
    assert TOKEN not in logged
