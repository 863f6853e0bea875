"""The meta graph: what the build says about the data it loaded.

Written in two parts around the sources. ``write_description`` comes first, before any
source: each source graph's provenance, the role labels, the dataset's VoID description
and the ontology (whose class hierarchy SHACL reads), so the background validation has it
before the feed is sealed. ``write_statistics`` comes after the sources: each graph's
size, the merged default graph (``graph/dataset.py``) and the VoID statistics of it.
Every quad written also goes to ``feed`` (the background SHACL validation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Protocol

from pyoxigraph import Literal, Quad, RdfFormat
from pyoxigraph import parse as parse_rdf

from ietfkg.graph.dataset import WrittenTriples, merge_sources
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.void import void_description, void_statistics
from ietfkg.ingest.mapping import map_source_info, role_labels, source_size
from ietfkg.ingest.records import SourceInfo
from ietfkg.schema.vocab import IETF, ROLE_LABELS, XSD, Iris, meta_graph

ONTOLOGY_GRAPH = "ontology"

Feed = Callable[[Iterable[Quad]], None]  # sees every quad written (the background SHACL validation)


def ignore(quads: Iterable[Quad]) -> None:
    """The feed of a build without validation."""


class Sized(Protocol):
    """What ``write_statistics`` needs of a source's result: its provenance and its size."""

    info: SourceInfo
    triples: int


def write_description(
    store: OxigraphBackend,
    results: Sequence[Sized],
    iris: Iris,
    built_at: str,
    synced: Mapping[str, str] | None = None,
    feed: Feed = ignore,
) -> None:
    """The meta graph's part known before loading: PROV of each source graph, role labels, the
    dataset's VoID description, and the ontology (whose class hierarchy SHACL reads)."""
    meta = meta_graph(iris)
    triples = [t for r in results for t in map_source_info(r.info, iris.graph(r.info.name), built_at)]
    # Live sources: when the data was last fetched from upstream (``ietfkg update`` reads it back).
    triples.extend(
        (iris.graph(name), IETF.lastSynced, Literal(when, datatype=XSD.dateTime))
        for name, when in (synced or {}).items()
    )
    triples.extend(role_labels(ROLE_LABELS))
    triples.extend(void_description(iris, "ietf-kg"))
    ontology = parse_rdf((files("ietfkg.schema") / "ontology.ttl").read_bytes(), format=RdfFormat.TURTLE)
    written = [Quad(s, p, o, meta) for s, p, o in triples]
    written += [Quad(q.subject, q.predicate, q.object, iris.graph(ONTOLOGY_GRAPH)) for q in ontology]
    store.extend(written)
    feed(written)


def write_statistics(
    store: OxigraphBackend,
    results: Sequence[Sized],
    iris: Iris,
    feed: Feed = ignore,
    written: WrittenTriples | None = None,
) -> None:
    """The meta graph's counts of the loaded store, and the merged default graph they describe."""
    meta = meta_graph(iris)
    sizes = [Quad(*source_size(iris.graph(r.info.name), r.triples), meta) for r in results]
    store.extend(sizes)
    feed(sizes)
    biggest = max(results, key=lambda r: r.triples, default=None)
    # the default graph counts each triple once, VoID included
    merge_sources(store.store, iris, largest=iris.graph(biggest.info.name) if biggest else None, written=written)
    store.read_dataset()  # the statistics describe the merged default graph just recorded
    counted = {iris.graph(r.info.name).value: r.triples for r in results}
    void = [Quad(s, p, o, meta) for s, p, o in void_statistics(store, iris, counted)]
    store.extend(void)
    feed(void)
    merge_sources(store.store, iris, only=[meta])
    store.read_dataset()
