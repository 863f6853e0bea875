"""The sources, once, in build order: one row each, naming its module and what it has.

As rdflib's plugin registry does, a row names a module by path and the module is imported
on first use. A row says whether the source has a snapshot reader (``read``), a live
source (``live(config, client, reporter) -> Source``), whether a live build fetches it
from upstream (its graph gets ``ietf:lastSynced``) and whether it is read apart, in a
second process (``ingest/apart.py``). The snapshot build (``pipeline.build``) and the live
build (``live.live_sources``) both read this table, and nothing else lists the sources:
adding one means its module under ``ingest/sources/`` plus one row here.

Order matters: a reader sees the records of the rows above it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from ietfkg.ingest.sources.base import Source

PACKAGE = "ietfkg.ingest.sources"


@dataclass(frozen=True, slots=True)
class Row:
    name: str  # the source's name: its graph, its ``SourceInfo.name``
    module: str  # under ``ietfkg.ingest.sources``
    snapshot: bool = True  # has a snapshot reader, ``read``
    live: bool = False  # has a live source, ``live``; without one a live build reads the snapshot
    synced: bool = False  # a live build fetches it from upstream
    apart: bool = False  # slow, and reads no earlier source: read in a second process meanwhile

    def load(self) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{self.module}")


ROWS: tuple[Row, ...] = (
    Row("datatracker", "datatracker", snapshot=False, live=True, synced=True),
    Row("datatracker-agenda", "agendas"),
    Row("datatracker-meetings", "meetings"),
    Row("power-map", "power_map", live=True),  # live: stated Datatracker roles replace the sightings
    Row("curated", "curated"),
    Row("area-names", "area_names"),  # before the roll calls: their area names get acronyms
    Row("iab-programs", "iab_programs"),
    Row("iesg-roll-calls", "roll_calls", live=True),  # live: as the power map
    Row("rfc-editor", "rfc_editor", live=True, synced=True),
    Row("corrections", "corrections"),  # of values the sanity rules left out (ingest/source_checks.py)
    Row("attribution", "attribution"),  # after every source of group records and the RFCs
    Row("areas", "areas"),  # after the attribution: an RFC's area counts for its producer
    Row("drafts", "drafts"),  # after the agendas' sessions and the attribution
    Row("relaton-subseries", "subseries", apart=True),  # YAML: the slowest source to decode
    Row("subseries-history", "subseries_history"),  # after the RFCs and Relaton
    Row("protocols", "protocols"),
)


class UnknownSource(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no source registered as {name!r}; known: {', '.join(r.name for r in ROWS)}")


def row(name: str) -> Row:
    for found in ROWS:
        if found.name == name:
            return found
    raise UnknownSource(name)


def snapshot_source(found: Row) -> Source:
    """The row's snapshot reader, with its provenance."""
    module = found.load()
    return Source(module.INFO, module.read, apart=found.apart)


@cache
def snapshot_sources() -> tuple[Source, ...]:
    """The snapshot build's sources, in order: every row with a snapshot reader."""
    return tuple(snapshot_source(r) for r in ROWS if r.snapshot)
