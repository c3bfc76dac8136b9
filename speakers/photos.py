"""Speaker photos: checked with Pillow, cut square, resized to a few widths and stored under names
made from their content, so they can be cached for a year; imported ones fetched over http(s).

The original stays in Speaker.photo (for the admin and for resizing again); pages show only the
resized copies, which carry no EXIF data (no camera, no GPS position). A copy's name is
speakers/photos/<key>-<size>.webp, the key a hash of the original and of how it was resized:
another photo or another way of resizing gives other names, never a stale cached copy.
"""

import hashlib
import io
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from conference.models import Conference
from speakers.models import PHOTO_SIZES as SIZES
from speakers.models import Speaker, rendition_name

RENDITION_VERSION = "1"  # part of every key: change it when the resizing changes
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMATS = list(EXTENSIONS)
MAX_PIXELS = 40_000_000  # a 40 megapixel camera's photo; more is a decompression bomb
FETCH_TIMEOUT = 5  # seconds per photo, connecting and reading together
FETCH_WORKERS = 4
USER_AGENT = "confschedule speaker photos"


class PhotoError(Exception):
    """A photo that cannot be used; the message says why, for an import note or a form."""


def photo_key(data):
    return hashlib.sha256(RENDITION_VERSION.encode() + b"\0" + data).hexdigest()[:32]


def open_image(data):
    """The image in data, loaded; PhotoError unless it is a JPEG, PNG, WebP or GIF of sane size."""
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise PhotoError(
                    _("the image is %(width)d × %(height)d pixels, more than a photo needs.")
                    % {"width": probe.width, "height": probe.height}
                )
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=FORMATS)
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise PhotoError(_("this is not a JPEG, PNG, WebP or GIF image.")) from error
    return image


def renditions(data):
    """{size: WebP bytes} of the photo cut to a centred square, upright as the camera held it."""
    image = ImageOps.exif_transpose(open_image(data))
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    side = min(image.size)
    square = ImageOps.fit(image, (side, side), method=Image.Resampling.LANCZOS)
    copies = {}
    for size in SIZES:
        buffer = io.BytesIO()
        square.resize((size, size), Image.Resampling.LANCZOS).save(
            buffer, "WEBP", quality=82, method=4
        )
        copies[size] = buffer.getvalue()
    return copies


def store_renditions(data):
    """Write the resized copies (once: equal content, equal names) and return their key."""
    key = photo_key(data)
    for size, content in renditions(data).items():
        name = rendition_name(key, size)
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(content))
    return key


def delete_renditions(key):
    """Remove a key's copies unless another speaker still shows them."""
    if key and not Speaker.objects.filter(photo_key=key).exists():
        for size in SIZES:
            default_storage.delete(rendition_name(key, size))


def use_uploaded_photo(speaker):
    """Resize the photo just uploaded in the admin (or forget the copies of a cleared one); an
    uploaded photo is the organiser's, so imports leave it alone from now on."""
    old_key = speaker.photo_key
    if speaker.photo:
        speaker.photo.open("rb")
        try:
            speaker.photo_key = store_renditions(speaker.photo.read())
        finally:
            speaker.photo.close()
    else:
        speaker.photo_key = ""
    speaker.photo_source_url = ""
    Speaker.objects.filter(pk=speaker.pk).update(photo_key=speaker.photo_key, photo_source_url="")
    Conference.objects.bump_schedule_version(speaker.conference_id)
    if old_key != speaker.photo_key:
        delete_renditions(old_key)


# Imports: photos named by address in a schedule file.


@dataclass(frozen=True)
class PhotoFailure:
    speaker: Speaker
    url: str
    message: str


def wants_photo(speaker, url):
    """Whether an import should fetch url for the speaker: not when it already did (same address),
    and never over a photo uploaded in the admin."""
    if not url or url == speaker.photo_source_url:
        return False
    return not speaker.photo or bool(speaker.photo_source_url)


