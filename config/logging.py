"""Logging that never writes a calendar subscription's secret address, nor the signed token of
an unsubscribe link."""

import logging
import re

from gunicorn.glogging import Logger

FEED_TOKEN = re.compile(r"(/agenda/)[^/\s?\"']+(\.ics)")
UNSUBSCRIBE_TOKEN = re.compile(r"(/change-emails/)[^/\s?\"']+(/unsubscribe/)")


def redact(text):
    text = FEED_TOKEN.sub(r"\1[redacted]\2", text)
    return UNSUBSCRIBE_TOKEN.sub(r"\1[redacted]\2", text)


class RedactFeedTokens(logging.Filter):
    """Rewrites a record's message so "Not Found: /conf/agenda/<token>.ics" hides the token."""

    def filter(self, record):
        message = record.getMessage()
        if "/agenda/" in message or "/change-emails/" in message:
            record.msg, record.args = redact(message), ()
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's access log with the same redaction (--logger-class)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
