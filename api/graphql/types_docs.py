"""GraphQL types for documents and protocols: ``Document`` (RFC), ``SubSeries`` (BCP/STD/FYI), ``Protocol``."""

from __future__ import annotations

import re
from collections.abc import Sequence

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.lazy import AreaT, GroupT, PersonT, SessionT
from ietfkg.api.graphql.types_common import (
    Connection,
    Node,
    Props,
    ctx,
    existing_nodes,
    first_node,
    is_a,
    nodes_for,
    paginate,
    register_node,
)
from ietfkg.schema.vocab import DCTERMS, IETF, ORG, SKOS, local_name

_NUMBER = re.compile(r"(\d+)$")


def document_key(iri: str) -> tuple[int, str]:
    """Sort documents by their number (``doc/rfc8446`` -> 8446), then IRI."""
    match = _NUMBER.search(iri)
    return (int(match.group(1)) if match else 1 << 30, iri)


def sort_documents(iris: Sequence[str]) -> list[str]:
    return sorted(set(iris), key=document_key)


async def document_connection(info: Info, iris: Sequence[str], first: int | None, after: str | None) -> Connection[Document]:
    """A page of the documents ``iris``, by number; only the page's documents are described."""
    return await paginate(sort_documents(iris), first, after, lambda page: nodes_for(info, page))  # type: ignore[arg-type]


async def documents_of(info: Info, iris: Sequence[str]) -> list[Document]:
    return await existing_nodes(info, sort_documents(iris))  # type: ignore[return-value]


@strawberry.type(description="An RFC: number, title, date, status, stream, producing group, authors, "
                             "obsoletes/updates links, sub-series and the protocols it defines.")
