"""No lost edits: two organisers open the same session, speaker or stage and both save."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from conference.models import Stage
from schedule.models import Session
from speakers.models import Speaker
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory
from tests.schedule.test_admin import session_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisers():
    """Two organisers, each in a browser of their own."""
    clients = []
    for name in ("ann", "bob"):
        user = get_user_model().objects.create_superuser(name, f"{name}@example.org", "pw-12345678")
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.fixture
def session():
    paris = ConferenceFactory(name="Paris Conf", timezone="Europe/Paris")
    stage = StageFactory(conference=paris, name="Master Stage")
    other = StageFactory(conference=paris, name="Central Room")
    return SessionFactory(
        conference=paris, title="Gemma 4", slug="gemma-4", stage=stage, abstract=""
    ), other


def opened(client, url):
    """What the change form holds when an organiser opens it: the hidden lock fields."""
    form = client.get(url).context["adminform"].form
    return {name: form.initial[name] for name in ("loaded_version", "loaded_values")}


def session_post(session, stage, lock, **changes):
    # 09:50–10:15 CEST is 07:50–08:15 UTC, the factory's time.
    return {
        **session_form(
            session.conference, stage, day="2026-04-08", start="09:50", end="10:15",
            title=changes.pop("title", session.title), slug=session.slug,
        ),
        **lock,
        **changes,
    }  # fmt: skip


def errors(response):
    return " ".join(response.context["adminform"].form.non_field_errors())


def test_second_save_is_refused_with_what_changed_and_the_form_merged(organisers, session):
    ann, bob = organisers
    session, central = session
    url = reverse("admin:schedule_session_change", args=[session.pk])
    ann_lock, bob_lock = opened(ann, url), opened(bob, url)

    # Ann moves the session to the Central Room and saves first.
    assert ann.post(url, session_post(session, central, ann_lock)).status_code == 302
    # Bob, on the page he opened before, rewrites the title.
    refused = bob.post(
        url, session_post(session, session.stage, bob_lock, title="Gemma 4 in depth")
    )

    assert refused.status_code == 200
    assert Session.objects.get(pk=session.pk).title == "Gemma 4"  # nothing of Bob's saved
    assert "Someone else saved this while you were editing it" in errors(refused)
    assert "They changed: Stage: “Master Stage” → “Central Room”." in errors(refused)
    merged = refused.context["adminform"].form.data
    assert (merged["title"], merged["stage"]) == ("Gemma 4 in depth", str(central.pk))

    # Saving the merged form keeps both changes.
    assert bob.post(url, merged).status_code == 302
    saved = Session.objects.get(pk=session.pk)
    assert (saved.title, saved.stage, saved.edit_version) == ("Gemma 4 in depth", central, 2)


def test_a_draft_move_made_meanwhile_is_merged_as_a_draft(organisers, session):
    from schedule import versions

    ann, bob = organisers
    session, central = session
    session.conference.publish_every_save = False
    session.conference.save()
    versions.publish(session.conference)
    url = reverse("admin:schedule_session_change", args=[session.pk])
    ann_lock, bob_lock = opened(ann, url), opened(bob, url)
    ann.post(url, session_post(session, central, ann_lock))  # held in the draft

    refused = bob.post(
        url, session_post(session, session.stage, bob_lock, title="Gemma 4 in depth")
    )

    # Bob is told of Ann's move though the public does not see it yet, and keeps it.
    assert "They changed: Stage: “Master Stage” → “Central Room”." in errors(refused)
    merged = refused.context["adminform"].form.data
    assert merged["stage"] == str(central.pk)
    assert bob.post(url, merged).status_code == 302
    assert Session.objects.get(pk=session.pk).stage == session.stage  # still the public's
    planned = Session.all_objects.with_draft().get(pk=session.pk)
    assert (planned.title, planned.stage) == ("Gemma 4 in depth", central)


def test_both_changing_one_field_keeps_yours_in_the_form_and_names_the_field(organisers, session):
    ann, bob = organisers
    session, _central = session
    url = reverse("admin:schedule_session_change", args=[session.pk])
    ann_lock, bob_lock = opened(ann, url), opened(bob, url)
    ann.post(url, session_post(session, session.stage, ann_lock, title="Ann's title"))

    refused = bob.post(url, session_post(session, session.stage, bob_lock, title="Bob's title"))

    assert "They changed: Title: “Gemma 4” → “Ann's title”." in errors(refused)
    assert "except where you changed the same field (Title)" in errors(refused)
    assert refused.context["adminform"].form.data["title"] == "Bob's title"
    assert Session.objects.get(pk=session.pk).title == "Ann's title"


def test_a_save_with_nobody_in_between_goes_through(organisers, session):
    ann, _bob = organisers
    session, _central = session
    url = reverse("admin:schedule_session_change", args=[session.pk])

    response = ann.post(url, session_post(session, session.stage, opened(ann, url), title="New"))

    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).title == "New"


def test_speaker_edits_are_not_lost(organisers):
    ann, bob = organisers
    speaker = SpeakerFactory(name="Ada Lovelace", slug="ada", company="")
    url = reverse("admin:speakers_speaker_change", args=[speaker.pk])
    fields = {
        "conference": speaker.conference.pk, "name": speaker.name, "slug": "ada", "role": "Engineer",
        "company": "", "bio": "", "source_id": "",
        "links-TOTAL_FORMS": "0", "links-INITIAL_FORMS": "0",
    }  # fmt: skip
    ann_lock, bob_lock = opened(ann, url), opened(bob, url)
    assert ann.post(url, {**fields, **ann_lock, "company": "Analytical Engines"}).status_code == 302

    refused = bob.post(url, {**fields, **bob_lock, "bio": "Wrote the first program."})

    assert "They changed: Company: “—” → “Analytical Engines”." in errors(refused)
    assert bob.post(url, refused.context["adminform"].form.data).status_code == 302
    saved = Speaker.objects.get(pk=speaker.pk)
    assert (saved.company, saved.bio) == ("Analytical Engines", "Wrote the first program.")


def test_stage_edits_are_not_lost(organisers):
    ann, bob = organisers
    stage = StageFactory(name="Hall A", slug="hall-a", capacity=100)
    url = reverse("admin:conference_stage_change", args=[stage.pk])
    fields = {
        "conference": stage.conference.pk, "name": "Hall A", "slug": "hall-a",
        "capacity": "100", "position": str(stage.position), "source_id": "",
    }  # fmt: skip
    ann_lock, bob_lock = opened(ann, url), opened(bob, url)
    assert ann.post(url, {**fields, **ann_lock, "capacity": "120"}).status_code == 302

    refused = bob.post(url, {**fields, **bob_lock, "name": "Hall Ada"})

    assert "They changed: Capacity: “100” → “120”." in errors(refused)
    assert bob.post(url, refused.context["adminform"].form.data).status_code == 302
    saved = Stage.objects.get(pk=stage.pk)
    assert (saved.name, saved.capacity) == ("Hall Ada", 120)
