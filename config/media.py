"""Uploaded media as the site itself serves it, in development and behind gunicorn alike: only
the resized speaker photos (their names match speakers.models.PHOTO_NAME), never a listing,
never an original upload (it may carry the camera's GPS position), never a path a request makes
up. Their names change with their content, so browsers may keep them for a year."""

import mimetypes

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

ONE_YEAR = 365 * 24 * 3600


@require_safe
def speaker_photo(request, name):
    path = f"speakers/photos/{name}"
    try:
        photo = default_storage.open(path, "rb")
    except FileNotFoundError:
        raise Http404("No such photo.") from None
    response = FileResponse(photo, content_type=mimetypes.guess_type(path)[0])
    response["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
