import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse

from schedule.models import Session
from tests.factories import ConferenceFactory, SessionFactory, SpeakerFactory, StageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paris():
    return ConferenceFactory(name="Paris Conf", timezone="Europe/Paris")


@pytest.fixture
def master_stage(paris):
    return StageFactory(conference=paris, name="Master Stage", slug="master-stage")


def session_form(conference, stage, *, day, start, end, title="Gemma 4", slug="gemma-4", **extra):
    return {
        "conference": conference.pk,
        "title": title,
        "slug": slug,
        "abstract": "",
        "start_0": day,
        "start_1": start,
        "end_0": day,
        "end_1": end,
        "stage": stage.pk if stage else "",
        "track": "",
        "session_type": "",
        "status": "confirmed",
        "seat_limit": "",
        "speaker_links-TOTAL_FORMS": "0",
        "speaker_links-INITIAL_FORMS": "0",
        "speaker_links-MIN_NUM_FORMS": "0",
        "speaker_links-MAX_NUM_FORMS": "1000",
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "1000",
        **extra,
    }


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles"])
def test_admin_reads_typed_times_in_the_conference_timezone(
    admin_client, paris, master_stage, server_zone
):
    with override_settings(TIME_ZONE=server_zone):
        response = admin_client.post(
            reverse("admin:schedule_session_add"),
            session_form(paris, master_stage, day="2026-04-08", start="09:50", end="10:05"),
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    session = Session.objects.get(slug="gemma-4")
    assert session.start == dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC)
    assert session.end == dt.datetime(2026, 4, 8, 8, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize("server_zone", ["UTC", "Asia/Tokyo"])
def test_admin_shows_stored_times_in_the_conference_timezone(
    admin_client, paris, master_stage, server_zone
):
    session = SessionFactory(
        conference=paris,
        stage=master_stage,
        start=dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC),
        end=dt.datetime(2026, 4, 8, 8, 5, tzinfo=dt.UTC),
    )

    with override_settings(TIME_ZONE=server_zone):
        response = admin_client.get(reverse("admin:schedule_session_change", args=[session.pk]))

    form = response.context["adminform"].form
    assert form["start"].value() == dt.datetime(2026, 4, 8, 9, 50)
    content = response.content.decode()
    assert 'name="start_1" value="09:50:00"' in content
    assert 'name="end_1" value="10:05:00"' in content
    assert "Local time in Europe/Paris" in content


def test_admin_change_list_shows_conference_local_times(admin_client, paris, master_stage):
    SessionFactory(
        conference=paris,
        stage=master_stage,
        title="Gemma 4",
        start=dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC),
    )

    with override_settings(TIME_ZONE="Asia/Tokyo"):
        response = admin_client.get(reverse("admin:schedule_session_changelist"))

    assert "Wed 8 Apr 2026, 09:50 CEST" in response.content.decode()


def test_admin_editing_a_time_keeps_it_in_conference_time(admin_client, paris, master_stage):
    session = SessionFactory(conference=paris, stage=master_stage, slug="gemma-4")

    response = admin_client.post(
        reverse("admin:schedule_session_change", args=[session.pk]),
        session_form(paris, master_stage, day="2026-04-08", start="10:00", end="10:30"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start == dt.datetime(2026, 4, 8, 8, 0, tzinfo=dt.UTC)
    assert session.revision == 1


def test_admin_warns_when_a_session_overlaps_another_on_the_same_stage(
    admin_client, paris, master_stage
):
    SessionFactory(
        conference=paris,
        stage=master_stage,
        title="Opening keynote",
        start=dt.datetime(2026, 4, 8, 7, 45, tzinfo=dt.UTC),
        end=dt.datetime(2026, 4, 8, 8, 0, tzinfo=dt.UTC),
    )

    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(paris, master_stage, day="2026-04-08", start="09:50", end="10:05"),
        follow=True,
    )

    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "“Gemma 4” overlaps with “Opening keynote” (Wed 8 Apr 09:45–10:00 CEST) on Master Stage."
    ]
    assert Session.objects.filter(slug="gemma-4").exists()


