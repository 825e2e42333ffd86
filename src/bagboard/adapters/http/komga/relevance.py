"""How well a title answers a search, for Komga's ``relevance`` sort.

Komga ranks with its full-text index; bagboard's search is a case-insensitive substring, so
relevance is the kind of match: the whole title, then a title that starts with the search,
then one that only contains it, then the rest (found some other way). Ties keep the list's
default order, so one search always pages the same way.
"""

from __future__ import annotations

__all__ = ["NO_MATCH", "rank"]

NO_MATCH = 3


def rank(folded: str, *texts: str) -> int:
    """0 when a text is the (casefolded) search, 1 when one starts with it, 2 when one holds
    it, ``NO_MATCH`` otherwise; the best of ``texts`` counts."""
    best = NO_MATCH
    for text in texts:
        candidate = text.strip().casefold()
        if candidate == folded:
            return 0
        if candidate.startswith(folded):
            best = min(best, 1)
        elif folded in candidate:
            best = min(best, 2)
    return best