class Document(Node):
    props: strawberry.Private[Props]
    number: int | None = strawberry.field(description="RFC number.")
    title: str | None = strawberry.field(description="Title.")
    year: int | None = strawberry.field(description="Publication year.")
    status: str | None = strawberry.field(description="Current status (PROPOSED STANDARD, INFORMATIONAL, "
                                                      "HISTORIC, ...).")
    date: str | None = strawberry.field(description="Publication month (YYYY-MM, xsd:gYearMonth).")
    protocols: list[Protocol] = strawberry.field(  # filled by nodes_for (register_node's embeds)
        description="Protocols this RFC defines.", default_factory=list)

    @classmethod
    def of(cls, iri: str, props: Props) -> Document:
        return cls(iri=iri, id=strawberry.ID(iri), props=props, number=props.int(IETF.rfcNumber),
                   title=props.str(DCTERMS.title), year=props.int(IETF.year), status=props.str(IETF.status),
                   date=props.str(DCTERMS.issued))

    @strawberry.field(description="Printed name (\"RFC 8446\").")
    def name(self) -> str | None:
        return self.props.str(SKOS.notation)

    @eager.field(description="Status at publication.", keep=False)
    async def publication_status(self, info: Info) -> str | None:
        return (await ctx(info).details(self.iri)).str(IETF.publicationStatus)

    @eager.field(description="Stream: IETF, IRTF, IAB, INDEPENDENT or Legacy.", keep=False)
    async def stream(self, info: Info) -> str | None:
        return (await ctx(info).details(self.iri)).str(IETF.stream)

    @eager.field(description="Abstract.", keep=False)
    async def abstract(self, info: Info) -> str | None:
        return (await ctx(info).details(self.iri)).str(DCTERMS.abstract)

    @eager.field(description="Keywords.", keep=False)
    async def keywords(self, info: Info) -> list[str]:
        return (await ctx(info).details(self.iri)).strs(DCTERMS.subject)

    @eager.field(description="Number of pages.", keep=False)
    async def page_count(self, info: Info) -> int | None:
        return (await ctx(info).details(self.iri)).int(IETF.pageCount)

    @eager.field(description="DOI.", keep=False)
    async def doi(self, info: Info) -> str | None:
        return (await ctx(info).details(self.iri)).str(IETF.doi)

    @eager.field(description="Name of the Internet-Draft that became this RFC.", keep=False)
    async def draft_name(self, info: Info) -> str | None:
        return (await ctx(info).details(self.iri)).str(IETF.draftName)

    @eager.field(description="The working or research group that produced it (WG).")
    async def group(self, info: Info) -> GroupT | None:
        groups = await existing_nodes(info, self.props.strs(IETF.producedBy))
        return groups[0] if groups else None  # type: ignore[return-value]

    @eager.field(description="The Internet-Draft that became this RFC.")
    async def draft(self, info: Info) -> Draft | None:
        return await first_node(info, await ctx(info).incoming(self.iri, IETF.becameRfc))  # type: ignore[return-value]

    @eager.field(description="Authors (people, or organisations for some old RFCs), first author first.")
    async def authors(self, info: Info) -> list[PersonT]:
        details = await ctx(info).details(self.iri)
        first = details.strs(IETF.firstAuthor)
        rest = sorted(set(details.strs(DCTERMS.creator)) - set(first))
        return await existing_nodes(info, first + rest)  # type: ignore[return-value]

    @eager.field(description="Authors printed as editors (\", Ed.\").")
    async def editors(self, info: Info) -> list[PersonT]:
        return await existing_nodes(info, (await ctx(info).details(self.iri)).strs(IETF.editor))  # type: ignore[return-value]

    @eager.field(description="RFCs this one obsoletes.")
    async def obsoletes(self, info: Info) -> list[Document]:
        return await documents_of(info, self.props.strs(IETF.obsoletes))

    @eager.field(description="RFCs that obsolete this one.")
    async def obsoleted_by(self, info: Info) -> list[Document]:
        return await documents_of(info, await ctx(info).incoming(self.iri, IETF.obsoletes))

    @eager.field(description="RFCs this one updates.")
    async def updates(self, info: Info) -> list[Document]:
        return await documents_of(info, self.props.strs(IETF.updates))

    @eager.field(description="RFCs that update this one.")
    async def updated_by(self, info: Info) -> list[Document]:
        return await documents_of(info, await ctx(info).incoming(self.iri, IETF.updates))

    @eager.field(description="Sub-series entries (BCP 14, STD 7, FYI 1) this RFC is part of.")
    async def sub_series(self, info: Info) -> list[SubSeries]:
        return await existing_nodes(info, self.props.strs(DCTERMS.isPartOf))  # type: ignore[return-value]

    @eager.field(description="Sub-series entries this RFC was part of and no longer is (RFC 793: STD 7).")
    async def former_sub_series(self, info: Info) -> list[SubSeries]:
        return await existing_nodes(info, self.props.strs(IETF.formerlyPartOf))  # type: ignore[return-value]

    @eager.field(description="Protocols this RFC mentions in its title or abstract without defining them.")
    async def mentioned_protocols(self, info: Info) -> list[Protocol]:
        return await existing_nodes(info, (await ctx(info).details(self.iri)).strs(IETF.mentionsProtocol))  # type: ignore[return-value]


@strawberry.type(description="An RFC sub-series entry: a BCP, STD or FYI number grouping RFCs.")
class SubSeries(Node):
    props: strawberry.Private[Props]

    @strawberry.field(description="Printed name (\"BCP 14\").")
    def name(self) -> str | None:
        return self.props.str(SKOS.notation)

    @strawberry.field(description="Series: BCP, STD or FYI.")
    def series(self) -> str | None:
        return self.props.str(IETF.series)

    @strawberry.field(description="Number within the series.")
    def number(self) -> int | None:
        match = _NUMBER.search(self.iri)
        return int(match.group(1)) if match else None

    @strawberry.field(description="Title (\"Best Current Practice 14\").")
    def title(self) -> str | None:
        return self.props.str(DCTERMS.title)

    @eager.field(description="The RFCs in this entry.")
    async def documents(self, info: Info) -> list[Document]:
        return await documents_of(info, await ctx(info).incoming(self.iri, DCTERMS.isPartOf))


