"""Wires the build: read and parse every source, resolve people, map to triples,
load a new store, validate it, and swap it in. The only place the steps meet.

Nothing here renders output: progress goes through a ``Reporter`` so the CLI
can draw rich progress bars and tests can stay quiet.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial
from itertools import islice
from pathlib import Path
from tempfile import TemporaryDirectory

from pyoxigraph import Literal, NamedNode, Quad

from ietfkg.graph import backends, dataset, remote_publish
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.progress import QuietReporter, Reporter
from ietfkg.graph.store_dir import StoreDir
from ietfkg.graph.validate import Report, combined, validate_sparql
from ietfkg.graph.validation_worker import BackgroundValidation
from ietfkg.graph.void import class_counts, graph_size
from ietfkg.ingest import registry, source_checks
from ietfkg.ingest.apart import ApartReads
from ietfkg.ingest.fetch import local
from ietfkg.ingest.mapping import MapContext, Triple, map_record
from ietfkg.ingest.meta import ignore, write_description, write_statistics
from ietfkg.ingest.person_resolution import Tally, resolve
from ietfkg.ingest.records import CorrectionRecord, Record, SourceInfo
from ietfkg.ingest.resolution_sample import Score, score_sample
from ietfkg.ingest.source_checks import Finding
from ietfkg.ingest.sources.base import Parsed, Source
from ietfkg.schema.errors import BuildFailed, ParseError, ValidationFailed
from ietfkg.schema.vocab import IETF, XSD, Iris, meta_graph

DATE_TYPES = frozenset({XSD.date, XSD.gYearMonth, XSD.gYear})
# The backend a build writes, by its registry name: the on-disk store `ietfkg serve` opens.
BUILD_BACKEND = "oxigraph"
# Quads mapped and written at a time. Each bulk_extend sorts and writes files of its own, so
# fewer, larger batches cost the build less CPU (the README's build figures).
BATCH = 50_000


@dataclass(slots=True)
class SourceResult:
    info: SourceInfo
    records: int = 0
    triples: int = 0
    errors: list[ParseError] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # values the sanity rules caught


@dataclass(slots=True)
class BuildSummary:
    store: Path | str  # the build directory, or the SPARQL server URL for a remote build
    sources: list[SourceResult]
    classes: list[tuple[str, int]]
    unmatched_authors: int
    validation: Report | None
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    resolution: Tally | None = None  # author slots by resolution basis
    resolution_score: Score | None = None  # precision/recall against the hand-labelled sample

    @property
    def triples(self) -> int:
        return sum(s.triples for s in self.sources)

    @property
    def skipped(self) -> int:
        return sum(len(s.errors) for s in self.sources)

    @property
    def findings(self) -> list[Finding]:
        return [f for s in self.sources for f in s.findings]


# -- parse --------------------------------------------------------------------------
def parse_sources(
    snapshot: Path, reporter: Reporter, sources: Iterable[Source] | None = None
) -> tuple[dict[str, list[Record]], list[SourceResult]]:
    """Every source's records, in order (the registry's snapshot readers unless ``sources`` is given)."""
    parsed: dict[str, list[Record]] = {}
    results: list[SourceResult] = []
    sources = registry.snapshot_sources() if sources is None else tuple(sources)
    with ApartReads(sources, snapshot) as apart:
        for source in sources:
            result = SourceResult(source.info)
            parsed[source.info.name] = _checked(_read_source(source, snapshot, parsed, apart, result, reporter), result)
            results.append(result)
    _correct_and_label(parsed, results)
    return parsed, results


def _checked(records: list[Record], result: SourceResult) -> list[Record]:
    """The records with the values that break a per-record sanity rule left out (``source_checks``)."""
    kept, late = source_checks.without_late_dates(records, result.info)
    result.findings.extend(late + source_checks.undated_rfcs(records, result.info))
    return kept


def _correct_and_label(parsed: dict[str, list[Record]], results: list[SourceResult]) -> None:
    """Curated corrections meet the values left out; each entity keeps one preferred label."""
    by_name = {r.info.name: r for r in results}
    findings = [f for r in results for f in r.findings]
    for name, records in parsed.items():
        offered = [r for r in records if isinstance(r, CorrectionRecord)]
        if not offered:
            continue
        kept, findings, errors = source_checks.apply_corrections(offered, findings)
        parsed[name] = [r for r in records if not isinstance(r, CorrectionRecord)] + list(kept)
        by_name[name].errors.extend(errors)
        by_name[name].records = len(parsed[name])
    for result in results:
        result.findings = [f for f in findings if f.source == result.info.name]
    for finding in source_checks.one_preferred_label(parsed, {r.info.name: r.info for r in results}):
        by_name[finding.source].findings.append(finding)


def _read_source(
    source: Source, snapshot: Path, parsed: Parsed, apart: ApartReads, result: SourceResult, reporter: Reporter
) -> list[Record]:
    """One source's records (read apart, or here), counted in ``result`` with its errors."""
    task = f"parse {source.info.name}"
    reporter.begin(task)
    if (read_apart := apart.take(source.info.name)) is not None:
        records, errors = read_apart
        result.errors.extend(errors)
        reporter.advance(task, len(records))
    else:
        records = []
        for record in source.read(snapshot, parsed, result.errors.append):
            records.append(record)
            reporter.advance(task)
    result.records = len(records)
    reporter.end(task, f"{len(records)} records, {len(result.errors)} skipped")
    return records


