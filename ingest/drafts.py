"""Internet-Drafts as entities: the drafts RFCs came from and the drafts sessions discussed (pure).

Why a stage of its own: two sources name drafts, and one draft gets one node. The RFC
Editor JSON gives each RFC's ``draft`` with its last revision (``draft-ietf-tls-tls13-28``);
the meeting agendas' slide titles name drafts presented at sessions (``agenda_sessions``).
Each draft keeps:

* its name without the revision, and the highest revision either source gives;
* the RFC it became (the RFC Editor's ``draft`` field);
* its group, with the basis (``ietf:groupBasis``): ``rfc-attribution``, the group that produced
  the RFC it became (``ingest/attribution.py``: the RFC Editor ``source`` beats the draft name
  there, so a ``draft-ietf-avt-`` draft published by AVTCORE is avtcore's); or ``draft-name``,
  for a draft that became no RFC, when ``draft-ietf-<g>-`` names a known WG (``draft-irtf-<g>-``
  a known RG). Individual drafts (``draft-<author>-``) get no group: presenting a draft at a
  session does not make it the group's.

A ``draft`` value that is no draft name (RFC 6019's ``rfc4049bis``) is reported and skipped.
Names keep the upstream's case and dots (``draft-touch-msword-template-v2.0``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ietfkg.ingest.group_names import draft_group
from ietfkg.ingest.parsing import OnError
from ietfkg.ingest.records import AttributionRecord, DraftRecord, GroupRecord, RfcRecord, SessionRecord, SourceInfo
from ietfkg.ingest.rfc_editor import rfc_json_url
from ietfkg.schema.errors import ParseError

SOURCE = "drafts"

INFO = SourceInfo(
    name=SOURCE,
    title="Internet-Drafts: the drafts RFCs came from and those sessions discussed (derived)",
    origin="derived by ietf-kg from the rfc-editor source (draft), the datatracker-agenda source (slide titles) "
    "and the attribution source (producing group)",
    snapshot_date="2026-03-09",  # its newest input (the attribution's)
    description="Each draft's name, last revision, group (with its basis) and the RFC it became.",
)

_NAME = re.compile(r"^draft-[A-Za-z0-9.]+(?:-[A-Za-z0-9.]+)+$")
_REVISION = re.compile(r"^(.+)-(\d\d)$")
_KIND_OF_PREFIX = {"ietf": "wg", "irtf": "rg"}


@dataclass(slots=True)
class _Draft:
    revisions: set[str] = field(default_factory=set)
    rfc: int | None = None
    group: tuple[str, str] | None = None
    evidence: list[str] = field(default_factory=list)


def split_revision(draft: str) -> tuple[str, str | None]:
    """``draft-ietf-tls-tls13-28`` -> ``("draft-ietf-tls-tls13", "28")``; a name with no revision keeps None.

    >>> split_revision("draft-ietf-tls-tls13-28"), split_revision("draft-luckie-recn")
    (('draft-ietf-tls-tls13', '28'), ('draft-luckie-recn', None))
    """
    match = _REVISION.match(draft)
    return (match.group(1), match.group(2)) if match else (draft, None)


def derive(
    rfcs: Iterable[RfcRecord],
    attributions: Iterable[AttributionRecord],
    sessions: Iterable[SessionRecord],
    groups: Iterable[GroupRecord],
    on_error: OnError,
) -> Iterator[DraftRecord]:
    """One ``DraftRecord`` per draft name, sorted by name."""
    produced = {a.rfc: a.group for a in attributions if a.group}
    kinds = {g.acronym: g.type for g in groups if g.type}
    drafts: dict[str, _Draft] = {}
    for rfc in rfcs:
        if rfc.draft is None or rfc.status == "NOT ISSUED":
            continue
        if not _NAME.match(rfc.draft):
            on_error(ParseError(SOURCE, f"rfc{rfc.number}", f"draft {rfc.draft!r} is not a draft name"))
            continue
        name, revision = split_revision(rfc.draft)
        draft = drafts.setdefault(name, _Draft())
        draft.rfc = rfc.number
        draft.revisions.update([revision] if revision else [])
        draft.evidence.append(rfc_json_url(rfc.number))
        if group := produced.get(rfc.number):
            draft.group = (group, "rfc-attribution")
    for slide in (slide for session in sessions for slide in session.slides):
        for name, revision in slide.drafts:
            draft = drafts.setdefault(name, _Draft())
            draft.revisions.update([revision] if revision else [])
            draft.evidence.append(slide.url)
    for name in sorted(drafts):
        draft = drafts[name]
        group = draft.group if draft.rfc is not None else _named_group(name, kinds)
        yield DraftRecord(
            name=name,
            revision=max(draft.revisions, key=int) if draft.revisions else None,
            group=group[0] if group else None,
            group_basis=group[1] if group else None,
            rfc=draft.rfc,
            evidence=tuple(dict.fromkeys(draft.evidence)),
        )


def _named_group(name: str, kinds: dict[str, str]) -> tuple[str, str] | None:
    """The group a ``draft-ietf-<wg>-``/``draft-irtf-<rg>-`` name names, when a record knows it as one."""
    named = draft_group(name)
    if named is None:
        return None
    prefix, acronym = named
    return (acronym, "draft-name") if kinds.get(acronym) == _KIND_OF_PREFIX[prefix] else None