def test_admin_does_not_warn_for_back_to_back_sessions(admin_client, paris, master_stage):
    SessionFactory(
        conference=paris,
        stage=master_stage,
        start=dt.datetime(2026, 4, 8, 7, 35, tzinfo=dt.UTC),
        end=dt.datetime(2026, 4, 8, 7, 50, tzinfo=dt.UTC),
    )

    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(paris, master_stage, day="2026-04-08", start="09:50", end="10:05"),
        follow=True,
    )

    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def test_admin_rejects_an_end_before_the_start(admin_client, paris, master_stage):
    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(paris, master_stage, day="2026-04-08", start="10:05", end="09:50"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["end"] == [
        "A session must end after it starts."
    ]
    assert not Session.objects.exists()


def test_admin_rejects_a_time_skipped_by_daylight_saving(admin_client, master_stage):
    london = ConferenceFactory(name="London Conf", timezone="Europe/London")
    stage = StageFactory(conference=london)

    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(london, stage, day="2026-03-29", start="01:30", end="03:00"),
    )

    errors = response.context["adminform"].form.errors
    assert errors["start"] == [
        "2026-03-29 01:30 does not exist in Europe/London: the clocks skip it for daylight "
        "saving time. Enter a time before or after the change."
    ]
    assert not Session.objects.exists()


def test_admin_rejects_a_time_that_happens_twice(admin_client):
    london = ConferenceFactory(name="London Conf", timezone="Europe/London")
    stage = StageFactory(conference=london)

    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(london, stage, day="2026-10-25", start="01:30", end="02:30"),
    )

    errors = response.context["adminform"].form.errors
    assert errors["start"] == [
        "2026-10-25 01:30 happens twice in Europe/London, when the clocks go back for the end "
        "of daylight saving time. Enter a time before or after the change."
    ]
    assert "end" not in errors


def test_admin_rejects_a_stage_of_another_conference(admin_client, paris):
    elsewhere = StageFactory(conference=ConferenceFactory(name="Elsewhere"))

    response = admin_client.post(
        reverse("admin:schedule_session_add"),
        session_form(paris, elsewhere, day="2026-04-08", start="09:50", end="10:05"),
    )

    assert response.context["adminform"].form.errors["stage"] == [
        "Choose one of this conference's own."
    ]


def test_admin_day_filter_uses_conference_local_days(admin_client, paris, master_stage):
    # 23:30 UTC on 7 April is 01:30 on 8 April in Paris.
    late = SessionFactory(
        conference=paris,
        stage=master_stage,
        title="Late night hacking",
        start=dt.datetime(2026, 4, 7, 23, 30, tzinfo=dt.UTC),
    )
    SessionFactory(
        conference=paris,
        stage=master_stage,
        title="Morning coffee",
        start=dt.datetime(2026, 4, 7, 7, 0, tzinfo=dt.UTC),
    )

    response = admin_client.get(
        reverse("admin:schedule_session_changelist"), {"day": f"{paris.pk}:2026-04-08"}
    )

    assert list(response.context["cl"].result_list) == [late]


def test_admin_session_search_finds_by_speaker_company(admin_client, paris, master_stage):
    deepmind = SpeakerFactory(conference=paris, name="Ada", company="Google DeepMind")
    session = SessionFactory(conference=paris, stage=master_stage, speakers=[deepmind])
    SessionFactory(conference=paris, stage=master_stage)

    response = admin_client.get(reverse("admin:schedule_session_changelist"), {"q": "deepmind"})

    assert list(response.context["cl"].result_list) == [session]


def test_admin_saves_speakers_in_the_order_given(admin_client, paris, master_stage):
    first = SpeakerFactory(conference=paris, name="Kshiteej Kalambarkar")
    second = SpeakerFactory(conference=paris, name="Pawel Gadzinski")
    form = session_form(paris, master_stage, day="2026-04-08", start="14:30", end="14:55")
    form.update(
        {
            "speaker_links-TOTAL_FORMS": "2",
            "speaker_links-0-speaker": second.pk,
            "speaker_links-0-position": "1",
            "speaker_links-1-speaker": first.pk,
            "speaker_links-1-position": "0",
        }
    )

    response = admin_client.post(reverse("admin:schedule_session_add"), form)

    assert response.status_code == 302
    session = Session.objects.get(slug="gemma-4")
    assert [link.speaker for link in session.speaker_links.all()] == [first, second]


def test_admin_refuses_a_speaker_of_another_conference(admin_client, paris, master_stage):
    stranger = SpeakerFactory(conference=ConferenceFactory(name="Elsewhere"))
    form = session_form(paris, master_stage, day="2026-04-08", start="14:30", end="14:55")
    form.update(
        {
            "speaker_links-TOTAL_FORMS": "1",
            "speaker_links-0-speaker": stranger.pk,
            "speaker_links-0-position": "0",
        }
    )

    response = admin_client.post(reverse("admin:schedule_session_add"), form)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors == [{"speaker": ["Choose a speaker of this conference."]}]
    assert not Session.objects.exists()