# -- load ---------------------------------------------------------------------------
def _triples(records: Iterable[Record], ctx: MapContext, source: str) -> Iterator[Triple]:
    for record in records:
        yield from map_record(record, ctx, source)


def load_sources(
    store: OxigraphBackend,
    parsed: Parsed,
    results: list[SourceResult],
    ctx: MapContext,
    reporter: Reporter,
    validation: BackgroundValidation | None = None,
    written: dataset.WrittenTriples | None = None,
) -> None:
    for result in results:
        name = result.info.name
        graph = ctx.iris.graph(name)
        reporter.begin(f"load {name}", result.records)
        mapped = _triples(parsed[name], ctx, name)
        dated: set[NamedNode] = set()
        # in batches, so the background validation parses one while the next is mapped
        while triples := list(islice(mapped, BATCH)):
            lines, blank = dataset.ntriples_lines(triples)
            if blank:
                raise TypeError(f"{blank[0]}: a mapped triple has a blank node, whose label would name another node in each batch")
            store.extend_ntriples("".join(lines).encode(), graph)
            if written is not None:
                written.add(graph, triples)
            if validation is not None:
                validation.feed_lines(triples, lines)
            dated.update(p for _, p, o in triples if type(o) is Literal and o.datatype in DATE_TYPES)
        # which predicates carry this source's dates: SHACL checks none is after its snapshot
        dates = [Quad(graph, IETF.statesDatesWith, p, meta_graph(ctx.iris)) for p in sorted(dated, key=str)]
        store.extend(dates)
        if validation is not None:
            validation.feed(dates)
        # counted in the store: records repeat statements (an author's name in each of their RFCs)
        result.triples = graph_size(store, graph)
        if written is not None:
            written.finish(graph)
        reporter.end(f"load {name}", f"{result.triples} triples")


