"""Historical sub-series membership: the RFCs that were part of a BCP, STD or FYI entry (pure).

Why a stage of its own: a sub-series entry is a stable name for a changing set of RFCs (STD 7
was RFC 793 until RFC 9293 replaced it in 2022). Relaton lists what each entry includes *now*
(``dcterms:isPartOf``, from ``relaton_subseries``); the RFC Editor JSON's ``see_also`` lists the
entries an RFC is or was part of, and keeps listing an RFC after it left (RFC 793 still says
STD0007). So an RFC whose ``see_also`` names an entry that Relaton's list does not include was
part of it and no longer is: ``ietf:formerlyPartOf``. Membership both agree on is current and
stays ``dcterms:isPartOf``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ietfkg.ingest.records import FormerMembership, RfcRecord, SourceInfo, SubSeriesRecord
from ietfkg.ingest.rfc_editor import rfc_json_url

SOURCE = "subseries-history"

INFO = SourceInfo(
    name=SOURCE,
    title="Historical RFC sub-series membership (derived)",
    origin="derived by ietf-kg from the rfc-editor source (see_also) and the relaton-subseries source (current members)",
    snapshot_date="2024-04-01",  # its newest input (Relaton)
    description="RFCs the RFC Editor lists under a BCP, STD or FYI entry that no longer includes them.",
)


def derive(rfcs: Iterable[RfcRecord], entries: Iterable[SubSeriesRecord]) -> Iterator[FormerMembership]:
    """One ``FormerMembership`` per (RFC, entry) that ``see_also`` names and the entry no longer includes."""
    current = {(e.series, e.number): (set(e.rfcs), e.evidence) for e in entries}
    for rfc in sorted(rfcs, key=lambda r: r.number):
        for series, number in rfc.see_also_series:
            members, evidence = current.get((series, number), (set(), ()))
            if rfc.number not in members and rfc.status != "NOT ISSUED":
                yield FormerMembership(rfc.number, series, number, (rfc_json_url(rfc.number), *evidence))
