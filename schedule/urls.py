from django.urls import path, register_converter

from schedule import exports, views


class IsoDateConverter:
    """Anything shaped like YYYY-MM-DD; the view answers 400 when it is not a real date."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value if isinstance(value, str) else value.isoformat()


register_converter(IsoDateConverter, "isodate")

app_name = "schedule"
urlpatterns = [
    path("", views.conference_home, name="conference"),
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<isodate:day>/", views.schedule, name="day"),
    path("schedule.ics", views.schedule_ics, name="schedule_ics"),
    path("schedule.xml", exports.schedule_xml, name="schedule_xml"),
    path("schedule.json", exports.schedule_json, name="schedule_json"),
    path("schedule.csv", exports.schedule_csv, name="schedule_csv"),
    path("colours.css", views.colours, name="colours"),
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
    path("sessions/<slug:slug>.ics", views.session_ics, name="session_ics"),
    path("now/", views.now_and_next, name="now"),
    path("timezone/", views.timezone_picker, name="timezone"),
]
