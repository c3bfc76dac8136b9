from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from attendees import views as attendee_views
from conference import views

urlpatterns = [
    path("", views.conference_list, name="home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("accounts/profile/", attendee_views.profile, name="profile"),
    path("<slug:conference>/", include("schedule.urls")),
    path("<slug:conference>/", include("attendees.urls")),
    path("<slug:conference>/speakers/", include("speakers.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "conference.views.page_not_found"
handler400 = "conference.views.bad_request"
handler500 = "conference.views.server_error"