def import_photos(wanted):
    """Fetch and store the photos of [(speaker, url)]; the failures, each with its reason. Run it
    after the import's transaction has committed: it waits on other servers."""
    wanted = [(speaker, url) for speaker, url in wanted if wants_photo(speaker, url)]
    if not wanted:
        return []
    with ThreadPoolExecutor(max_workers=FETCH_WORKERS) as pool:
        fetched = list(pool.map(lambda pair: fetch_or_error(pair[1]), wanted))
    failures, conferences = [], set()
    for (speaker, url), (data, error) in zip(wanted, fetched, strict=True):
        try:
            if error:
                raise error
            save_imported_photo(speaker, url, data)
            conferences.add(speaker.conference_id)
        except PhotoError as problem:
            failures.append(PhotoFailure(speaker, url, str(problem)))
    for conference_id in conferences:
        Conference.objects.bump_schedule_version(conference_id)
    return failures


def fetch_or_error(url):
    try:
        return fetch_photo(url), None
    except PhotoError as error:
        return None, error


def save_imported_photo(speaker, url, data):
    old_key = speaker.photo_key
    key = store_renditions(data)  # PhotoError before anything is written
    extension = EXTENSIONS[Image.open(io.BytesIO(data), formats=FORMATS).format]
    if speaker.photo:
        speaker.photo.delete(save=False)
    speaker.photo.save(f"{speaker.slug}.{extension}", ContentFile(data), save=False)
    speaker.photo_key, speaker.photo_source_url = key, url
    Speaker.objects.filter(pk=speaker.pk).update(
        photo=speaker.photo.name, photo_key=key, photo_source_url=url
    )
    if old_key != key:
        delete_renditions(old_key)


def max_photo_bytes():
    return getattr(settings, "SPEAKER_PHOTO_MAX_BYTES", 5 * 1024 * 1024)


def fetch_photo(url):
    """The bytes at an http(s) address: at most max_photo_bytes(), within FETCH_TIMEOUT seconds,
    from a public address (no loopback or private network, unless settings allow it for tests)."""
    deadline = time.monotonic() + FETCH_TIMEOUT
    check_address(url)
    headers = {"User-Agent": USER_AGENT, "Accept": "image/*"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (http(s) only, checked)
    limit = max_photo_bytes()
    too_large = PhotoError(
        _("the photo is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}
    )
    try:
        with OPENER.open(request, timeout=FETCH_TIMEOUT) as response:
            if int(response.headers.get("Content-Length") or 0) > limit:
                raise too_large
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    raise too_large
                if time.monotonic() > deadline:
                    raise PhotoError(
                        _("the server took longer than %(seconds)d seconds.")
                        % {"seconds": FETCH_TIMEOUT}
                    )
    except urllib.error.HTTPError as error:
        raise PhotoError(
            _("the server answered %(status)d %(reason)s.")
            % {"status": error.code, "reason": error.reason}
        ) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            reason = _("no answer within %(seconds)d seconds") % {"seconds": FETCH_TIMEOUT}
        raise PhotoError(_("it could not be fetched: %(reason)s.") % {"reason": reason}) from None
    data = b"".join(chunks)
    open_image(data)
    return data


def check_address(url):
    """PhotoError unless url is http(s) on a host whose every address is public: a schedule file
    must not make this server fetch from its own network."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PhotoError(_("“%(url)s” is not an http(s) address.") % {"url": url})
    if getattr(settings, "SPEAKER_PHOTO_PRIVATE_HOSTS_ALLOWED", False):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise PhotoError(
            _("the host “%(host)s” is unknown: %(error)s")
            % {"host": parts.hostname, "error": error}
        ) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            raise PhotoError(
                _("the host “%(host)s” is on a private network (%(address)s).")
                % {"host": parts.hostname, "address": address}
            )


class PublicRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to another public http(s) address."""

    max_redirections = 3

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        check_address(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


# http(s) only: no file:, ftp: or data: handler, even after a redirect.
OPENER = urllib.request.OpenerDirector()
for handler in (
    urllib.request.HTTPHandler(),
    urllib.request.HTTPSHandler(),
    PublicRedirects(),
    urllib.request.HTTPDefaultErrorHandler(),
    urllib.request.HTTPErrorProcessor(),
):
    OPENER.add_handler(handler)
