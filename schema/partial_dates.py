"""Dates a source gives to the month or the year ("2019-08", "2014"), as the days they cover.

In the lowest layer: the areas stage spans its sightings with them, and the area map places a
group stated as opened in one month and closed in another.
"""

from __future__ import annotations

import calendar
from datetime import date


def first_day(seen: str) -> date:
    """``"2019-08"`` -> 2019-08-01; a full date stays itself.

    >>> first_day("2019-08"), first_day("2021-03-08")
    (datetime.date(2019, 8, 1), datetime.date(2021, 3, 8))
    """
    parts = [int(p) for p in seen.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(seen: str) -> date:
    """``"2019-02"`` -> 2019-02-28; a full date stays itself.

    >>> last_day("2020-02"), last_day("2021-03-08")
    (datetime.date(2020, 2, 29), datetime.date(2021, 3, 8))
    """
    parts = [int(p) for p in seen.split("-")]
    if len(parts) > 2:
        return date(*parts[:3])
    month = parts[1] if len(parts) > 1 else 12
    return date(parts[0], month, calendar.monthrange(parts[0], month)[1])