@strawberry.type(description="An Internet-Draft: the draft an RFC came from, or one a session's slides name.")
class Draft(Node):
    props: strawberry.Private[Props]
    name: str | None = strawberry.field(description="Name without revision (draft-ietf-tls-tls13).")
    last_revision: str | None = strawberry.field(description="Highest revision the sources give (28).")
    group_basis: str | None = strawberry.field(description="How its group is known: rfc-attribution (the group "
                                                           "that produced its RFC) or draft-name.")

    @classmethod
    def of(cls, iri: str, props: Props) -> Draft:
        return cls(iri=iri, id=strawberry.ID(iri), props=props, name=props.str(SKOS.notation),
                   last_revision=props.str(IETF.lastRevision), group_basis=props.str(IETF.groupBasis))

    @eager.field(description="The working or research group whose draft it is, when known.")
    async def group(self, info: Info) -> GroupT | None:
        return await first_node(info, self.props.strs(IETF.draftGroup))  # type: ignore[return-value]

    @eager.field(description="The RFC it became, if any.")
    async def rfc(self, info: Info) -> Document | None:
        return await first_node(info, self.props.strs(IETF.becameRfc))  # type: ignore[return-value]

    @eager.field(description="Sessions whose slide titles name it, by start time.")
    async def sessions(self, info: Info) -> list[SessionT]:
        sessions = await existing_nodes(info, await ctx(info).incoming(self.iri, IETF.namesDraft))
        return sorted(sessions, key=lambda s: (s.start or "", s.iri))  # type: ignore[attr-defined]


@strawberry.type(description="A protocol, named by acronym, with the RFCs that define it and the groups "
                             "and areas behind them.")
class Protocol(Node):
    props: strawberry.Private[Props]
    name: str | None = strawberry.field(description="Acronym (TLS, ACME, MLS).")
    expansion: str | None = strawberry.field(description="Expansion (Transport Layer Security).")

    @classmethod
    def of(cls, iri: str, props: Props) -> Protocol:
        name = props.str(SKOS.notation) or local_name(iri).upper()
        return cls(iri=iri, id=strawberry.ID(iri), props=props, name=name, expansion=props.str(SKOS.prefLabel))

    @eager.field(description="RFCs that define this protocol, by number.")
    async def defining_documents(self, info: Info) -> list[Document]:
        return await documents_of(info, await ctx(info).incoming(self.iri, IETF.definesProtocol))

    @eager.field(description="RFCs that mention this protocol without defining it, by number.")
    async def mentioned_in(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Document]:
        return await document_connection(info, await ctx(info).incoming(self.iri, IETF.mentionsProtocol), first, after)

    @eager.field(description="Working groups that produced the defining RFCs (or are said to develop it).")
    async def groups(self, info: Info) -> list[GroupT]:
        return await _protocol_groups(info, self)  # type: ignore[return-value]

    @eager.field(description="Areas of those working groups.")
    async def areas(self, info: Info) -> list[AreaT]:
        groups = await _protocol_groups(info, self)
        parents = sorted({p for g in groups for p in g.props.strs(ORG.subOrganizationOf)} | {g.iri for g in groups})
        return [n for n in await existing_nodes(info, parents) if is_a(n.props, IETF.Area)]  # type: ignore[attr-defined]


async def _protocol_groups(info: Info, protocol: Protocol) -> list[Node]:
    defining = await ctx(info).incoming(protocol.iri, IETF.definesProtocol)
    groups = {g for p in await ctx(info).props_many(defining) for g in p.strs(IETF.producedBy)}
    groups |= set(protocol.props.strs(IETF.developedBy))
    return await existing_nodes(info, sorted(groups))


def make_document(iri: str, props: Props) -> Node:
    if is_a(props, IETF.SubSeries):
        return SubSeries(iri=iri, id=strawberry.ID(iri), props=props)
    if is_a(props, IETF.Draft):
        return Draft.of(iri, props)
    return Document.of(iri, props)


register_node("doc", make_document, embeds={"protocols": IETF.definesProtocol})
register_node("protocol", Protocol.of)
