"""Terms to display values: local IRIs link to their page, web IRIs link out, nothing else links."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode
from starlette.requests import Request

from ietfkg.graph.exports import curie
from ietfkg.schema.vocab import ONTOLOGY_NS, local_name

KINDS = ("group", "person", "doc", "protocol", "role", "graph", "agent", "meeting", "session")


@dataclass(frozen=True, slots=True)
class Value:
    """A term as a template shows it: text, and a link only when it is safe to follow."""

    text: str
    href: str | None = None
    note: str = ""  # datatype or language of a literal, or the IRI behind a label


class Linker:
    def __init__(self, request: Request) -> None:
        self.base = request.app.state.settings.base
        self.root = str(request.url_for("home"))

    def local(self, iri: str) -> str | None:
        """The page of an entity under our base, or ``None``."""
        if iri.startswith(self.base) and iri[len(self.base) :].partition("/")[0] in KINDS:
            return self.root + iri[len(self.base) :]
        return None

    def href(self, iri: str) -> str | None:
        # Only http(s) IRIs become links: never javascript:, data: or other schemes; ontology
        # terms (ns#...) are not served as pages, so they do not link.
        if iri.startswith(ONTOLOGY_NS):
            return None
        return self.local(iri) or (iri if iri.startswith(("http://", "https://")) else None)

    def value(self, term: object, label: object | None = None) -> Value:
        if isinstance(term, NamedNode):
            iri = term.value
            if label is not None:
                return Value(label.value, self.href(iri), curie(iri))
            return Value(curie(iri), self.href(iri))
        language = getattr(term, "language", None)
        datatype = getattr(term, "datatype", None)
        note = f"@{language}" if language else (curie(datatype.value) if datatype is not None else "")
        if note == "xsd:string":
            note = ""
        return Value(getattr(term, "value", str(term)), None, note)

    def named(self, term: object, text: str | None) -> Value:
        """A node shown by a label the query found, its IRI's last segment when it has none."""
        iri = getattr(term, "value", str(term))
        return Value(text or local_name(iri), self.href(iri))
