"""Readable build summaries and store statistics for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.ingest.pipeline import BuildSummary

SHOWN_ERRORS = 5


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def print_summary(console: Console, summary: BuildSummary) -> None:
    table = Table("source", "records", "triples", "skipped", title="build summary")
    for result in summary.sources:
        table.add_row(result.info.name, f"{result.records:,}", f"{result.triples:,}", str(len(result.errors)))
    table.add_row("[b]total[/b]", "", f"{summary.triples:,}", str(summary.skipped))
    console.print(table)
    classes = Table("class", "entities", title="entities per class")
    for cls, count in summary.classes[:20]:
        classes.add_row(_short(cls), f"{count:,}")
    console.print(classes)
    for result in summary.sources:
        for error in result.errors[:SHOWN_ERRORS]:
            console.print(f"[yellow]skipped[/yellow] {error}", markup=True, highlight=False)
        if len(result.errors) > SHOWN_ERRORS:
            console.print(f"[yellow]... and {len(result.errors) - SHOWN_ERRORS} more in {result.info.name}[/yellow]")
    console.print(f"unmatched RFC authors (kept as their own person nodes): {summary.unmatched_authors:,}")
    if summary.validation is not None:
        console.print("SHACL: [green]conforms[/green]" if summary.validation.conforms else "SHACL: violations")
    console.print(f"built {summary.store} in {summary.seconds:.1f} s")


def print_stats(console: Console, backend: Backend) -> None:
    sources = Table("graph", "title", "origin", "snapshot", "built", "triples", title="sources")
    for row in backend.select(load("sources")).rows:
        _, name, title, origin, snapshot, built, triples = (cell.value if cell is not None else "" for cell in row)
        sources.add_row(name, title, origin, snapshot, built, f"{int(triples):,}")
    console.print(sources)
    classes = Table("class", "entities", title="entities per class")
    for cls, count in backend.select(load("classes")).rows:
        classes.add_row(_short(cls.value), f"{int(count.value):,}")
    console.print(classes)
