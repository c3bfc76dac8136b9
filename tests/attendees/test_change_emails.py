"""The e-mail a published schedule version sends: one per affected person who asked for it,
once, listing only their sessions in their own timezone, sent by the task worker after the
publication commits, retried when the mail server refuses, and stopped with one link."""

import datetime as dt
import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from attendees import change_emails
from attendees.models import AgendaEntry, ChangeEmail, Profile
from attendees.seats import join_waitlist, reserve_seat
from schedule import versions
from schedule.models import Session
from tests.attendees.conftest import make_attendee
from tests.attendees.mail_backends import RefusingBackend
from tests.factories import ConferenceFactory, SessionFactory

# The worker runs in this process against the suite's database, committing as it goes.
pytestmark = pytest.mark.django_db(transaction=True)

NINE = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris, 12:45 in Kathmandu
HOUR = dt.timedelta(hours=1)
SITE = "https://schedule.example.org"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_NAME = "Schedules by the PyTorch Foundation"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def conference():
    return ConferenceFactory(
        name="PyTorch Conference Europe 2026", slug="pytorch-europe", publish_every_save=False
    )


@pytest.fixture
def programme(conference):
    """Four sessions: a keynote and a lab that will move, a workshop that will be cancelled,
    and a panel nothing happens to; the lab and the workshop have seat limits."""
    sessions = {
        "keynote": SessionFactory(conference=conference, title="Keynote", start=NINE),
        "lab": SessionFactory(
            conference=conference, title="Compiler lab", start=NINE + 2 * HOUR, seat_limit=1
        ),
        "workshop": SessionFactory(
            conference=conference, title="Triton workshop", start=NINE + 5 * HOUR, seat_limit=1
        ),
        "panel": SessionFactory(conference=conference, title="Panel", start=NINE + 7 * HOUR),
    }
    versions.publish(conference, name="First programme")
    run_worker()  # its announcement: the first version changes nothing
    return {name: Session.all_objects.get(pk=session.pk) for name, session in sessions.items()}


def person(conference, name, *, opted_in=True, timezone="", agenda=()):
    user = make_attendee(conference, f"{name}@example.org")
    Profile.objects.filter(user=user).update(
        display_name=name.title(), change_emails=opted_in, timezone=timezone
    )
    for session in agenda:
        AgendaEntry.objects.create(user=user, session=session)
    return user


def move(session, by):
    session.start += by
    session.end += by
    session.save()


def cancel(session):
    session.status = Session.Status.CANCELLED
    session.save()


def publish_v2(conference, programme):
    """Keynote and lab 2 h 30 later, the workshop cancelled."""
    move(programme["keynote"], 2 * HOUR + 30 * dt.timedelta(minutes=1))
    move(programme["lab"], 2 * HOUR + 30 * dt.timedelta(minutes=1))
    cancel(programme["workshop"])
    return versions.publish(conference, name="Tuesday afternoon swapped")


def unsubscribe_token(message):
    """The token of the unsubscribe link in a message (it holds the time it was made)."""
    return re.search(r"/accounts/change-emails/([^/]+)/unsubscribe/", message.body).group(1)


