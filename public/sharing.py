"""What leaves the site with a session: its short link (for a QR code, a slide, a chat), the
QR code of that link, and the card chat apps show when the link is shared."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from public import published


def short_url(request, conference, pk):
    """/<conference>/s/<pk>/: stable through renames (the slug may change, the pk does not),
    short enough for a QR code that a phone reads from across a room."""
    path = reverse("schedule:short", kwargs={"conference": conference.slug, "pk": pk})
    return request.build_absolute_uri(path)


def card_url(request, conference, pk, version=None):
    """The Open Graph image of a session: versioned, so a chat app that keeps images by
    address fetches the card again after it changes (version: what the card shows, hashed,
    public/cards.py: card_fingerprint; else the schedule version)."""
    path = reverse("schedule:session_card", kwargs={"conference": conference.slug, "pk": pk})
    return request.build_absolute_uri(f"{path}?v={version or conference.schedule_version}")


@dataclass(frozen=True)
class Share:
    url: str
    qr_svg: str
    card_url: str


def share(request, conference, pk, *, qr_scale=4, card_version=None):
    """A session's short link, its QR code and its card."""
    url = short_url(request, conference, pk)
    return Share(
        url=url,
        qr_svg=published.qr_svg(url, title=_("QR code of this session's page"), scale=qr_scale),
        card_url=card_url(request, conference, pk, card_version),
    )