def test_admin_sends_seat_limit_changes_to_the_seats_page(admin_client, paris, master_stage):
    session = SessionFactory(conference=paris, stage=master_stage, seat_limit=40)

    response = admin_client.get(reverse("admin:schedule_session_change", args=[session.pk]))
    form = response.context["adminform"].form
    admin_client.post(
        reverse("admin:schedule_session_change", args=[session.pk]),
        session_form(
            paris,
            master_stage,
            day="2026-04-08",
            start="09:50",
            end="10:05",
            title=session.title,
            slug=session.slug,
            seat_limit="5",
        ),
    )

    assert "seat_limit" not in form.fields
    assert (
        reverse("admin:attendees_sessionseats_change", args=[session.pk])
        in response.content.decode()
    )
    session.refresh_from_db()
    assert session.seat_limit == 40


@pytest.fixture
def published_session(master_stage):
    """A session of a conference that publishes versions, public since v1."""
    from schedule import versions

    paris = master_stage.conference
    paris.publish_every_save = False
    paris.save()
    session = SessionFactory(conference=paris, stage=master_stage, slug="gemma-4")
    versions.publish(paris)
    return session


def test_admin_edits_of_a_versioned_conference_wait_in_the_draft(
    admin_client, master_stage, published_session
):
    from schedule import versions

    session, paris = published_session, published_session.conference
    change_url = reverse("admin:schedule_session_change", args=[session.pk])

    response = admin_client.post(
        change_url,
        session_form(
            paris,
            master_stage,
            day="2026-04-08",
            start="11:00",
            end="11:30",
            title=session.title,
            abstract=session.abstract,
        ),
    )

    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).start == session.start  # the public's
    # The form and the list show the draft, and say what waits for the next version.
    assert 'name="start_1" value="11:00:00"' in admin_client.get(change_url).content.decode()
    listing = admin_client.get(reverse("admin:schedule_session_changelist")).content.decode()
    assert "Wed 8 Apr 2026, 11:00 CEST" in listing
    assert '<td class="field-unpublished">time</td>' in listing
    versions.publish(paris)
    assert Session.objects.get(pk=session.pk).start == dt.datetime(2026, 4, 8, 9, 0, tzinfo=dt.UTC)


def test_a_speaker_added_in_the_admin_of_a_versioned_conference_says_it_is_public_at_once(
    admin_client, master_stage, published_session
):
    session, paris = published_session, published_session.conference
    ada = SpeakerFactory(conference=paris, name="Ada")
    form = session_form(
        paris,
        master_stage,
        day="2026-04-08",
        start="09:00",
        end="09:30",
        title=session.title,
        abstract=session.abstract,
    )
    change_url = reverse("admin:schedule_session_change", args=[session.pk])

    unchanged = admin_client.post(change_url, form, follow=True).content.decode()
    added = admin_client.post(
        change_url,
        form
        | {
            "speaker_links-TOTAL_FORMS": "1",
            "speaker_links-0-speaker": ada.pk,
            "speaker_links-0-position": "0",
        },
        follow=True,
    ).content.decode()

    assert "Speakers and links are public at once" not in unchanged
    assert "Speakers and links are public at once" in added
    assert [s.name for s in Session.objects.get(pk=session.pk).speakers.all()] == ["Ada"]


def test_deleting_a_published_session_of_a_versioned_conference_waits_for_the_next_version(
    admin_client, published_session
):
    from attendees.models import AgendaEntry
    from schedule import versions
    from tests.attendees.conftest import make_attendee

    session, paris = published_session, published_session.conference
    AgendaEntry.objects.create(user=make_attendee(paris, "ada@example.org"), session=session)

    response = admin_client.post(
        reverse("admin:schedule_session_delete", args=[session.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert Session.objects.filter(pk=session.pk).exists()  # still public until published
    version = versions.publish(paris)
    assert not Session.objects.filter(pk=session.pk).exists()
    assert [change["kinds"] for change in version.changes] == [["removed"]]
    assert AgendaEntry.objects.filter(session=session).exists()  # so its people are told


def test_deleting_sessions_from_the_list_keeps_published_ones_of_a_versioned_conference(
    admin_client, master_stage, published_session
):
    published, paris = published_session, published_session.conference
    unpublished = SessionFactory(conference=paris, stage=master_stage, slug="new-one")
    elsewhere = SessionFactory(stage__name="Other", conference=ConferenceFactory(slug="other"))

    response = admin_client.post(
        reverse("admin:schedule_session_changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [published.pk, unpublished.pk, elsewhere.pk],
        },
    )

    assert response.status_code == 302
    assert set(Session.all_objects.values_list("slug", flat=True)) == {published.slug}
    assert Session.objects.filter(slug=published.slug).exists()  # until the next version
    assert Session.all_objects.with_draft().get(slug=published.slug).removed_at is not None
