import hashlib

from django.core.files.storage import default_storage
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conference.locking import EditVersioned
from conference.models import Conference, ConferencePartManager
from conference.search import contains_word, fold, search_words

BIO_EXCERPT_LENGTH = 250
# Square copies of a photo, in px: 48 and 96 CSS px wide on screens of density 1 to 4.
PHOTO_SIZES = (96, 192, 384)
PHOTO_DIRECTORY = "speakers/photos"
# The names of the copies, which config/urls.py serves (and nothing else of the media folder).
PHOTO_NAME = r"[0-9a-f]{32}-(?:96|192|384)\.webp"
# Background colours of the initials shown instead of a photo (site.css .avatar.c0 …).
AVATAR_COLOURS = 6


def rendition_name(key, size):
    """Where the copy of one size of a photo is stored: named by its content (speakers/photos.py)."""
    return f"{PHOTO_DIRECTORY}/{key}-{size}.webp"


class SpeakerQuerySet(models.QuerySet):
    def matching(self, query):
        """Speakers whose name, company or biography contains every word, ignoring case and
        accents: "zurich" finds the people based in Zürich."""
        speakers = self
        for word in search_words(query):
            speakers = speakers.filter(contains_word(word, "name", "company", "bio"))
        return speakers


class SpeakerManager(ConferencePartManager.from_queryset(SpeakerQuerySet)):
    pass


class Speaker(EditVersioned):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("conference")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="speakers/",
        blank=True,
        help_text=_(
            "Any JPEG, PNG, WebP or GIF: pages show square copies of 96, 192 and 384 px cut from "
            "its middle. An uploaded photo is kept when an import names another."
        ),
    )
    # The hash that names the photo's resized copies (speakers/photos.py); "" without a photo.
    photo_key = models.CharField(_("photo copies"), max_length=32, blank=True, editable=False)
    photo_source_url = models.URLField(
        _("photo imported from"),
        max_length=1000,
        blank=True,
        editable=False,
        help_text=_("Imports fetch the photo again only when the address changes."),
    )
    source_id = models.CharField(
        _("id in the imported file"),
        max_length=200,
        blank=True,
        help_text=_(
            "The id a schedule file gave the person (a frab person id, a pretalx code): imports "
            "match on it before the name, so two people of one name stay two."
        ),
    )

    objects = SpeakerManager()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "slug"],
                name="speaker_slug_unique_per_conference",
                violation_error_message=_("This slug is already used in this conference."),
            ),
            models.UniqueConstraint(
                fields=["conference", "source_id"],
                condition=~models.Q(source_id=""),
                name="speaker_source_id_unique_per_conference",
                violation_error_message=_("This id is already used in this conference."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "speakers:detail", kwargs={"conference": self.conference.slug, "slug": self.slug}
        )

    def natural_key(self):
        return (self.conference.slug, self.slug)

    natural_key.dependencies = ["conference.conference"]

    @property
    def bio_is_long(self):
        return len(self.bio) > BIO_EXCERPT_LENGTH

    @property
    def bio_excerpt(self):
        """The bio cut to about 250 characters at a word boundary, as lists show it."""
        if not self.bio_is_long:
            return self.bio
        cut = self.bio[: BIO_EXCERPT_LENGTH + 1].rsplit(None, 1)[0]
        return cut.rstrip(" ,;:.-–—") + "…"

    @property
    def initial(self):
        """The letter the speaker is listed under: 'O' for Ørsted, '#' for anything else."""
        first = fold(self.name.strip()[:1]).upper()
        return first if first.isalpha() and first.isascii() else "#"

    @property
    def initials(self):
        """'AL' for Ada Lovelace, 'P' for Plato: shown in a circle where there is no photo."""
        words = [word for word in self.name.split() if word[:1].isalnum()]
        if not words:
            return "?"
        return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()

    @property
    def avatar_colour(self):
        """One of AVATAR_COLOURS, the same for a name on every page and every server."""
        return int(hashlib.sha256(self.name.encode()).hexdigest(), 16) % AVATAR_COLOURS

    @property
    def photo_urls(self):
        """[(size, URL)] of the photo's square copies, smallest first; [] without a photo."""
        if not self.photo_key:
            return []
        return [
            (size, default_storage.url(rendition_name(self.photo_key, size)))
            for size in PHOTO_SIZES
        ]

    @property
    def photo_srcset(self):
        return ", ".join(f"{url} {size}w" for size, url in self.photo_urls)

    def photo_url(self, size=PHOTO_SIZES[-1]):
        return dict(self.photo_urls).get(size, "")

    @property
    def affiliation(self):
        """'Research Scientist, Google DeepMind', or whichever part is known."""
        return ", ".join(part for part in (self.role, self.company) if part)


class SpeakerLink(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=100, help_text=_("Website, GitHub, …"))
    url = models.URLField(_("address"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["position", "id"]

    def __str__(self):
        return self.label
