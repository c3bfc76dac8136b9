from django.urls import path

from attendees import views

app_name = "attendees"
urlpatterns = [
    path("agenda/", views.agenda_page, name="agenda"),
    path("agenda/reset-link/", views.agenda_feed_reset, name="feed_reset"),
    path("agenda/<str:token>.ics", views.agenda_feed, name="feed"),
    path("sessions/<slug:slug>/agenda/", views.agenda_toggle, name="toggle"),
    path("sessions/<slug:slug>/seat/", views.seat_action, name="seat"),
]
