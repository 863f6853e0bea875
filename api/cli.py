"""The ``ietfkg`` command: build, serve, query, export, validate, stats.

The only module that turns ``IetfKgError`` into exit codes, and the only face
that calls ``ingest.pipeline``. Every command takes ``--store DIR`` (default
``./var/store``, env ``IETFKG_STORE``).
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from pyoxigraph import NamedNode
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ietfkg.api.progress import RichReporter
from ietfkg.api.settings import Settings, table
from ietfkg.api.summary import print_stats, print_summary
from ietfkg.graph import dataset, exports
from ietfkg.graph.backends import Backend, current_build, is_remote, open_backend, open_store
from ietfkg.schema.errors import BadQuery, IetfKgError, RequestError, ResultCut

app = typer.Typer(
    help="ietf-kg: a knowledge graph of the IETF, IRTF and IAB.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _console(stderr: bool) -> Console:
    # Piped output is not a terminal: no wrapping at 80 columns, so tables and
    # messages stay greppable in scripts and logs.
    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(stderr=stderr, width=240, soft_wrap=True)


err = _console(stderr=True)
out = _console(stderr=False)
INCOMPLETE = 3  # the exit status of `query` when a remote server cut the result (what came is written)
STARTED = time.monotonic()  # durations the CLI reports are the whole command's wall clock

StoreOpt = Annotated[
    Optional[str],
    typer.Option(
        "--store",
        envvar="IETFKG_STORE",
        help="store directory, or sparql+http://host:port for a remote server [default: ./var/store]",
    ),
]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="output format")]
BaseUrlOpt = Annotated[
    Optional[str],
    typer.Option(
        "--base-url", envvar="IETFKG_LIVE_BASE_URL", help="live: one base URL for both upstreams (a mirror)"
    ),
]
CacheDirOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--cache-dir",
        envvar="IETFKG_CACHE_DIR",
        help="live: HTTP cache + mirror [default: <store>/live-cache]",
    ),
]


def _settings(store: str | None, **overrides: object) -> Settings:
    return Settings.from_env(store=store or None, **overrides)


def _open(settings: Settings) -> Backend:
    """One-off commands read the on-disk store directly: copying it to memory costs more than it saves."""
    return open_store(settings.store, "oxigraph")


@app.command()
def build(
    store: StoreOpt = None,
    strict: Annotated[bool, typer.Option(help="fail on the first bad record instead of skipping it")] = False,
    validate: Annotated[
        bool, typer.Option(help="run the SHACL shapes (the build fails on violations)")
    ] = True,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="do nothing if a store is already built")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
    snapshot: Annotated[
        Optional[Path], typer.Option(help="build from another snapshot directory with the bundled layout")
    ] = None,
    source: Annotated[
        str, typer.Option(help="snapshot (bundled files) or live (Datatracker API + RFC Editor)")
    ] = "snapshot",
    base_url: BaseUrlOpt = None,
    cache_dir: CacheDirOpt = None,
) -> None:
    """Build the graph from the bundled snapshot (or live upstreams) into a new store, then swap it in."""
    from ietfkg.ingest.pipeline import build as run_build  # heavy (pyshacl): only when building
    from ietfkg.ingest.pipeline import build_remote

    settings = _settings(store)
    remote = is_remote(settings.store)
    if if_missing and not remote and current_build(settings.store) is not None:
        err.print(f"store already built in {settings.store}; skipping (drop --if-missing to rebuild)")
        return
    if source not in ("snapshot", "live"):
        raise RequestError(f"unknown --source {source!r}; known: snapshot, live")
    if source == "live" and remote:
        raise RequestError("live builds keep their HTTP cache next to a local store; use a store directory")
    if source == "live":
        _live(settings, base_url, cache_dir, incremental=False, strict=strict, validate=validate, quiet=quiet)
        return
    reporter = RichReporter(err, enabled=not quiet)
    with reporter:
        summary = (build_remote if remote else run_build)(
            settings.store if remote else settings.store_path,  # type: ignore[arg-type]
            settings.base,
            strict=strict,
            validate=validate,
            reporter=reporter,
            snapshot=snapshot,
        )
    print_summary(err, replace(summary, seconds=time.monotonic() - STARTED))


@app.command()
def update(
    store: StoreOpt = None,
    base_url: BaseUrlOpt = None,
    cache_dir: CacheDirOpt = None,
    strict: Annotated[bool, typer.Option(help="fail on the first bad record instead of skipping it")] = False,
    validate: Annotated[
        bool, typer.Option(help="run the SHACL shapes (the update fails on violations)")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bars")] = False,
) -> None:
    """Bring a live-built graph up to date: fetch what changed since the last sync, rebuild, swap.

    A failed update leaves the serving graph untouched; without a previous live
    sync this is a full live build.
    """
    _live(
        _settings(store), base_url, cache_dir, incremental=True, strict=strict, validate=validate, quiet=quiet
    )


def _live(
    settings: Settings,
    base_url: str | None,
    cache_dir: Path | None,
    *,
    incremental: bool,
    strict: bool,
    validate: bool,
    quiet: bool,
) -> None:
    """A live build: fetch through the polite cached client, build, swap, then say what changed."""
    from datetime import datetime, timezone

    from ietfkg.api.summary import Facts, graph_facts, last_synced, print_changes
    from ietfkg.ingest.fetch.http_cache import HttpCache
    from ietfkg.ingest.fetch.http_client import HttpSettings, LiveClient
    from ietfkg.ingest.live import LiveConfig, live_sources
    from ietfkg.ingest.pipeline import build as run_build

    cache = cache_dir or settings.store_path / "live-cache"
    current = current_build(settings.store)
    before, since = Facts(), None
    if current is not None:
        backend = open_backend("oxigraph", current)
        before = graph_facts(backend)
        synced = last_synced(backend).get("datatracker")
        since = datetime.fromisoformat(synced) if synced and incremental else None
        del backend
    if incremental and since is None:
        err.print("no previous live sync in this store: fetching everything")
    config = LiveConfig.for_base(cache, base_url, since=since, started=datetime.now(timezone.utc))
    reporter = RichReporter(err, enabled=not quiet)
    with LiveClient(HttpSettings.from_env(), HttpCache(cache / "http")) as client, reporter:
        summary = run_build(
            settings.store_path,
            settings.base,
            strict=strict,
            validate=validate,
            reporter=reporter,
            sources=live_sources(config, client, reporter),
            synced=config.synced(),
        )
    print_summary(err, replace(summary, seconds=time.monotonic() - STARTED))
    stats = client.stats
    err.print(
        f"HTTP: {stats.requests} requests, {stats.not_modified} not modified, {stats.from_cache} from cache, "
        f"{len(stats.retries)} retries; synced as of {config.synced()['datatracker']}"
    )
    print_changes(err, before, graph_facts(open_backend("oxigraph", summary.store)))


@app.command()
def query(
    sparql: Annotated[str, typer.Argument(help="a SPARQL query, or @file.rq")],
    store: StoreOpt = None,
    fmt: FormatOpt = "",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="write to a file")] = None,
) -> None:
    """Run a read-only SPARQL query; SELECT/ASK -> csv|tsv|json|xml, CONSTRUCT -> ttl|nt|jsonld|xml.

    Every row is written (no row cap). If a remote server cut the result at its own cap,
    what came is written, a notice says so on stderr, and the exit status is 3.
    """
    text = _query_text(sparql)
    backend = _open(_settings(store))
    cut: ResultCut | None = None
    try:
        result = backend.raw_query(text)  # never capped here; a remote server's own cap raises ResultCut
    except ResultCut as exc:
        result, cut = exc.partial, exc
    kind = exports.result_kind(result)
    chosen = exports.get(fmt or ("csv" if kind == "results" else "ttl"), kind)
    _write(exports.serialize(result, chosen), output)
    if cut is not None:
        err.print(f"[yellow]notice: the result is incomplete:[/yellow] {escape(cut.message)}", highlight=False)
        raise typer.Exit(INCOMPLETE)


@app.command()
def export(
    store: StoreOpt = None,
    fmt: FormatOpt = "nq",
    graph: Annotated[Optional[str], typer.Option(help="one named graph (source name or IRI)")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="write to a file")] = None,
) -> None:
    """Export the whole graph (nq/trig keep the named graphs) or one named graph (``--graph meta``: VoID).

    ``graphml`` and ``gexf`` (for Gephi) write the entity graph: entities as nodes
    with label and type attributes, links between them as edges.
    """
    chosen = exports.find(fmt, ("rdf", "network"))
    settings = _settings(store)
    backend = _open(settings)
    node = _graph_node(graph, backend) if graph else None
    if chosen.kind == "network":
        from ietfkg.graph import entity_graph

        _write(entity_graph.write(entity_graph.build(backend, node), chosen), output)
        return
    _write(backend.dump(chosen.native, node), output)


@app.command()
def validate(store: StoreOpt = None) -> None:
    """Check the built store against the SHACL shapes and list violations."""
    from ietfkg.graph.validate import validate_store

    report = validate_store(_open(_settings(store)))
    for violation in report.violations:
        out.print(str(violation), markup=False)
    if not report.conforms:
        err.print(f"[red]{len(report.violations)} violations[/red]")
        raise typer.Exit(1)
    err.print("[green]the graph conforms to the shapes[/green]")


@app.command()
def stats(store: StoreOpt = None) -> None:
    """Triples per source graph with provenance, and entities per class."""
    print_stats(out, _open(_settings(store)))


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[
        Optional[str], typer.Option(help="address to bind [default: IETFKG_HOST or 127.0.0.1]")
    ] = None,
    port: Annotated[
        Optional[int], typer.Option(help="port, 0 picks a free one [default: IETFKG_PORT or 8000]")
    ] = None,
) -> None:
    """Serve the built store over HTTP (GraphQL, SPARQL, pages) on localhost.

    Logs ``ietfkg ready on <url> (...)`` once the SPARQL workers have loaded the store. With
    ``server_processes`` > 1, uvicorn's supervisor runs that many server processes on the one
    socket (``api/app.py``'s ``from_environment``; readiness across them: ``api/process_board.py``).
    """
    import dataclasses
    import socket

    import uvicorn

    from ietfkg.api import http_server
    from ietfkg.api.app import create_app

    settings = _settings(store, host=host, port=port)
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.create_server((settings.host, settings.port), family=family)  # bound first: port 0 gets its number
    settings = dataclasses.replace(settings, port=sock.getsockname()[1])
    if settings.server_processes > 1:
        http_server.serve_processes(settings, sock)
        return
    config = http_server.config(create_app(settings), log_level="info", access_log=bool(settings.access_log))
    uvicorn.Server(config).run(sockets=[sock])


@app.command()
def viz(
    out_path: Annotated[
        Path, typer.Option("--out", "-o", help="area-map.svg, .html or .png (PNG needs chromium)")
    ],
    store: StoreOpt = None,
    at: Annotated[
        str | None, typer.Option("--at", help="the map on this day (YYYY-MM-DD): areas, WGs and ADs then")
    ] = None,
) -> None:
    """Write the area map (areas, their groups, weighted area relations) as a static picture."""
    from ietfkg.api import viz_export
    from ietfkg.graph import area_map, area_timeline

    settings = _settings(store)
    if at is None:
        drawn = area_map.area_map(_open(settings), settings.base)
    else:
        day = area_timeline.parse_day(at)
        dated = area_timeline.timeline(_open(settings), settings.base)
        drawn = area_timeline.snapshot(dated, area_timeline.Span(day, day))
    viz_export.write(drawn, out_path)
    err.print(f"wrote the area map{f' on {at}' if at else ''} to {out_path}")


@app.command("settings")
def show_settings() -> None:
    """Print the settings table (each can be set with IETFKG_<NAME>)."""
    from ietfkg.ingest.fetch.http_client import settings_table  # live ingest politeness (IETFKG_HTTP_<NAME>)

    rows = Table("name", "default", "help")
    for name, default, text in [*table(), *settings_table()]:
        rows.add_row(name, str(default), text)
    out.print(rows)


def _query_text(arg: str) -> str:
    if not arg.startswith("@"):
        return arg
    path = Path(arg[1:])
    if not path.is_file():
        raise BadQuery(f"query file not found: {path}")
    return path.read_text("utf-8")


def _graph_node(name: str, backend: Backend) -> NamedNode:
    """A named graph by IRI or by source name (``rfc-editor``)."""
    record, graphs = backend.default_graph(), backend.named_graphs()
    found = dataset.find_graph(name, graphs, record)
    if found is None:
        known = ", ".join(
            (record or dataset.DefaultGraphRecord((), frozenset())).source_name(g) for g in graphs
        )
        raise RequestError(f"no named graph {name!r}; known: {known}")
    return NamedNode(found)


def _write(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)
        err.print(f"wrote {len(data):,} bytes to {output}")


def main() -> None:
    try:
        app()
    except IetfKgError as exc:
        err.print(f"[red]error:[/red] {exc.message}", markup=True, highlight=False)
        sys.exit(2 if exc.status < 500 else 1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
