"""Namespaces, term constants and IRI minting. No other logic lives here.

Terms are pyoxigraph ``NamedNode``s because the store and the hot mapping path
use pyoxigraph; rdflib code converts with ``str(term.value)``.

Entity IRIs live under a configurable base (env ``IETFKG_BASE``); the ontology
namespace is fixed so queries written against it keep working across bases.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import NamedNode

DEFAULT_BASE = "https://ietf-kg.example/"
ONTOLOGY_NS = "https://ietf-kg.example/ns#"


class Namespace:
    """``NS.term`` / ``NS["term"]`` -> ``NamedNode``; terms are cached."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self._cache: dict[str, NamedNode] = {}

    def __getitem__(self, name: str) -> NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = NamedNode(self.iri + name)
        return node

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        # Kept as an instance attribute: later reads skip __getattr__ (resolvers read
        # thousands of terms per request).
        node = self[name]
        setattr(self, name, node)
        return node


IETF = Namespace(ONTOLOGY_NS)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
PROV = Namespace("http://www.w3.org/ns/prov#")
VOID = Namespace("http://rdfs.org/ns/void#")
TIME = Namespace("http://www.w3.org/2006/time#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, str] = {
    "ietf": ONTOLOGY_NS,
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "owl": OWL.iri,
    "xsd": XSD.iri,
    "org": ORG.iri,
    "foaf": FOAF.iri,
    "dcterms": DCTERMS.iri,
    "skos": SKOS.iri,
    "prov": PROV.iri,
    "void": VOID.iri,
    "time": TIME.iri,
}

# Datatracker group-type slug -> our class. Unknown slugs fall back to ietf:Group.
GROUP_CLASS_BY_TYPE: dict[str, NamedNode] = {
    "area": IETF.Area,
    "wg": IETF.WorkingGroup,
    "rg": IETF.ResearchGroup,
    "ag": IETF.AreaGroup,
    "rag": IETF.AreaGroup,
    "dir": IETF.Directorate,
    "review": IETF.Directorate,
    "team": IETF.Team,
    "panel": IETF.Team,
    "program": IETF.IABProgram,
    "iabasg": IETF.IABProgram,
    "ietf": IETF.Body,
    "irtf": IETF.Body,
    "iab": IETF.Body,
    "bof": IETF.BoF,
}

# Role slug -> human label (ontology instances of ietf:Role carry these labels).
ROLE_LABELS: dict[str, str] = {
    "ad": "Area Director",
    "chair": "Chair",
    "secretary": "Secretary",
    "delegate": "Delegate",
    "member": "Member",
    "liaison": "Liaison",
    "liaison_coordinator": "Liaison Coordinator",
    "exofficio": "Ex-officio member",
    "lead": "Lead",
    "reviewer": "Reviewer",
    "techadv": "Technical Advisor",
    "editor": "Editor",
    "secretariat": "Secretariat",
    "scribe": "Scribe",
    "iad": "IETF Administrative Director",
    "executive-director": "Executive Director",
}

_SLUG_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def local_name(iri: str) -> str:
    """An IRI's last segment: what follows its last ``#`` or ``/`` (a trailing ``/`` ignored).

    >>> local_name("https://ietf-kg.example/ns#WorkingGroup"), local_name("https://ietf-kg.example/group/tls/")
    ('WorkingGroup', 'tls')
    """
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII fold used to compare names: 'Kühlewind' == 'Kuehlewind'.

    >>> fold("Éric Vyncke"), fold("Mirja Kühlewind")
    ('eric vyncke', 'mirja kuehlewind')
    """
    text = unicodedata.normalize("NFKD", text.translate(_SLUG_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip().lower()


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """A readable IRI path segment.

    >>> slug("Name Resolution Program")
    'name-resolution-program'
    """
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def role_term(role: str) -> NamedNode:
    """The ``ietf:Role`` instance for a role slug (``chair`` -> ``ietf:role-chair``)."""
    return IETF["role-" + slug(role)]


def group_class(group_type: str | None) -> NamedNode:
    return GROUP_CLASS_BY_TYPE.get(group_type or "", IETF.Group)


@dataclass(frozen=True, slots=True)
class Iris:
    """Mints every entity IRI from one base, so IRIs stay stable and readable.

    >>> Iris("https://x.example/").rfc(8446).value
    'https://x.example/doc/rfc8446'
    """

    base: str = DEFAULT_BASE

    def _node(self, path: str) -> NamedNode:
        return NamedNode(self.base + path)

    def group(self, acronym: str) -> NamedNode:
        return self._node("group/" + slug(acronym))

    def person(self, key: str | int) -> NamedNode:
        """``key`` is a Datatracker id, or a name slug for people without one."""
        return self._node(f"person/{key}" if isinstance(key, int) else "person/" + slug(key))

    def agent(self, name: str) -> NamedNode:
        """An organisation named as an RFC author ("IAB", "Sun Microsystems")."""
        return self._node("agent/" + slug(name))

    def rfc(self, number: int) -> NamedNode:
        return self._node(f"doc/rfc{number}")

    def subseries(self, series: str, number: int) -> NamedNode:
        return self._node(f"doc/{series.lower()}{number}")

    def draft(self, name: str) -> NamedNode:
        return self._node("doc/" + slug(name))

    def meeting(self, number: int) -> NamedNode:
        return self._node(f"meeting/{number}")

    def session(self, session_id: int) -> NamedNode:
        """A session by its Datatracker id (a group's session at one meeting)."""
        return self._node(f"session/{session_id}")

    def protocol(self, acronym: str) -> NamedNode:
        return self._node("protocol/" + slug(acronym))

    def membership(self, source: str, group: str, role: str, person_key: str, start: str) -> NamedNode:
        return self._node(f"role/{slug(source)}/{slug(group)}/{slug(role)}/{slug(person_key)}/{start}")

    def area_link(self, group: str, area: str, basis: str) -> NamedNode:
        return self._node(f"area-link/{slug(group)}/{slug(area)}/{slug(basis)}")

    def correction(self, source: str, kind: str, key: str, field: str) -> NamedNode:
        return self._node(f"correction/{slug(source)}/{slug(kind)}/{slug(key)}/{slug(field)}")

    def graph(self, source: str) -> NamedNode:
        return self._node("graph/" + slug(source))

    def graphs_prefix(self) -> str:
        """The IRI prefix all our named graphs share (a shared server may hold others)."""
        return self.base + "graph/"

    def dataset(self) -> NamedNode:
        return self._node("dataset")

    def page_path(self, iri: str) -> str | None:
        """The path of an entity's page on this server (the IRI under the base), else None.

        >>> Iris("https://x.example/").page_path("https://x.example/group/tls")
        '/group/tls'
        """
        return "/" + iri[len(self.base):] if iri.startswith(self.base) and len(iri) > len(self.base) else None

    def path_kind(self, iri: str) -> str | None:
        """The entity kind of an IRI under this base (``group``, ``doc``, ...), else None."""
        if not iri.startswith(self.base):
            return None
        head, _, _ = iri[len(self.base):].partition("/")
        return head or None


def configured_base() -> str:
    base = os.environ.get("IETFKG_BASE", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


def meta_graph(iris: Iris) -> NamedNode:
    """The named graph holding provenance and VoID statistics of the sources."""
    return iris.graph("meta")


def rfc_editor_text(number: int) -> str:
    """Where the RFC Editor publishes an RFC's text.

    >>> rfc_editor_text(8446)
    'https://www.rfc-editor.org/rfc/rfc8446.html'
    """
    return f"https://www.rfc-editor.org/rfc/rfc{number}.html"
