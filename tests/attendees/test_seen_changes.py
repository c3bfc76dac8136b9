"""“Since your last visit” on the agenda: the changes to one's saved sessions in the versions
published since one started watching, until acknowledged; for accounts and for visitors."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from attendees.changes import SESSION_KEY, SeenChanges, summary
from attendees.models import Profile
from schedule import versions
from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, StageFactory

pytestmark = pytest.mark.django_db

NINE = dt.datetime(2026, 4, 8, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris
CONF = "/versioned"
AGENDA = f"{CONF}/agenda/"
SINCE = "Since your last visit"


@pytest.fixture
def conference():
    return ConferenceFactory(slug="versioned", publish_every_save=False)


@pytest.fixture
def sessions(conference):
    stage = StageFactory(conference=conference, name="Main")
    made = {
        "keynote": SessionFactory(conference=conference, title="Keynote", stage=stage, start=NINE),
        "workshop": SessionFactory(
            conference=conference, title="Workshop", stage=stage, start=NINE + dt.timedelta(hours=1)
        ),
    }
    versions.publish(conference, name="First programme")
    return made


@pytest.fixture
def ada(client):
    user = get_user_model().objects.create_user("ada", "ada@example.org", "a long passphrase 1")
    client.force_login(user)
    return user


def save_to_agenda(client, session):
    return client.post(f"{CONF}/sessions/{session.slug}/agenda/", {"action": "add"})


def move_keynote_and_cancel_workshop(conference, sessions):
    keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
    keynote.start += dt.timedelta(hours=2, minutes=30)
    keynote.end += dt.timedelta(hours=2, minutes=30)
    keynote.save()
    workshop = Session.all_objects.get(pk=sessions["workshop"].pk)
    workshop.status = Session.Status.CANCELLED
    workshop.save()
    return versions.publish(conference, name="Keynote later")


def since_section(html):
    start = html.find('<div id="since-last-visit">')
    return html[start : html.index("</div>", start)]


def test_a_signed_in_person_sees_the_move_of_a_saved_session_until_acknowledging_it(
    client, ada, conference, sessions
):
    save_to_agenda(client, sessions["keynote"])
    move_keynote_and_cancel_workshop(conference, sessions)

    html = client.get(AGENDA).content.decode()

    section = since_section(html)
    assert "Since your last visit: 1 of your sessions moved" in section
    assert f'<a href="{CONF}/sessions/keynote/">Keynote</a>' in section
    assert "Workshop" not in section  # cancelled, but not in Ada's agenda
    assert html.count("Moved from 09:00 to 11:30") == 2  # the list and the card's mark
    assert "OK, got it" in section and "Mark all as seen" in section

    response = client.post(f"{CONF}/sessions/keynote/change-seen/", {"next": AGENDA})

    assert response.status_code == 302
    assert response["Location"] == AGENDA
    html = client.get(AGENDA).content.decode()
    assert SINCE not in html
    assert "Moved from" not in html
    assert "Keynote" in html  # still in the agenda, at its new time
    assert "11:30–11:55" in html


def test_a_change_in_a_later_version_shows_again_after_an_acknowledgement(
    client, ada, conference, sessions
):
    save_to_agenda(client, sessions["keynote"])
    move_keynote_and_cancel_workshop(conference, sessions)
    client.post(f"{CONF}/sessions/keynote/change-seen/")
    keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
    keynote.stage = StageFactory(conference=conference, name="Central Room")
    keynote.save()
    versions.publish(conference)

    section = since_section(client.get(AGENDA).content.decode())

    assert "Since your last visit: 1 of your sessions changed room" in section
    assert "New room: Central Room" in section
    assert "Moved from" not in section


def test_changes_before_one_saved_the_session_do_not_count(client, ada, conference, sessions):
    move_keynote_and_cancel_workshop(conference, sessions)

    save_to_agenda(client, sessions["keynote"])

    assert SINCE not in client.get(AGENDA).content.decode()
    assert Profile.objects.get(user=ada).seen_changes == {
        str(conference.pk): {"seen": 2, "acknowledged": {}}
    }


def test_the_summary_counts_sessions_by_how_they_changed(client, ada, conference, sessions):
    save_to_agenda(client, sessions["keynote"])
    save_to_agenda(client, sessions["workshop"])
    move_keynote_and_cancel_workshop(conference, sessions)

    section = since_section(client.get(AGENDA).content.decode())

    assert "Since your last visit: 2 of your sessions changed: 1 cancelled, 1 moved" in section
    assert section.index("Workshop") < section.index("Keynote")  # by time


def test_mark_all_as_seen_with_htmx_answers_the_section_alone(client, ada, conference, sessions):
    save_to_agenda(client, sessions["keynote"])
    save_to_agenda(client, sessions["workshop"])
    move_keynote_and_cancel_workshop(conference, sessions)

    response = client.post(f"{CONF}/agenda/changes-seen/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.strip().startswith('<div id="agenda-body">')
    assert "You have seen every change to your sessions." in html
    assert "Changed:" not in html  # nor are the sessions' marks left
    assert html.count('<li class="card') == 2
    assert SINCE not in client.get(AGENDA).content.decode()


def test_moving_a_session_and_back_again_is_no_change_to_mention(client, ada, conference, sessions):
    save_to_agenda(client, sessions["keynote"])
    keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
    keynote.start += dt.timedelta(hours=1)
    keynote.end += dt.timedelta(hours=1)
    keynote.save()
    versions.publish(conference)
    keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
    keynote.start -= dt.timedelta(hours=1)
    keynote.end -= dt.timedelta(hours=1)
    keynote.save()
    versions.publish(conference)

    assert SINCE not in client.get(AGENDA).content.decode()


def test_a_session_back_in_one_version_and_removed_in_the_next_is_no_change_to_mention(
    client, ada, conference, sessions
):
    from django.utils import timezone

    def remove(removed_at):
        keynote = Session.all_objects.get(pk=sessions["keynote"].pk)
        keynote.removed_at = removed_at
        keynote.save()
        versions.publish(conference)

    save_to_agenda(client, sessions["keynote"])
    remove(timezone.now())
    client.post(f"{CONF}/agenda/changes-seen/", {"next": AGENDA})  # Ada has seen it go
    remove(None)  # back: new in the schedule again
    remove(timezone.now())  # and gone again before she looked

    response = client.get(AGENDA)

    assert response.status_code == 200
    assert SINCE not in response.content.decode()


def test_an_anonymous_visitors_agenda_shows_the_change_too(conference, sessions):
    visitor = Client()
    save_to_agenda(visitor, sessions["keynote"])
    move_keynote_and_cancel_workshop(conference, sessions)

    html = visitor.get(AGENDA).content.decode()

    assert "Since your last visit: 1 of your sessions moved" in html
    assert "Moved from 09:00 to 11:30" in since_section(html)
    assert visitor.session[SESSION_KEY] == {str(conference.pk): {"seen": 1, "acknowledged": {}}}

    visitor.post(f"{CONF}/sessions/keynote/change-seen/")

    assert SINCE not in visitor.get(AGENDA).content.decode()
    assert Client().get(AGENDA).content.decode().count(SINCE) == 0


def test_what_a_visitor_had_seen_follows_them_into_their_account(conference, sessions):
    visitor = Client()
    save_to_agenda(visitor, sessions["keynote"])
    move_keynote_and_cancel_workshop(conference, sessions)
    user = get_user_model().objects.create_user("bea", "bea@example.org", "a long passphrase 2")

    visitor.login(username="bea", password="a long passphrase 2")

    assert "Since your last visit: 1 of your sessions moved" in visitor.get(AGENDA).content.decode()
    assert Profile.objects.get(user=user).seen_changes[str(conference.pk)]["seen"] == 1


def test_the_agenda_reads_a_bounded_number_of_queries_with_changes(
    client, ada, conference, sessions, django_assert_max_num_queries
):
    save_to_agenda(client, sessions["keynote"])
    save_to_agenda(client, sessions["workshop"])
    move_keynote_and_cancel_workshop(conference, sessions)
    client.get(AGENDA)  # makes the calendar address, reads the latest version number

    # The browser session, the user, the conference, the registration, the calendar address,
    # the agenda, its sessions, their speakers and links, and the versions since the last seen.
    with django_assert_max_num_queries(10):
        html = client.get(AGENDA).content.decode()

    assert "2 of your sessions changed" in html


def test_the_summary_names_the_one_way_every_session_changed():
    def changed(*kinds_per_session):
        from attendees.changes import ChangedSession

        return [
            ChangedSession(n, f"s{n}", f"S{n}", {"kinds": list(kinds)})
            for n, kinds in enumerate(kinds_per_session)
        ]

    assert (
        summary(changed(["cancelled"])) == "Since your last visit: 1 of your sessions was cancelled"
    )
    assert (
        summary(changed(["moved"], ["moved"])) == "Since your last visit: 2 of your sessions moved"
    )
    assert summary(changed(["moved", "room"])) == (
        "Since your last visit: 1 of your sessions changed: 1 moved, 1 changed room"
    )


def test_someone_who_saved_sessions_before_changes_were_kept_starts_from_the_latest(
    client, ada, conference, sessions
):
    from attendees.models import AgendaEntry

    AgendaEntry.objects.create(user=ada, session=sessions["keynote"])
    move_keynote_and_cancel_workshop(conference, sessions)

    assert SINCE not in client.get(AGENDA).content.decode()
    assert SeenChanges(None, conference, user=Profile.objects.get(user=ada).user).state == {
        "seen": 2,
        "acknowledged": {},
    }
