"""Readable build summaries and store statistics for the terminal."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.ingest.pipeline import BuildSummary
from ietfkg.schema.vocab import local_name

SHOWN_ERRORS = 5
SHOWN_CHANGES = 12


def print_summary(console: Console, summary: BuildSummary) -> None:
    table = Table("source", "records", "triples", "skipped", title="build summary")
    for result in summary.sources:
        table.add_row(result.info.name, f"{result.records:,}", f"{result.triples:,}", str(len(result.errors)))
    table.add_row("[b]total[/b]", "", f"{summary.triples:,}", str(summary.skipped))
    console.print(table)
    classes = Table("class", "entities", title="entities per class")
    for cls, count in summary.classes[:20]:
        classes.add_row(local_name(cls), f"{count:,}")
    console.print(classes)
    for result in summary.sources:
        for error in result.errors[:SHOWN_ERRORS]:
            console.print(f"[yellow]skipped[/yellow] {error}", markup=True, highlight=False)
        if len(result.errors) > SHOWN_ERRORS:
            console.print(f"[yellow]... and {len(result.errors) - SHOWN_ERRORS} more in {result.info.name}[/yellow]")
    findings = summary.findings
    console.print(f"source errors caught by the sanity rules: {len(findings)}" + (":" if findings else ""))
    for finding in findings:  # every one: each is a value left out, corrected, demoted or reported
        console.print(f"  {finding}", markup=False, highlight=False)
    console.print(f"unmatched RFC authors (kept as their own person nodes): {summary.unmatched_authors:,}")
    if summary.resolution is not None:
        tally = summary.resolution
        bases = ", ".join(f"{basis} {n:,}" for basis, n in sorted(tally.by_basis.items()))
        console.print(f"RFC author slots linked to a known person: {tally.linked:,} of {tally.slots:,} ({bases})")
    if (score := summary.resolution_score) is not None:
        console.print(
            f"person resolution on the hand-labelled sample ({score.decisions} decisions): "
            f"precision {score.precision:.1%} ({score.right}/{score.links}), "
            f"recall {score.recall:.1%} ({score.right}/{score.labelled_people})"
        )
    if summary.validation is not None:
        console.print("SHACL: [green]conforms[/green]" if summary.validation.conforms else "SHACL: violations")
    console.print(f"built {summary.store} in {summary.seconds:.1f} s")


def print_stats(console: Console, backend: Backend) -> None:
    sources = Table("graph", "title", "origin", "snapshot", "built", "triples", title="sources")
    for row in backend.select(load("sources")).rows:
        _, name, title, origin, snapshot, built, triples = (cell.value if cell is not None else "" for cell in row)
        sources.add_row(name, title, origin, snapshot, built, f"{int(triples):,}")
    console.print(sources)
    for name, when in last_synced(backend).items():
        console.print(f"last sync of {name}: {when}", markup=False, highlight=False)
    classes = Table("class", "entities", title="entities per class")
    for cls, count in backend.select(load("classes")).rows:
        classes.add_row(local_name(cls.value), f"{int(count.value):,}")
    console.print(classes)
    print_area_coverage(console, backend)


def print_area_coverage(console: Console, backend: Backend) -> None:
    """How many WGs have an area, and how many RFCs a producing group with an area."""
    (row,) = backend.select(load("area_coverage")).rows
    wgs, wgs_with, rfcs, rfcs_with_group, rfcs_with = (int(cell.value) for cell in row)
    coverage = Table("what", "with an area", "of", "share", title="area coverage")
    coverage.add_row("working groups", f"{wgs_with:,}", f"{wgs:,}", f"{wgs_with / max(wgs, 1):.0%}")
    coverage.add_row("RFCs with a producing group", f"{rfcs_with:,}", f"{rfcs_with_group:,}",
                     f"{rfcs_with / max(rfcs_with_group, 1):.0%}")
    coverage.add_row("RFCs", f"{rfcs_with:,}", f"{rfcs:,}", f"{rfcs_with / max(rfcs, 1):.0%}")
    console.print(coverage)


# -- live ingest: last sync and what an update changed ---------------------------------
# Each live source graph and when it was last fetched from upstream.
LAST_SYNCED = """
SELECT ?name ?synced WHERE { ?g a ietf:SourceGraph ; ietf:sourceName ?name ; ietf:lastSynced ?synced }
ORDER BY ?name
"""
# Group acronyms and RFC numbers in the whole graph.
GROUP_ACRONYMS = "SELECT DISTINCT ?acr WHERE { ?g a ietf:Group ; skos:notation ?acr }"
RFC_NUMBERS = "SELECT DISTINCT ?n WHERE { ?r a ietf:RFC ; ietf:rfcNumber ?n }"
# Current Datatracker roles (seen held on a sync date): person name, role slug, group acronym.
CURRENT_ROLES = """
SELECT ?role ?acr (SAMPLE(?name) AS ?person) WHERE {
  GRAPH ?src { ?m org:member ?p ; org:role ?r ; org:organization ?grp ; ietf:observedOn ?seen }
  ?src ietf:sourceName "datatracker" .
  ?r skos:notation ?role . ?grp skos:notation ?acr . ?p foaf:name ?name .
} GROUP BY ?p ?role ?acr
"""


@dataclass(frozen=True, slots=True)
class Facts:
    """What a change summary compares between the graph before and after a live build."""

    groups: frozenset[str] = frozenset()
    rfcs: frozenset[int] = frozenset()
    roles: frozenset[tuple[str, str, str]] = frozenset()  # (person, role, group)


def last_synced(backend: Backend) -> dict[str, str]:
    return {name.value: when.value for name, when in backend.select(LAST_SYNCED).rows}


def graph_facts(backend: Backend) -> Facts:
    return Facts(
        groups=frozenset(row[0].value for row in backend.select(GROUP_ACRONYMS).rows),
        rfcs=frozenset(int(row[0].value) for row in backend.select(RFC_NUMBERS).rows),
        roles=frozenset((p.value, r.value, a.value) for r, a, p in backend.select(CURRENT_ROLES).rows),
    )


def print_changes(console: Console, before: Facts, after: Facts) -> None:
    """New and removed groups, role changes and new RFCs, one line each."""
    lines = [
        ("new groups", sorted(after.groups - before.groups)),
        ("removed groups", sorted(before.groups - after.groups)),
        ("new RFCs", [f"RFC {n}" for n in sorted(after.rfcs - before.rfcs)]),
        ("roles started", [f"{p} ({r}, {g})" for p, r, g in sorted(after.roles - before.roles)]),
        ("roles ended", [f"{p} ({r}, {g})" for p, r, g in sorted(before.roles - after.roles)]),
    ]
    console.print("[b]changes[/b]" + ("" if any(items for _, items in lines) else ": none"))
    for label, items in lines:
        if items:
            shown = ", ".join(items[:SHOWN_CHANGES]) + (f" ... (+{len(items) - SHOWN_CHANGES})" if len(items) > SHOWN_CHANGES else "")
            console.print(f"  {label} ({len(items)}): {shown}", markup=False, highlight=False)
