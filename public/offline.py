"""A conference as an installable web app that keeps working offline: its manifest and icons,
the addresses its service worker keeps (public/static/js/sw.js), and who a browser's personal
copies belong to, so that one person's agenda is never shown to the next."""

import colorsys
import hashlib
import io
import json
from functools import partial

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from PIL import Image, ImageDraw, ImageFont, ImageOps

from schedule.models import Session
from speakers.models import Speaker
from speakers.photos import PhotoError, open_image

ICON_SIZES = (192, 512)
# What a maskable icon keeps inside: the circle of 80% of its width (the "safe zone").
MASKABLE_SAFE_SHARE = 0.8
# Sent on a personal response: whose copy this is (see person_key).
PERSON_HEADER = "X-Offline-Person"
VERSION_HEADER = "X-Schedule-Version"
ICON_SECONDS = 24 * 3600


def theme_colour(conference):
    """The conference's own theme colour, else its first track's, else one made from its slug
    (the same every time, dark enough for a white initial)."""
    if conference.theme_colour:
        return conference.theme_colour.lower()
    track_colour = conference.tracks.order_by("name").values_list("colour", flat=True).first()
    if track_colour:
        return track_colour.lower()
    hue = int(hashlib.sha256(conference.slug.encode()).hexdigest()[:4], 16) / 0xFFFF
    red, green, blue = colorsys.hls_to_rgb(hue, 0.32, 0.6)
    return "#{:02x}{:02x}{:02x}".format(*(round(part * 255) for part in (red, green, blue)))


def text_colour_on(colour):
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""

    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "#000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#ffffff"


def icon_png(conference, size, *, maskable):
    """A square PNG icon, rendered once per schedule version (a conference's name, colour or
    logo changing moves it): the logo, else the name's initial, on the theme colour."""
    draw = partial(draw_icon, conference, size, maskable=maskable)
    return conference.cached("app-icon", draw, ICON_SECONDS, size, maskable)


def draw_icon(conference, size, *, maskable):
    colour = theme_colour(conference)
    image = Image.new("RGB", (size, size), colour)
    # Content kept inside what any mask leaves visible, a little more room for "any".
    room = round(size * (MASKABLE_SAFE_SHARE * 0.75 if maskable else 0.8))
    logo = conference_logo(conference)
    if logo is not None:
        logo = ImageOps.contain(logo.convert("RGBA"), (room, room), Image.Resampling.LANCZOS)
        offset = ((size - logo.width) // 2, (size - logo.height) // 2)
        image.paste(logo, offset, logo)
    else:
        initial = next((char for char in conference.name if char.isalnum()), "·").upper()
        font = ImageFont.load_default(size=round(room * 0.8))
        draw = ImageDraw.Draw(image)
        draw.text(
            (size / 2, size / 2), initial, fill=text_colour_on(colour), font=font, anchor="mm"
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def conference_logo(conference):
    if not conference.logo:
        return None
    try:
        with conference.logo.open("rb") as file:
            return ImageOps.exif_transpose(open_image(file.read()))
    except (OSError, PhotoError):
        return None  # a missing or broken upload: the initial will do


def manifest(conference):
    """The web app manifest: "Add to home screen" opens the conference's schedule."""
    slug = conference.slug
    icons = [
        {
            "src": reverse(
                "schedule:maskable_icon" if maskable else "schedule:icon",
                kwargs={"conference": slug, "size": size},
            ),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable" if maskable else "any",
        }
        for maskable in (False, True)
        for size in ICON_SIZES
    ]
    colour = theme_colour(conference)
    return {
        "id": f"/{slug}/",
        "name": conference.name,
        "short_name": short_name(conference.name),
        "description": conference.description[:300],
        "lang": conference.locale,
        "start_url": conference.get_absolute_url(),
        "scope": f"/{slug}/",
        "display": "standalone",
        "theme_color": colour,
        "background_color": "#ffffff",
        "icons": icons,
    }


def short_name(name):
    """What a home screen shows under the icon: about 12 characters, whole words."""
    if len(name) <= 12:
        return name
    words, kept = name.split(), ""
    for word in words:
        if len(f"{kept} {word}".strip()) > 12:
            break
        kept = f"{kept} {word}".strip()
    return kept or name[:12]


def offline_addresses(conference, days):
    """What the service worker keeps for this conference, as the site links it: the schedule
    and each local day (of the visitor's timezone), now and next, the speakers and each
    speaker, every session, the agenda, the page for addresses it does not keep. Two queries."""
    slug = {"conference": conference.slug}
    sessions = Session.objects.for_conference(conference).order_by("start", "pk")
    speakers = Speaker.objects.filter(conference=conference).order_by("name", "pk")
    pages = [
        reverse("schedule:schedule", kwargs=slug),
        *(reverse("schedule:day", kwargs={**slug, "day": day}) for day in days),
        reverse("schedule:now", kwargs=slug),
        reverse("speakers:list", kwargs=slug),
        *(
            reverse("speakers:detail", kwargs={**slug, "slug": speaker})
            for speaker in speakers.values_list("slug", flat=True)
        ),
        *(
            reverse("schedule:session", kwargs={**slug, "slug": session})
            for session in sessions.values_list("slug", flat=True)
        ),
        reverse("attendees:agenda", kwargs=slug),
        reverse("schedule:offline", kwargs=slug),
    ]
    # The static files come from the page itself (offline.js sends what it loads).
    assets = [reverse("schedule:colours", kwargs=slug), reverse("schedule:manifest", kwargs=slug)]
    return {"pages": pages, "assets": assets}


def offline_key(conference, prefs, layout):
    """What the kept copies depend on besides the person: a new schedule version or another
    timezone, clock or layout, or a release of the code, and the service worker checks them
    again (and takes again the pages whose bytes changed)."""
    parts = [
        settings.RELEASE,
        conference.schedule_version,
        prefs.zone.key,
        prefs.clock.hour24,
        layout,
    ]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def person_key(request):
    """Who a personal copy belongs to, as the service worker partitions its copies: the
    account, else the visitor's session, else "anyone" (nothing personal). A keyed hash: it
    says nothing about the person and cannot be guessed from one."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        basis = f"user:{user.pk}"
    elif getattr(request, "session", None) is not None and request.session.session_key:
        basis = f"visitor:{request.session.session_key}"
    else:
        return "anyone"
    return salted_hmac("offline-person", basis).hexdigest()[:24]
