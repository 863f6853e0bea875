"""The cyclic garbage collector tuned for serving: ``for_requests``.

A request builds thousands of short-lived containers (statement maps, node objects, the
answer's dicts) that live until it is answered and are then freed by reference counting.
With CPython's default first-generation threshold (700 net allocations) a GraphQL request
that reads the store triggers several young collections, and every tenth one also walks
everything the request still holds; none of them finds garbage to free. A threshold above
what one request allocates lets most requests finish between collections. Cycles are still
collected, only later; the long-lived startup state is out of the collector's way already
(``gc.freeze`` in ``derived.py``).
"""

from __future__ import annotations

import gc

# Net container allocations between young collections: above one nested GraphQL request's.
YOUNG_THRESHOLD = 50_000


def for_requests() -> None:
    """Raise the young generation's threshold (the older generations' stay CPython's)."""
    young, older, oldest = gc.get_threshold()
    gc.set_threshold(max(YOUNG_THRESHOLD, young), older, oldest)
