"""Hand-curated Security Area facts (``curated.yaml``) -> records.

Why: the two seed pages the product was specified from (the Security Area wiki
page of 2022-11-14 and the ietf.org "Security & privacy" page) state facts no
bundled data file has: SECDIR is the Security Area Directorate, CFRG, PEARG and
model-t collaborate with the area, the Crypto Review Panel, the MLS WG, ACME is
RFC 8555. ``curated.yaml`` holds each such fact with its ``source`` (a seed
page: bundled path, title, date), an exact ``quote`` from that page, and the
page's own links. This module only turns that YAML into records.

Evidence of each record: the seed's locator (``seed:000_....txt``) first, then
the links the page gives for that thing.

Errors: every fact is checked (known source, required fields, a quote, a valid
date, an allowed relation predicate); ``parse_fact`` raises ``ParseError`` and
``parse_curated`` hands it to ``on_error`` and skips the fact, or re-raises
when ``on_error`` is None. A document without a usable ``sources`` table, or
with an unknown section, raises at once.

Pure: input is the decoded YAML (``yaml.safe_load``), output is records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from ietfkg.ingest.parsing import OnError, required, skip_or_raise, text
from ietfkg.ingest.protocols import normalise_acronym
from ietfkg.ingest.records import (
    GroupRecord,
    PersonRecord,
    ProtocolRecord,
    Record,
    Relation,
    RoleRecord,
    SourceInfo,
)
from ietfkg.schema.errors import ParseError

SOURCE = "curated"
PREDICATES = frozenset({"collaboratesWith", "developedBy"})
KINDS = frozenset({"group", "person", "rfc", "protocol"})
SECTIONS = ("groups", "persons", "roles", "protocols", "relations")

INFO = SourceInfo(
    name=SOURCE,
    title="Security Area facts from the seed pages (curated)",
    origin="ietf.org: IETF Security Area wiki page (2022-11-14) and the 'Security & privacy' topic page",
    snapshot_date="2022-11-14",
    files=("ingest/curated.yaml",),
    description="Each fact quotes the seed page that states it.",
)



def parse_curated(doc: Mapping[str, Any], on_error: OnError | None = None) -> Iterator[Record]:
    """Groups, persons, roles, protocols, then relations, in file order."""
    sources = parse_sources(doc)
    # corrections and area_names: read by ingest/corrections.py and ingest/area_names.py
    unknown = set(doc) - {"sources", *SECTIONS, "corrections", "area_names"}
    if unknown:
        raise ParseError(SOURCE, "curated.yaml", f"unknown sections {sorted(unknown)}")
    for section in SECTIONS:
        facts = doc.get(section) or []
        if not isinstance(facts, list):
            raise ParseError(SOURCE, section, "section is not a list")
        for index, fact in enumerate(facts):
            try:
                yield parse_fact(section, fact, sources, f"{section}[{index}]")
            except ParseError as err:
                skip_or_raise(err, on_error)


def parse_sources(doc: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """The ``sources`` table: key -> {locator, path, title, date}; each needs a locator."""
    if not isinstance(doc, Mapping) or not isinstance(doc.get("sources"), Mapping):
        raise ParseError(SOURCE, "curated.yaml", "no 'sources' table")
    sources = dict(doc["sources"])
    for key, source in sources.items():
        if not isinstance(source, Mapping) or not text(source.get("locator")):
            raise ParseError(SOURCE, f"sources.{key}", "source has no locator")
    return sources


def parse_fact(section: str, fact: Any, sources: Mapping[str, Mapping[str, Any]], key: str) -> Record:
    """One YAML fact of ``section`` -> its record; raises ``ParseError`` when incomplete."""
    if not isinstance(fact, Mapping):
        raise ParseError(SOURCE, key, "fact is not a mapping")
    if not text(fact.get("quote")):
        raise ParseError(SOURCE, key, "fact has no quote from its source page")
    evidence = _evidence(fact, sources, key)
    if section == "groups":
        return GroupRecord(
            acronym=_required(fact, "acronym", key),
            name=text(fact.get("name")),
            type=text(fact.get("type")),
            state=text(fact.get("state")),
            parent=text(fact.get("parent")),
            evidence=evidence,
        )
    if section == "persons":
        return PersonRecord(name=_required(fact, "name", key), evidence=evidence)
    if section == "roles":
        day = _date(fact.get("observed"), key)
        return RoleRecord(
            person=_required(fact, "person", key),
            group=_required(fact, "group", key),
            role=_required(fact, "role", key),
            start=day,
            end=day,
            basis="observed",
            observed=(day,),
            label=text(fact.get("label")),
            evidence=evidence,
        )
    if section == "protocols":
        written = _required(fact, "acronym", key)
        acronym = normalise_acronym(written)  # "TLS 1.3" is TLS, as the title rules file it
        return ProtocolRecord(
            acronym=acronym,
            name=text(fact.get("name")),
            aka=(written,) if written != acronym else (),
            defined_by=_rfc_numbers(fact.get("defined_by"), key),
            evidence=evidence,
        )
    if section == "relations":
        predicate = _required(fact, "predicate", key)
        if predicate not in PREDICATES:
            raise ParseError(SOURCE, key, f"predicate {predicate!r} is not one of {sorted(PREDICATES)}")
        return Relation(
            subject=_node(fact.get("subject"), key),
            predicate=predicate,
            object=_node(fact.get("object"), key),
            evidence=evidence,
        )
    raise ParseError(SOURCE, key, f"unknown section {section!r}")


# -- helpers -------------------------------------------------------------------
def _evidence(fact: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]], key: str) -> tuple[str, ...]:
    source = sources.get(str(fact.get("source")))
    if source is None:
        raise ParseError(SOURCE, key, f"unknown source {fact.get('source')!r}")
    links = fact.get("links") or []
    if not isinstance(links, list) or not all(
        isinstance(link, str) and link.startswith("http") for link in links
    ):
        raise ParseError(SOURCE, key, "links must be a list of absolute URLs")
    return tuple(dict.fromkeys([str(source["locator"]).strip(), *links]))


def _node(value: Any, key: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2 or not all(text(v) for v in value):
        raise ParseError(SOURCE, key, f"relation end {value!r} is not [kind, key]")
    kind, ref = str(value[0]).strip(), str(value[1]).strip()
    if kind not in KINDS:
        raise ParseError(SOURCE, key, f"relation kind {kind!r} is not one of {sorted(KINDS)}")
    return kind, ref


def _date(value: Any, key: str) -> date:
    """YAML may hand over a date or a string; either must be a full YYYY-MM-DD."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ParseError(SOURCE, key, f"observed {value!r} is not YYYY-MM-DD") from None


def _rfc_numbers(value: Any, key: str) -> tuple[int, ...]:
    numbers = value or []
    if not isinstance(numbers, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in numbers
    ):
        raise ParseError(SOURCE, key, "defined_by must be a list of RFC numbers")
    return tuple(numbers)


def _required(fact: Mapping[str, Any], field: str, key: str) -> str:
    return required(fact, field, SOURCE, key, f"missing {field}")


