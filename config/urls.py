from allauth.account.views import logout
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path

from config import media
from public import urls as public_urls
from public.views import agenda, change_emails, offline, schedule
from speakers.models import PHOTO_NAME

urlpatterns = [
    path("", schedule.conference_list, name="home"),
    path("admin/board/", include("organisers.urls")),
    path("admin/", admin.site.urls),
    path("accounts/profile/", agenda.profile, name="profile"),
    path(
        "accounts/sign-out-everywhere/",
        agenda.sign_out_everywhere_view,
        name="sign_out_everywhere",
    ),
    path(
        "accounts/change-emails/<str:unsubscribe_token>/unsubscribe/",
        change_emails.unsubscribe,
        name="change_emails_unsubscribe",
    ),
    # Before allauth's own: logging out also clears the browser's copies of personal pages.
    path("accounts/logout/", offline.clears_browser_copies(logout), name="account_logout"),
    path("accounts/", include("allauth.urls")),
    path("<slug:conference>/", include(public_urls.schedule_urls)),
    path("<slug:conference>/", include(public_urls.attendee_urls)),
    path("<slug:conference>/speakers/", include(public_urls.speaker_urls)),
]

if settings.MEDIA_URL.startswith("/"):
    # Media on this site (not on object storage): the resized speaker photos, by exact name.
    urlpatterns.insert(
        0,
        re_path(
            rf"^{settings.MEDIA_URL[1:]}speakers/photos/(?P<name>{PHOTO_NAME})$",
            media.speaker_photo,
        ),
    )
if settings.DEBUG:
    # Development only: the originals too, so the admin's "Currently:" links open.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "config.views.page_not_found"
handler400 = "config.views.bad_request"
handler500 = "config.views.server_error"
