"""The one vocabulary table: node kinds and relations, as every face shows them.

A *node kind* is what a picture or page calls an entity of a class: its label, colour,
shape, size on the map, the path its pages live under and its GraphQL ``GroupType``. A
*relation* is a predicate between two entities: its short label, how a sentence reads it
in its RDF direction (``RFC 8446 obsoletes RFC 5077``) and against it (``RFC 5077 is
obsoleted by RFC 8446``), whether it is symmetric, and its rank (when two entities are
linked by several predicates, the lower rank is the one a path names).

Everything else reads these rows: the pages, ``/viz`` (as JSON: ``GET /viz/vocabulary.json``),
the static export, the adjacency index, the GraphQL area map and relation labels, and the
``VALUES`` lists of the named queries (``queries`` names the ``.rq`` files whose VALUES list
the term; ``tests/test_vocabulary.py`` fails when a file and the table disagree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import NamedNode

from ietfkg.schema.vocab import DCTERMS, FOAF, IETF, ORG, ROLE_LABELS, local_name


@dataclass(frozen=True, slots=True)
class NodeKind:
    key: str
    classes: tuple[NamedNode, ...]  # an entity typed with any of them is of this kind
    label: str
    colour: str
    shape: str  # a cytoscape node shape
    size: int  # diameter on the map, in canvas units
    page: str | None = None  # first path segment of its pages ("group" -> /group/<acronym>)
    group_type: str | None = None  # the GraphQL GroupType member, for groups
    container: bool = False  # drawn as a container (an area and the groups in it)
    queries: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class RelationKind:
    name: str  # the short name faces use: local name, or role:<slug> for a role concept
    predicate: NamedNode
    label: str  # written on an edge
    reads: str  # "<subject> reads <object>"
    inverse: str  # "<object> inverse <subject>"
    symmetric: bool = False
    queries: frozenset[str] = field(default_factory=frozenset)

    def heading(self, outgoing: bool) -> str:
        """How a page titles the entities linked one way: ``Obsoletes``, ``Obsoleted by``."""
        text = (self.reads if outgoing else self.inverse).removeprefix("is ")
        return text[:1].upper() + text[1:]


def _q(*names: str) -> frozenset[str]:
    return frozenset(names)


# Most specific first: satp is both a BoF and a working group, and is a BoF.
KINDS: tuple[NodeKind, ...] = (
    NodeKind("area", (IETF.Area,), "Area", "#1f77b4", "round-rectangle", 90, "group", "AREA", True,
             _q("home_counts")),
    NodeKind("body", (IETF.Body,), "IRTF / IAB", "#9467bd", "round-rectangle", 90, "group", "BODY", True),
    NodeKind("rg", (IETF.ResearchGroup,), "Research group", "#c5b0d5", "hexagon", 32, "group", "RESEARCH_GROUP",
             queries=_q("home_counts")),
    NodeKind("program", (IETF.IABProgram,), "IAB program", "#f7b6d2", "triangle", 32, "group", "IAB_PROGRAM"),
    NodeKind("directorate", (IETF.Directorate,), "Directorate", "#98df8a", "rectangle", 28, "group", "DIRECTORATE"),
    NodeKind("areagroup", (IETF.AreaGroup,), "Area group", "#dbdb8d", "round-rectangle", 28, "group", "AREA_GROUP"),
    NodeKind("team", (IETF.Team,), "Team", "#c7c7c7", "round-rectangle", 26, "group", "TEAM"),
    NodeKind("bof", (IETF.BoF,), "BoF", "#ffbb78", "diamond", 32, "group", "BOF"),
    NodeKind("wg", (IETF.WorkingGroup,), "Working group", "#aec7e8", "ellipse", 30, "group", "WORKING_GROUP",
             queries=_q("home_counts")),
    NodeKind("group", (IETF.Group,), "Other group", "#e0e0e0", "round-rectangle", 26, "group", "OTHER"),
    NodeKind("person", (FOAF.Person,), "Person", "#ff9896", "ellipse", 22, "person",
             queries=_q("home_counts", "gql_people_search", "page_person")),
    NodeKind("rfc", (IETF.RFC,), "RFC", "#d8d86a", "rectangle", 22, "doc", queries=_q("home_counts")),
    NodeKind("subseries", (IETF.SubSeries,), "BCP / STD", "#c49c94", "tag", 22, "doc"),
    NodeKind("protocol", (IETF.Protocol,), "Protocol", "#17becf", "vee", 28, "protocol", queries=_q("home_counts")),
    NodeKind("agent", (FOAF.Organization,), "Organisation", "#aaaaaa", "barrel", 22, "agent",
             queries=_q("gql_people_search", "page_person")),
    NodeKind("other", (), "Other", "#dddddd", "ellipse", 18),
)
KIND = {k.key: k for k in KINDS}
GROUP_KINDS = tuple(k for k in KINDS if k.group_type)
AREA_KINDS = frozenset(k.key for k in KINDS if k.container)

_LINKS = _q("gql_adjacency", "viz_neighbours")
_DOC_LINKS = _q("gql_adjacency", "viz_neighbours", "page_rfc_relations")
_PROTOCOL_LINKS = _q("gql_adjacency", "page_rfc_protocols", "page_protocol_rfcs")


def _role(slug: str) -> RelationKind:
    label = ROLE_LABELS[slug]
    return RelationKind(f"role:{slug}", IETF[f"role-{slug}"], label, f"is {label} of", f"has {label}")


# In rank order: a path names the first of these that links two entities.
RELATIONS: tuple[RelationKind, ...] = (
    _role("ad"),
    _role("chair"),
    _role("lead"),
    RelationKind("definesProtocol", IETF.definesProtocol, "defines", "defines", "is defined by",
                 queries=_PROTOCOL_LINKS | _q("viz_neighbours")),
    RelationKind("producedBy", IETF.producedBy, "produced by", "was produced by", "produced", queries=_LINKS),
    RelationKind("subOrganizationOf", ORG.subOrganizationOf, "part of", "is part of", "contains", queries=_LINKS),
    RelationKind("inArea", IETF.inArea, "in area", "was in", "had"),
    RelationKind("obsoletes", IETF.obsoletes, "obsoletes", "obsoletes", "is obsoleted by",
                 queries=_DOC_LINKS | _q("viz_rfc_relations")),
    RelationKind("updates", IETF.updates, "updates", "updates", "is updated by",
                 queries=_DOC_LINKS | _q("viz_rfc_relations")),
    RelationKind("creator", DCTERMS.creator, "author", "has author", "is an author of", queries=_LINKS),
    RelationKind("isPartOf", DCTERMS.isPartOf, "part of series", "is part of", "contains", queries=_DOC_LINKS),
    RelationKind("developedBy", IETF.developedBy, "developed by", "was developed by", "developed",
                 queries=_q("gql_adjacency")),
    RelationKind("collaboratesWith", IETF.collaboratesWith, "collaborates with", "collaborates with",
                 "collaborates with", symmetric=True, queries=_LINKS),
    RelationKind("mentionsProtocol", IETF.mentionsProtocol, "mentions", "mentions", "is mentioned by",
                 queries=_PROTOCOL_LINKS),
)
RELATION = {r.name: r for r in RELATIONS}
BY_PREDICATE = {r.predicate.value: r for r in RELATIONS}
RANK: dict[str, int] = {r.predicate.value: i for i, r in enumerate(RELATIONS)}
OTHER_RANK = len(RELATIONS)


def kind_of_classes(classes: set[str]) -> NodeKind:
    """The kind of an entity typed with these class IRIs: the first row that has one of them.

    >>> kind_of_classes({IETF.WorkingGroup.value, IETF.BoF.value}).key
    'bof'
    """
    return next((k for k in KINDS if any(c.value in classes for c in k.classes)), KIND["other"])


def relation_name(predicate: str) -> str:
    """``ietf:producedBy`` -> ``producedBy``; a role concept ``ietf:role-chair`` -> ``role:chair``.

    >>> relation_name(IETF["role-chair"].value), relation_name(IETF.producedBy.value)
    ('role:chair', 'producedBy')
    """
    name = local_name(predicate)
    return "role:" + name.removeprefix("role-") if name.startswith("role-") else name


def query_terms(query: str) -> dict[str, set[str]]:
    """The IRIs the table says the ``VALUES`` lists of ``queries/<query>.rq`` hold: classes under
    ``class``, predicates under the variable the file binds them to.

    >>> sorted(query_terms("viz_rfc_relations")["relation"])[0].rsplit("#")[-1]
    'obsoletes'
    """
    classes = {c.value for k in KINDS if query in k.queries for c in k.classes}
    predicates = {r.predicate.value for r in RELATIONS if query in r.queries}
    found: dict[str, set[str]] = {}
    if classes:
        found["class"] = classes
    if predicates:
        found[QUERY_PREDICATE_VARIABLE.get(query, "p")] = predicates
    return found


# The variable a file's VALUES list of relation predicates binds, where it is not ?p.
QUERY_PREDICATE_VARIABLE = {
    "viz_neighbours": "predicate", "page_rfc_relations": "relation", "viz_rfc_relations": "relation",
    "page_rfc_protocols": "link", "page_protocol_rfcs": "link",
}


def as_json() -> dict[str, Any]:
    """The table as ``/viz`` reads it (``GET /viz/vocabulary.json``)."""
    return {
        "kinds": {
            k.key: {"label": k.label, "colour": k.colour, "shape": k.shape, "size": k.size, "page": k.page,
                    "groupType": k.group_type, "container": k.container}
            for k in KINDS
        },
        "relations": {
            r.name: {"predicate": r.predicate.value, "label": r.label, "reads": r.reads, "inverse": r.inverse,
                     "symmetric": r.symmetric, "rank": i}
            for i, r in enumerate(RELATIONS)
        },
    }
