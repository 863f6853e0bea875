"""An accent-insensitive label index for the search box, built once from the store.

SPARQL has no accent folding, so the labels of groups, people, RFCs and protocols are read
once (``queries/search_labels.rq``) and matched here: "Faltstrom" and "Faeltstroem" both find
"Fältström", "8446" finds RFC 8446, "tls" finds the WG and the protocol. Ranking: an exact
acronym or notation first, then an exact name, a label that starts with the words typed, one
with a word that does, one that merely contains them; a person named in full before an author
known only by initials ("Eric Rescorla" before an unresolved "E. Rescorla"); shorter labels
before longer ones.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ietfkg.graph.backends import Backend
from ietfkg.graph.queries import load
from ietfkg.schema.vocab import fold

MAX_LABELS = 500_000
KIND_ORDER = {"group": 0, "protocol": 1, "rfc": 2, "person": 3}
_RFC = re.compile(r"^(?:rfc\s*)?(\d{1,5})$")


def plain(text: str) -> str:
    """Lower-case, accents removed, spaces collapsed: 'Fältström' -> 'faltstrom'.

    >>> plain("Patrik  Fältström"), plain("Éric Vyncke")
    ('patrik faltstrom', 'eric vyncke')
    """
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"\s+", " ", "".join(ch for ch in text if not unicodedata.combining(ch))).strip().lower()


@dataclass(slots=True)
class Entry:
    """One searchable entity: what the result list shows, and the keys it is matched on."""

    iri: str
    kind: str
    short: str | None = None
    long: str | None = None
    keys: list[tuple[str, bool]] = field(default_factory=list)  # (folded label, is an acronym)


@dataclass(frozen=True, slots=True)
class Hit:
    iri: str
    kind: str
    short: str | None
    long: str | None


class SearchIndex:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries

    @classmethod
    def from_backend(cls, backend: Backend) -> SearchIndex:
        """
        >>> from ietfkg.graph.oxigraph_backend import OxigraphBackend
        >>> b = OxigraphBackend.open(None)
        >>> b.store.update('INSERT DATA { <https://x.example/p> a <http://xmlns.com/foaf/0.1/Person> ; '
        ...                '<http://xmlns.com/foaf/0.1/name> "Patrik Fältström" }')
        >>> [h.long for h in SearchIndex.from_backend(b).search("faltstrom")]
        ['Patrik Fältström']
        """
        entries: dict[str, Entry] = {}
        for s, kind, fld, label in backend.select(load("search_labels"), limit=MAX_LABELS).rows:
            entry = entries.get(s.value)
            if entry is None:
                entry = entries[s.value] = Entry(s.value, kind.value)
            text = label.value
            if fld.value == "short" and entry.short is None:
                entry.short = text
            elif fld.value == "long" and entry.long is None:
                entry.long = text
            for key in {plain(text), fold(text)}:
                entry.keys.append((key, fld.value == "short"))
        return cls(list(entries.values()))

    def search(self, query: str, limit: int = 50) -> list[Hit]:
        """The entities whose labels hold ``query`` (accent- and case-insensitive), best first."""
        q = plain(query)
        if not q:
            return []
        number = _RFC.match(q)
        wanted = f"rfc {int(number.group(1))}" if number else None
        scored: list[tuple[tuple, Entry]] = []
        for entry in self.entries:
            best = None
            for key, is_short in entry.keys:
                if key == q or (wanted is not None and key == wanted):
                    rank = 0 if is_short else 1
                elif key.startswith(q):
                    rank = 2
                elif f" {q}" in key:
                    rank = 3
                elif q in key:
                    rank = 4
                else:
                    continue
                best = rank if best is None else min(best, rank)
            if best is not None:
                shown = entry.short or entry.long or ""
                rest = (len(shown), shown)
                scored.append(((best, KIND_ORDER.get(entry.kind, 9), _initials_only(entry), *rest), entry))
        scored.sort(key=lambda pair: pair[0])
        return [Hit(e.iri, e.kind, e.short, e.long) for _, e in scored[:limit]]


def _initials_only(entry: Entry) -> bool:
    """A person whose name is initials and a surname ("E. Rescorla"): an unresolved RFC author."""
    first = (entry.long or "").split(" ", 1)[0]
    return entry.kind == "person" and first.endswith(".")
