"""Search that ignores case and accents, the same on SQLite and PostgreSQL.

Both databases get a function `schedule_fold(text)`: PostgreSQL's from the unaccent
extension (created by a migration), SQLite's from fold() below (registered on connect).
The query text is folded in Python, so "zurich" finds "Zürich" and "GEMMA" finds "Gemma 4".
"""

import unicodedata

from django.db.models import CharField, Func, Q
from django.db.models.lookups import Contains

# Letters that Unicode does not decompose but that unaccent maps, so both databases agree.
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l",
     "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"}
)  # fmt: skip

MAX_QUERY_LENGTH = 200


def fold(text):
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def clean_query(text):
    """What a search box sent, without control characters (PostgreSQL refuses NUL)."""
    return "".join(char for char in text if char.isprintable()).strip()


def normalise_query(text):
    """The folded, whitespace-collapsed words of a search box's text."""
    return " ".join(fold(text).split())


def search_words(query):
    """The words a search looks for, each of which must be found somewhere."""
    return normalise_query(query).split()


def contains_word(word, *fields):
    """Any of the fields contains the (folded) word, ignoring case and accents."""
    return Q.create([Contains(Fold(field), word) for field in fields], connector=Q.OR)


class Fold(Func):
    function = "schedule_fold"
    output_field = CharField()


def register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("schedule_fold", 1, fold, deterministic=True)
