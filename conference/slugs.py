"""Slugs that are unique within a conference, for everything made from a name: sessions,
speakers, stages, tracks and types, by hand, by import or by the generator."""

from django.utils.text import slugify

SUFFIX_ROOM = 6  # "-12345"


class UniqueSlugs:
    """Hands out slugify(text) (or a fallback word), with -2, -3 … until it is not taken."""

    def __init__(self, taken=(), *, max_length):
        self.taken = set(taken)
        self.max_length = max_length
        self._last_number = {}  # so a thousand "Lunch" sessions do not count from 2 each time

    def make(self, text, *, fallback):
        base = slugify(text)[: self.max_length - SUFFIX_ROOM].strip("-") or fallback
        slug, number = base, self._last_number.get(base, 1)
        while slug in self.taken:
            number += 1
            slug = f"{base}-{number}"
        self._last_number[base] = number
        self.taken.add(slug)
        return slug
