"""Role holdings as sentences: "Kathleen Moriarty — Area Director, from 2015-04-23 to 2017-03-16".

The sources record one membership per source and observed span (a roll-call run, a snapshot of
the power map), so the same tenure arrives in pieces. A page shows one line per person, group
and role: from the earliest date any source gives to the latest. A holding is current when it
has no end, or when it was seen on the latest date any source observed a role.
"""

from __future__ import annotations

from dataclasses import dataclass

from ietfkg.api.pages.links import Value
from ietfkg.api.pages.page import Page

BASIS = {"stated": "dates stated by the source", "observed": "dates as first and last seen in the sources"}


@dataclass(frozen=True, slots=True)
class Holding:
    """One person's role in one group, and its tenure in words."""

    person: Value | None
    group: Value | None
    role: str
    start: str | None
    end: str | None
    open_ended: bool
    basis: str
    current: bool

    @property
    def tenure(self) -> str:
        start, end = self.start, self.end
        if start and self.open_ended:
            return f"since {start}"
        if start and end:
            return f"from {start} to {end}" if start != end else f"seen on {start}"
        return f"until {end}" if end else "no dates given"


def _earliest(*dates: str | None) -> str | None:
    return min((d for d in dates if d), default=None)


def _latest(*dates: str | None) -> str | None:
    return max((d for d in dates if d), default=None)


async def holdings(page: Page) -> list[Holding]:
    """The entity's role holdings (as person or as group), current first, then newest first."""
    rows = (await page.rows("page_memberships")).rows
    latest = (await page.rows("page_latest_observation", about=False)).first().get("latest")
    merged: dict[tuple[str | None, str | None, str | None], list[dict]] = {}
    for row in rows:
        merged.setdefault((row["person"], row["group"], row["role"]), []).append(row)
    out = []
    for (person, group, role), parts in merged.items():
        first = parts[0]
        start = _earliest(*(_earliest(r["start"], r["firstSeen"]) for r in parts))
        end = _latest(*(_latest(r["end"], r["lastSeen"]) for r in parts))
        open_ended = any(r["start"] and not r["end"] and not r["lastSeen"] for r in parts)
        bases = sorted({BASIS.get(r["basis"] or "", r["basis"] or "") for r in parts} - {""})
        out.append(
            Holding(
                person=page.named(person, first["personName"]),
                group=page.named(group, first["groupName"] or first["acronym"]),
                role=first["roleName"] or (role or "").rsplit("-", 1)[-1],
                start=start,
                end=end,
                open_ended=open_ended,
                basis="; ".join(bases),
                current=open_ended or (latest is not None and end == latest),
            )
        )
    return sorted(out, key=lambda h: (h.current, h.end or "", h.start or ""), reverse=True)
