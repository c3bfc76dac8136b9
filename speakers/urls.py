from django.urls import path

from speakers import views

app_name = "speakers"
urlpatterns = [
    path("", views.speaker_list, name="list"),
    path("<slug:slug>/", views.speaker_detail, name="detail"),
    path("<slug:slug>/bio/", views.speaker_bio, name="bio"),
]
