"""Mail backends for tests: a mail server that refuses, a given number of times."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend


class RefusingBackend(EmailBackend):
    """Refuses the next `refusals` messages as a busy SMTP server does (451), then delivers to
    django.core.mail.outbox."""

    refusals = 0

    def send_messages(self, messages):
        if RefusingBackend.refusals > 0:
            RefusingBackend.refusals -= 1
            recipient = messages[0].to[0]
            raise smtplib.SMTPRecipientsRefused({recipient: (451, b"4.3.2 Try again later")})
        return super().send_messages(messages)
