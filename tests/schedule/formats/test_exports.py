import csv
import io
import json

from schedule.formats import csv_format
from schedule.models import Session
from tests.schedule.formats.conftest import export, json_errors, xml_schema


def test_schedule_xml_of_demo_conference_is_valid_against_the_xsd(client, demo_conference):
    body = export(client, demo_conference, "xml")

    xml_schema().validate(body.decode())
    assert (
        body.count(b"<event ")
        == Session.objects.filter(conference=demo_conference, status="confirmed").count()
    )


def test_schedule_json_of_demo_conference_is_valid_against_the_json_schema(client, demo_conference):
    body = export(client, demo_conference, "json")

    assert json_errors(body) == []
    conference = json.loads(body)["schedule"]["conference"]
    assert conference["acronym"] == "pytorch_conference_europe_2026"
    assert conference["time_zone_name"] == "Europe/Paris"
    assert [day["day_start"] for day in conference["days"]] == [
        "2026-04-07T00:00:00+02:00",
        "2026-04-08T00:00:00+02:00",
    ]


def test_schedule_json_event_carries_session_pk_uuid_and_local_times(client, demo_conference):
    session = Session.objects.get(conference=demo_conference, slug="community-expo")

    conference = json.loads(export(client, demo_conference, "json"))["schedule"]["conference"]

    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    event = next(e for e in events if e["guid"] == str(session.uuid))
    assert (event["id"], event["date"], event["start"], event["duration"], event["room"]) == (
        session.pk,
        "2026-04-07T07:30:00+02:00",
        "07:30",
        "11:05",
        "Open Platform",
    )
    assert len({e["id"] for e in events}) == len(events)


def test_schedule_csv_has_documented_columns_and_times_in_utc_and_local(client, demo_conference):
    body = export(client, demo_conference, "csv").decode()

    rows = list(csv.DictReader(io.StringIO(body)))
    assert tuple(rows[0]) == csv_format.COLUMNS
    expo = next(row for row in rows if row["slug"] == "community-expo")
    assert (expo["start_utc"], expo["start_local"], expo["timezone"]) == (
        "2026-04-07T05:30:00Z",
        "2026-04-07 07:30",
        "Europe/Paris",
    )
    assert len(rows) == Session.objects.filter(conference=demo_conference).count()


def test_exports_of_2000_session_conference_are_valid(client, big_conference):
    xml = export(client, big_conference, "xml")
    body = export(client, big_conference, "json")

    xml_schema().validate(xml.decode())
    assert json_errors(body) == []
    assert (
        xml.count(b"<event ")
        == Session.objects.filter(conference=big_conference, status="confirmed").count()
    )


def test_export_answers_304_to_its_etag_and_changes_after_an_edit(client, demo_conference):
    first = client.get(f"/{demo_conference.slug}/schedule.xml")
    etag = first["ETag"]

    again = client.get(f"/{demo_conference.slug}/schedule.xml", HTTP_IF_NONE_MATCH=etag)
    session = Session.objects.filter(conference=demo_conference).first()
    session.title = "Renamed"
    session.save()
    after = client.get(f"/{demo_conference.slug}/schedule.xml", HTTP_IF_NONE_MATCH=etag)

    assert again.status_code == 304
    assert after.status_code == 200
    assert after["ETag"] != etag
    assert b"<title>Renamed</title>" in after.content


def test_export_changes_when_a_stage_is_renamed(client, demo_conference):
    etag = client.get(f"/{demo_conference.slug}/schedule.json")["ETag"]
    stage = demo_conference.stages.get(name="Master Stage")
    stage.name = "Main Stage"
    stage.save()

    response = client.get(f"/{demo_conference.slug}/schedule.json", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert '"room": "Main Stage"' in response.content.decode()


def test_schedule_page_links_the_exports(client, demo_conference):
    response = client.get(f"/{demo_conference.slug}/schedule/2026-04-07/")

    for extension in ("xml", "json", "csv", "ics"):
        assert f'href="/{demo_conference.slug}/schedule.{extension}"' in response.content.decode()
    assert "Use this schedule in your app:" in response.content.decode()


def test_export_of_unknown_conference_is_404(client, db):
    assert client.get("/nope/schedule.xml").status_code == 404
