from django.urls import path, register_converter

from schedule import views


class IsoDateConverter:
    """YYYY-MM-DD as text; the view turns it into a date and answers 400 when it is not one."""

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
    path("sessions/<slug:slug>/", views.session_detail, name="session"),
]
