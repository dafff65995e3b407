"""Story ratings as the archives write them, ordered from lowest to highest."""
from __future__ import annotations

# Ratings from the usual archives, lowest to highest (AO3, fanfiction.net, film-style, fiction ratings).
_RATING_LEVELS = (
    ("g", "general audiences", "general", "k", "all ages", "gen"),
    ("pg", "k+", "teen", "teen and up audiences", "teen and up", "t", "pg13", "pg-13", "fr13"),
    ("r", "m", "mature", "fr15", "fr18", "16+"),
    ("nc-17", "nc17", "ma", "explicit", "e", "x", "18+", "fr21", "adult"),
)


def rating_level(rating: str | None) -> int | None:
    """G -> 0, PG/T -> 1, R/M -> 2, NC-17/E -> 3; None for unknown or unstated ratings."""
    if not rating:
        return None
    key = rating.strip().casefold()
    for level, names in enumerate(_RATING_LEVELS):
        if key in names:
            return level
    return None


_SHOWN = (("G", "K", "General Audiences"), ("PG", "PG-13", "T", "K+", "Teen And Up Audiences"), ("R", "M", "Mature"),
          ("NC-17", "E", "MA", "Explicit"))
KNOWN_RATINGS = "ratings read, lowest to highest: " + "; ".join(", ".join(names) for names in _SHOWN)
