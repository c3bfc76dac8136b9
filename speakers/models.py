from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from conference.models import Conference, ConferencePartManager
from conference.search import contains_word, fold, search_words

BIO_EXCERPT_LENGTH = 250


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


class Speaker(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("conference")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="speakers/", blank=True)
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
