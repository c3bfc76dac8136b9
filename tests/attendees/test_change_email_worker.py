"""The real worker: `docker/entrypoint.sh worker` (what production runs: resume, then
`manage.py db_worker`) against a database of its own and a real SMTP server, killed with
SIGKILL in the middle of a batch while the mail server is taking a message, then started
again: everyone affected gets exactly one e-mail."""

import email
import email.policy
import signal
import sqlite3
import subprocess
from collections import Counter

import pytest

from tests.services import ROOT, SmtpServer, manage, production_env, wait_until

PEOPLE = 30
KILLED_AT = 10  # the message the mail server is taking when the worker is killed

SETUP = f"""
import datetime as dt
from django.contrib.auth import get_user_model
from attendees.models import AgendaEntry, Profile
from schedule import versions
from tests.factories import ConferenceFactory, SessionFactory

conference = ConferenceFactory(name="Worker Conf", slug="worker-conf", publish_every_save=False)
start = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)
keynote = SessionFactory(conference=conference, title="Keynote", start=start)
versions.publish(conference, name="First programme")
User = get_user_model()
users = [User.objects.create_user(f"person{{n}}", f"person{{n}}@example.org") for n in range({PEOPLE})]
Profile.objects.filter(user__in=users).update(change_emails=True)
AgendaEntry.objects.bulk_create(AgendaEntry(user=user, session=keynote) for user in users)
keynote.start += dt.timedelta(hours=1)
keynote.end += dt.timedelta(hours=1)
keynote.save()
versions.publish(conference, name="Keynote later")
"""


def start_worker(env, log):
    return subprocess.Popen(
        [str(ROOT / "docker" / "entrypoint.sh"), "worker", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def statuses(database):
    with sqlite3.connect(database) as connection:
        return Counter(
            status for (status,) in connection.execute("SELECT status FROM attendees_changeemail")
        )


@pytest.mark.once
def test_a_worker_killed_mid_batch_and_started_again_sends_everyone_exactly_one_email(tmp_path):
    smtp = SmtpServer(hold_at=KILLED_AT).start()
    database = tmp_path / "worker.sqlite3"
    env = production_env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{database}",
        REDIS_URL="",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.port),
        EMAIL_USE_TLS="false",
        SITE_URL="https://schedule.example.org",
    )
    manage(env, ["migrate", "-v0"], ["shell", "-c", SETUP])
    log = (tmp_path / "worker.log").open("w")
    try:
        worker = start_worker(env, log)
        assert smtp.holding.wait(30), "the worker sent nothing"
        worker.send_signal(signal.SIGKILL)
        assert worker.wait(10) == -signal.SIGKILL
        smtp.release.set()
        assert len(smtp.accepted) == KILLED_AT - 1
        assert statuses(database) == {"sent": KILLED_AT - 1, "pending": PEOPLE - KILLED_AT + 1}

        # Started again, it first queues again the e-mail whose task was left claimed.
        worker = start_worker(env, log)
        assert wait_until(lambda: statuses(database) == {"sent": PEOPLE}, timeout=30), statuses(
            database
        )
        worker.terminate()
        worker.wait(10)
    finally:
        smtp.stop()
        log.close()

    recipients = Counter(address for addresses, _message in smtp.accepted for address in addresses)
    assert recipients == Counter({f"person{n}@example.org": 1 for n in range(PEOPLE)})
    message = email.message_from_bytes(smtp.accepted[-1][1], policy=email.policy.default)
    # Folded onto a continuation line, as encoded words are: the space starts that line.
    assert (
        message["Subject"].strip() == "Worker Conf: 1 of your sessions changed (v2 — Keynote later)"
    )
