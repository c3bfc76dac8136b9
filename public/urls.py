"""The public site's addresses, under /<conference>/. They are a contract with calendar and
schedule apps and with shared links: keep them stable. The namespaces name the part of the
site a page belongs to, as templates and models reverse them."""

from django.urls import path, register_converter

from public.views import (
    agenda,
    changes,
    embed,
    feeds,
    notices,
    offline,
    printed,
    rooms,
    schedule,
    seats,
    sharing,
    speakers,
)
from schedule.formats import FORMATS


class IsoDateConverter:
    """Anything shaped like YYYY-MM-DD; the view answers 400 when it is not a real date."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

schedule_urls = (
    [
        path("", schedule.conference_home, name="conference"),
        path("schedule/", schedule.schedule, name="schedule"),
        path("schedule/<isodate:day>/", schedule.schedule, name="day"),
        *(
            path(
                f"schedule.{schedule_format.extension}",
                feeds.schedule_export,
                {"format": identifier},
                name=f"schedule_{identifier}",
            )
            for identifier, schedule_format in FORMATS.items()
        ),
        path("colours.css", schedule.colours, name="colours"),
        path("sessions/<slug:slug>/", schedule.session_detail, name="session"),
        path("sessions/<slug:slug>.ics", feeds.session_ics, name="session_ics"),
        path("changes/", changes.changes_page, name="changes"),
        path("changes.atom", changes.changes_atom, name="changes_atom"),
        path("changes.json", changes.changes_json, name="changes_json"),
        path("now/", schedule.now_and_next, name="now"),
        path("timezone/", schedule.timezone_picker, name="timezone"),
        path("notices/read/", notices.notice_read, name="notice_read"),
        # Beyond the site (issue 20): in other sites' frames, on paper, by the rooms' doors,
        # in links shared in chats.
        path("embed/", embed.embed, name="embed"),
        path("embed/<isodate:day>/", embed.embed, name="embed_day"),
        path("print/", printed.programme, name="print"),
        path("print/<isodate:day>/", printed.programme, name="print_day"),
        path("rooms/", rooms.room_index, name="rooms"),
        path("rooms/<slug:stage>/", rooms.room, name="room"),
        path("s/<int:pk>/", sharing.short_link, name="short"),
        path("s/<int:pk>/card.png", sharing.session_card, name="session_card"),
        # The installable app that works offline (public/views/offline.py).
        path("manifest.webmanifest", offline.manifest, name="manifest"),
        path("icon-<int:size>.png", offline.icon, name="icon"),
        path(
            "icon-<int:size>-maskable.png", offline.icon, {"maskable": True}, name="maskable_icon"
        ),
        path("sw.js", offline.service_worker, name="service_worker"),
        path("version.json", offline.version, name="version"),
        path("offline.json", offline.offline_list, name="offline_list"),
        path("offline/", offline.offline_page, name="offline"),
    ],
    "schedule",
)

attendee_urls = (
    [
        path("agenda/", agenda.agenda_page, name="agenda"),
        path("agenda/personal-parts/", agenda.personal_parts, name="personal_parts"),
        path("agenda/reset-link/", agenda.agenda_feed_reset, name="feed_reset"),
        path("agenda/changes-seen/", agenda.changes_seen, name="changes_seen"),
        path("agenda/<str:token>.ics", feeds.agenda_feed, name="feed"),
        path("sessions/<slug:slug>/agenda/", agenda.agenda_toggle, name="toggle"),
        path("sessions/<slug:slug>/seat/", seats.seat_action, name="seat"),
        path("sessions/<slug:slug>/change-seen/", agenda.change_seen, name="change_seen"),
    ],
    "attendees",
)

speaker_urls = (
    [
        path("", speakers.speaker_list, name="list"),
        path("<slug:slug>/", speakers.speaker_detail, name="detail"),
        path("<slug:slug>/bio/", speakers.speaker_bio, name="bio"),
    ],
    "speakers",
)
