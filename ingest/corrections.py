"""Curated corrections (the ``corrections`` section of ``curated.yaml``) -> ``CorrectionRecord``s.

Why: a source value that breaks a sanity rule (``source_checks``) is left out of its
source's graph; when a public page states the right value, a curated correction puts
that value in a graph of its own (``corrections``), citing the page (``evidence``) and
words copied from it (``quote``), so the source graph still says only what the source
says. RFC 9419's ``pub_date`` is "July 2026" in the RFC Editor JSON of 2024-01-06; the
RFC's own text says July 2023.

Each entry: ``subject`` ([kind, key]), ``field`` (a record field a correction may set),
``source`` (whose value it replaces), ``source_value`` (as that source prints it),
``value``, ``evidence`` (absolute URLs) and ``quote``. An incomplete entry is a
``ParseError`` (skipped and reported, or raised under ``--strict``).

Pure: input is the decoded YAML, output is records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ietfkg.ingest.mapping import CORRECTED_FIELDS
from ietfkg.ingest.parsing import OnError, cited_urls, required, section_entries, skip_or_raise, text
from ietfkg.ingest.records import CorrectionRecord, SourceInfo
from ietfkg.schema.errors import ParseError

SOURCE = "corrections"
SECTION = "corrections"

INFO = SourceInfo(
    name=SOURCE,
    title="Curated corrections of source values that break a sanity rule",
    origin="ingest/curated.yaml (corrections): each correction cites the public page that states the value",
    snapshot_date="2026-12-02",  # when the corrections' evidence was last read
    files=("ingest/curated.yaml",),
    description="Values that replace a source's, each with its evidence, a quote and the value it replaces.",
)

# The form each correctable field's value takes (as the records hold it).
_VALUE_FORMS = {"published": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")}


def parse_corrections(doc: Mapping[str, Any], on_error: OnError | None = None) -> Iterator[CorrectionRecord]:
    for index, entry in enumerate(section_entries(doc, SECTION, SOURCE)):
        try:
            yield parse_correction(entry, f"{SECTION}[{index}]")
        except ParseError as err:
            skip_or_raise(err, on_error)


def parse_correction(entry: Any, key: str) -> CorrectionRecord:
    """One YAML entry -> its record; ``ParseError`` when incomplete or not correctable.

    >>> parse_correction({"subject": ["rfc", 9419], "field": "published", "source": "rfc-editor",
    ...     "source_value": "July 2026", "value": "2023-07", "quote": "July 2023",
    ...     "evidence": ["https://www.rfc-editor.org/rfc/rfc9419.txt"]}, "c").subject
    ('rfc', '9419')
    """
    if not isinstance(entry, Mapping):
        raise ParseError(SOURCE, key, "correction is not a mapping")
    subject = _subject(entry.get("subject"), key)
    field = required(entry, "field", SOURCE, key)
    if (subject[0], field) not in CORRECTED_FIELDS:
        allowed = sorted(f"{kind}.{name}" for kind, name in CORRECTED_FIELDS)
        raise ParseError(SOURCE, key, f"{subject[0]}.{field} cannot be corrected (allowed: {allowed})")
    value = required(entry, "value", SOURCE, key)
    if not _VALUE_FORMS[field].match(value):
        raise ParseError(SOURCE, key, f"value {value!r} is not of the form {_VALUE_FORMS[field].pattern}")
    evidence = cited_urls(entry, SOURCE, key)
    return CorrectionRecord(
        subject=subject,
        field=field,
        value=value,
        source=required(entry, "source", SOURCE, key),
        source_value=required(entry, "source_value", SOURCE, key),
        quote=required(entry, "quote", SOURCE, key, "correction has no quote from its evidence"),
        evidence=evidence,
    )


def _subject(value: Any, key: str) -> tuple[str, str]:
    if not isinstance(value, list) or len(value) != 2 or not all(text(v) for v in value):
        raise ParseError(SOURCE, key, f"subject {value!r} is not [kind, key]")
    return str(value[0]).strip(), str(value[1]).strip()