def run_worker(**options):
    """What `manage.py db_worker` does, until the queue holds nothing ready."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0, **options)


def mail_to(address):
    [message] = [message for message in mail.outbox if message.to == [address]]
    return message


@pytest.fixture
def people(conference, programme):
    ada = person(conference, "ada", timezone="Asia/Kathmandu", agenda=[programme["keynote"]])
    reserve_seat(session=programme["lab"], user=ada)
    reserve_seat(session=programme["workshop"], user=ada)
    bob = person(conference, "bob", agenda=[programme["keynote"]])
    join_waitlist(session=programme["workshop"], user=bob)
    return {
        "ada": ada,
        "bob": bob,
        "cy": person(conference, "cy", opted_in=False, agenda=[programme["keynote"]]),
        "dee": person(conference, "dee", agenda=[programme["panel"]]),
    }


def test_each_affected_person_who_asked_gets_one_email_after_the_worker_runs(
    conference, programme, people
):
    publish_v2(conference, programme)
    assert mail.outbox == []  # publishing sends nothing itself

    run_worker()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.org",
        "bob@example.org",
    ]
    assert mail_to("ada@example.org").subject == (
        "PyTorch Conference Europe 2026: 3 of your sessions changed "
        "(v2 — Tuesday afternoon swapped)"
    )
    assert mail_to("bob@example.org").subject == (
        "PyTorch Conference Europe 2026: 2 of your sessions changed "
        "(v2 — Tuesday afternoon swapped)"
    )
    assert set(ChangeEmail.objects.values_list("user__username", "status", "attempts")) == {
        ("ada", "sent", 1),
        ("bob", "sent", 1),
    }


def test_announcing_a_version_again_sends_nothing_twice(conference, programme, people):
    version = publish_v2(conference, programme)
    run_worker()

    change_emails.announce_version.enqueue(version.pk)
    call_command("resume_change_emails", verbosity=0)
    run_worker()

    assert len(mail.outbox) == 2
    assert ChangeEmail.objects.count() == 2


def test_the_email_lists_only_their_sessions_in_their_own_timezone(conference, programme, people):
    publish_v2(conference, programme)
    run_worker()

    ada = mail_to("ada@example.org")
    assert ada.body == (
        "Hello Ada,\n"
        "\n"
        "The schedule of PyTorch Conference Europe 2026 has a new version, "
        "v2 — Tuesday afternoon swapped, and it changes 3 sessions in your agenda:\n"
        "\n"
        "Keynote\n"
        "- Moved from 12:45 to 15:15\n"
        f"{SITE}/pytorch-europe/sessions/keynote/\n"
        "\n"
        "Compiler lab\n"
        "- Moved from 14:45 to 17:15\n"
        "- Your seat is kept for the new time.\n"
        f"{SITE}/pytorch-europe/sessions/compiler-lab/\n"
        "\n"
        "Triton workshop\n"
        "- Cancelled\n"
        "- Your reservation is kept but there is no seat to take while the session is "
        "cancelled; it does not stop you from reserving another session at the same time, and "
        "it holds your seat again if the session is reinstated.\n"
        f"{SITE}/pytorch-europe/sessions/triton-workshop/\n"
        "\n"
        "Times are in Asia/Kathmandu. The whole schedule: "
        f"{SITE}/pytorch-europe/schedule/\n"
        "\n"
        "You get these e-mails because you asked for them on your profile. To stop them, open "
        "this link:\n"
        f"{SITE}/accounts/change-emails/{unsubscribe_token(ada)}/unsubscribe/\n"
        "\n"
        "Schedules by the PyTorch Foundation, the schedule of PyTorch Conference Europe 2026\n"
    )
    assert change_emails.user_from_unsubscribe_token(unsubscribe_token(ada)) == people["ada"]
    bob = mail_to("bob@example.org")
    assert "Moved from 09:00 to 11:30" in bob.body  # the conference's own zone
    assert "Times are in Europe/Paris." in bob.body
    assert (
        "No seats are given out while the session is cancelled; you keep your place on the "
        "waitlist." in bob.body
    )
    assert "Compiler lab" not in bob.body
    [(html, kind)] = ada.alternatives
    assert kind == "text/html"
    assert f'<a href="{SITE}/pytorch-europe/sessions/compiler-lab/">Compiler lab</a>' in html
    assert "<li>Moved from 14:45 to 17:15</li>\n<li>Your seat is kept for the new time.</li>" in (
        html
    )


def test_the_email_carries_one_click_unsubscribe_headers(conference, programme, people):
    publish_v2(conference, programme)
    run_worker()

    email = mail_to("ada@example.org")
    message = email.message()
    token = unsubscribe_token(email)
    assert message["List-Unsubscribe"] == (f"<{SITE}/accounts/change-emails/{token}/unsubscribe/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    version = conference.schedule_versions.get(number=2)
    assert message["Message-ID"] == (
        f"<schedule-change.{version.pk}.{people['ada'].pk}@schedule.example.org>"
    )


def test_the_unsubscribe_link_asks_on_get_and_stops_the_emails_on_a_tokenless_post(people):
    ada = people["ada"]
    url = f"/accounts/change-emails/{change_emails.unsubscribe_token(ada)}/unsubscribe/"
    client = Client(enforce_csrf_checks=True)  # as a mail provider's one-click POST

    page = client.get(url)
    assert page.status_code == 200
    assert "Stop e-mailing ada@example.org when a session in its agenda changes?" in (
        page.content.decode()
    )
    assert Profile.objects.get(user=ada).change_emails is True  # a GET changes nothing

    done = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Done: ada@example.org will no longer get an e-mail" in done.content.decode()
    assert Profile.objects.get(user=ada).change_emails is False
    assert Profile.objects.get(user=people["bob"]).change_emails is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_changed_or_expired_unsubscribe_link_is_a_400_that_says_so(people, method, time_machine):
    token = change_emails.unsubscribe_token(people["ada"])
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = Client(enforce_csrf_checks=True)

    bad = getattr(client, method)(f"/accounts/change-emails/{changed}/unsubscribe/")
    time_machine.move_to(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=366))
    expired = getattr(client, method)(f"/accounts/change-emails/{token}/unsubscribe/")

    for response in (bad, expired):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert Profile.objects.get(user=people["ada"]).change_emails is True


def test_someone_who_stopped_the_emails_before_the_worker_ran_gets_none(
    conference, programme, people
):
    publish_v2(conference, programme)
    run_worker(max_tasks=1)  # the announcement only: both e-mails are queued
    change_emails.unsubscribe(people["bob"])

    run_worker()

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert ChangeEmail.objects.get(user=people["bob"]).status == "skipped"


def test_a_refused_email_is_retried_then_sent_once_and_the_log_names_no_address(
    conference, programme, people, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.attendees.mail_backends.RefusingBackend"
    settings.CHANGE_EMAIL_RETRY_DELAYS = [0, 0]  # due at once, so this batch runs the retry
    RefusingBackend.refusals = 1
    Profile.objects.filter(user=people["bob"]).update(change_emails=False)
    version = publish_v2(conference, programme)

    with caplog.at_level(logging.WARNING, logger="attendees.change_emails"):
        run_worker()

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    email = ChangeEmail.objects.get(user=people["ada"])
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")
    [warning] = [r for r in caplog.records if r.name == "attendees.change_emails"]
    assert warning.levelname == "WARNING"
    assert warning.getMessage() == (
        f"Change e-mail of version {version.pk} to user {people['ada'].pk} failed (attempt 1), "
        "trying again in 0 s: SMTPRecipientsRefused: {'<address>': (451, b'4.3.2 Try again "
        "later')}"
    )


def test_a_retry_waits_for_the_first_delay(conference, programme, people, settings):
    settings.EMAIL_BACKEND = "tests.attendees.mail_backends.RefusingBackend"
    RefusingBackend.refusals = 1
    Profile.objects.filter(user=people["bob"]).update(change_emails=False)
    publish_v2(conference, programme)

    run_worker()

    assert mail.outbox == []
    email = ChangeEmail.objects.get(user=people["ada"])
    assert (email.status, email.attempts) == ("pending", 1)
    retry = change_emails.send_change_email.get_result(email.task_id)
    assert retry.status == "READY"
    call_command("resume_change_emails", verbosity=0)  # a waiting retry is left to wait
    assert ChangeEmail.objects.get(pk=email.pk).task_id == email.task_id
    assert (
        dt.timedelta(seconds=59)
        < retry.task.run_after - retry.enqueued_at
        < dt.timedelta(seconds=61)
    )


def test_a_mail_refused_every_time_is_given_up_marked_failed_and_logged_as_an_error(
    conference, programme, people, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.attendees.mail_backends.RefusingBackend"
    settings.CHANGE_EMAIL_RETRY_DELAYS = [0, 0]
    RefusingBackend.refusals = 10
    Profile.objects.filter(user=people["bob"]).update(change_emails=False)
    publish_v2(conference, programme)

    with caplog.at_level(logging.WARNING, logger="attendees.change_emails"):
        run_worker()

    RefusingBackend.refusals = 0
    assert mail.outbox == []
    email = ChangeEmail.objects.get(user=people["ada"])
    assert (email.status, email.attempts) == ("failed", 3)
    assert email.last_error.startswith("SMTPRecipientsRefused: {'<address>': (451")
    levels = [r.levelname for r in caplog.records if r.name == "attendees.change_emails"]
    assert levels == ["WARNING", "WARNING", "ERROR"]


def test_resume_queues_again_an_email_whose_worker_died_and_it_is_sent_once(
    conference, programme, people
):
    Profile.objects.filter(user=people["bob"]).update(change_emails=False)
    version = publish_v2(conference, programme)
    change_emails.announce(version)
    email = ChangeEmail.objects.get()
    # A worker claimed the task and was killed before it sent anything.
    DBTaskResult.objects.get(id=email.task_id).claim("killed-worker")
    DBTaskResult.objects.filter(task_path__endswith="announce_version").delete()
    run_worker()
    assert mail.outbox == []

    call_command("resume_change_emails", verbosity=0)
    run_worker()
    call_command("resume_change_emails", verbosity=0)
    run_worker()

    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert ChangeEmail.objects.get().status == "sent"


def test_the_profile_page_offers_the_emails_off_by_default(client, conference):
    user = make_attendee(conference, "eve@example.org")
    client.force_login(user)
    assert Profile.objects.get(user=user).change_emails is False

    page = client.get("/accounts/profile/").content.decode()
    assert "Tell me when a session in my agenda changes" in page

    client.post("/accounts/profile/", {"display_name": "Eve", "change_emails": "on"})
    assert Profile.objects.get(user=user).change_emails is True


def test_people_without_the_changed_sessions_get_nothing(conference, programme):
    person(conference, "fay", agenda=[programme["panel"]])
    publish_v2(conference, programme)
    run_worker()
    assert mail.outbox == []
    assert not ChangeEmail.objects.exists()
    assert get_user_model().objects.filter(username="fay").exists()


def test_resume_announces_a_version_whose_announcement_died_with_its_worker(
    conference, programme, people
):
    publish_v2(conference, programme)
    # A worker claimed the announcement and was killed before it committed anything.
    DBTaskResult.objects.get(task_path__endswith="announce_version", status="READY").claim("killed")
    run_worker()
    assert mail.outbox == []

    call_command("resume_change_emails", verbosity=0)
    run_worker()

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ada@example.org",
        "bob@example.org",
    ]


def test_resume_does_not_announce_an_announced_version_to_people_who_saved_a_session_since(
    conference, programme, people
):
    publish_v2(conference, programme)
    run_worker()
    person(conference, "gus", agenda=[programme["keynote"]])

    call_command("resume_change_emails", verbosity=0)
    run_worker()

    assert len(mail.outbox) == 2
    assert not ChangeEmail.objects.filter(user__username="gus").exists()