# -- build --------------------------------------------------------------------------
def build(
    store_root: Path,
    base: str,
    *,
    strict: bool = False,
    validate: bool = True,
    reporter: Reporter | None = None,
    snapshot: Path | None = None,
    sources: Iterable[Source] | None = None,
    synced: Mapping[str, str] | None = None,
) -> BuildSummary:
    """Build the graph into a new store and make it current; the old one serves until then.

    ``synced`` maps live source names to the time (ISO 8601, UTC) their fetch
    began; it is stored as ``ietf:lastSynced`` on the source graph.
    """
    reporter = reporter or QuietReporter()
    started = time.perf_counter()
    timings: dict[str, float] = {}
    # The validator starts first: it imports pyshacl while the sources are parsed.
    with BackgroundValidation() if validate else nullcontext() as validation:
        with _timed(timings, "parse"):
            parsed, results = parse_sources(snapshot or local.snapshot_dir(), reporter, sources)
        errors = [err for r in results for err in r.errors]
        if strict and errors:
            raise BuildFailed(f"{len(errors)} bad records (strict mode); first: {errors[0]}")
        people = resolve(parsed)  # the resolution stage (ingest/person_resolution.py)
        ctx = MapContext(Iris(base), people)
        fill = partial(
            _fill, parsed=parsed, results=results, ctx=ctx, reporter=reporter, validation=validation,
            timings=timings, synced=synced,
        )
        final, report, classes = _new_store(StoreDir(store_root), fill)
    return BuildSummary(
        store=final,
        sources=results,
        classes=classes,
        unmatched_authors=len(people.unmatched_authors()),
        resolution=people.tally(),
        resolution_score=score_sample(people),
        validation=report,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def build_remote(url: str, base: str, **options: object) -> BuildSummary:
    """Build locally (parse, map, validate), then publish the result to a remote SPARQL server.

    The server keeps serving its current graphs until the new generation is
    uploaded and checked and one small record switches readers to it
    (``graph/remote_publish.py``); a failure anywhere before that leaves them untouched.
    ``seconds`` is the whole of it, publishing included.
    """
    started = time.perf_counter()
    reporter = options.get("reporter")
    with TemporaryDirectory(prefix="ietfkg-build-") as tmp:
        summary = build(Path(tmp), base, **options)  # type: ignore[arg-type]
        with _timed(summary.timings, "publish"):
            iris = Iris(base)
            local = _open_build(Path(summary.store), read_only=True)
            plan = remote_publish.plan(
                local.quads(),
                local.default_graph(),
                remote_publish.new_generation(),
                iris.graph(dataset.RECORD),
            )
            del local
            remote = backends.get("sparql").open(url)
            try:
                remote.publish(plan, iris.graph(remote_publish.JOURNAL).value, reporter)  # type: ignore[arg-type]
            finally:
                remote.close()
    summary.store = url
    summary.seconds = time.perf_counter() - started
    return summary


def _open_build(path: Path, read_only: bool) -> OxigraphBackend:
    """A build's store, opened through the backend registry like every other store.

    The build writes with the bulk loader and merges the default graph in pyoxigraph
    (``graph/dataset.py``), which only the oxigraph backend has.
    """
    opened = backends.open_backend(BUILD_BACKEND, path, read_only=read_only)
    if not isinstance(opened, OxigraphBackend):
        raise TypeError(f"the {BUILD_BACKEND!r} backend is no pyoxigraph store; a build writes only those")
    return opened


def _new_store(
    store_dir: StoreDir, fill: Callable[[Path], tuple[Report | None, list[tuple[str, int]]]]
) -> tuple[Path, Report | None, list[tuple[str, int]]]:
    """``fill`` a new build directory and make it current; on any failure, only the old store is left."""
    building = store_dir.new_build()
    try:
        report, classes = fill(building)
        return store_dir.commit(building), report, classes
    except BaseException:
        store_dir.abandon(building)
        raise


@contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = timings.get(phase, 0.0) + time.perf_counter() - started


def _fill(
    building: Path,
    *,
    parsed: Parsed,
    results: list[SourceResult],
    ctx: MapContext,
    reporter: Reporter,
    validation: BackgroundValidation | None,
    timings: dict[str, float],
    synced: Mapping[str, str] | None = None,
) -> tuple[Report | None, list[tuple[str, int]]]:
    store = _open_build(building, read_only=False)
    feed = validation.feed if validation is not None else ignore
    with _timed(timings, "map+load"):
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_description(store, results, ctx.iris, now, synced, feed)
        written = dataset.WrittenTriples()
        load_sources(store, parsed, results, ctx, reporter, validation, written)
    if validation is not None:
        validation.seal()  # the rest is statistics: validation runs while they are counted
    with _timed(timings, "meta+void"):
        write_statistics(store, results, ctx.iris, feed, written)
        del written
        classes = class_counts(store)
    with _timed(timings, "validate-sparql"):  # the SPARQL-based shapes, on the store (pyshacl has the rest)
        store_report = validate_sparql(store) if validation is not None else Report(True)
    with _timed(timings, "optimize"):
        store.optimize()
    report = None
    if validation is not None:
        reporter.begin("validate (SHACL)")
        with _timed(timings, "validate"):  # what is left of the background validation: the wait
            report = combined([validation.finish(), store_report])
        reporter.end("validate (SHACL)", "conforms" if report.conforms else f"{len(report.violations)} violations")
        if not report.conforms:
            shown = "\n".join(f"  {v}" for v in report.violations[:20])
            raise ValidationFailed(f"the built graph violates {len(report.violations)} SHACL constraints:\n{shown}")
    del store
    gc.collect()  # release the RocksDB handle before the directory is renamed
    return report, classes
