"""GraphQL types for IETF meetings and their sessions: ``Meeting``, ``Session``, ``Slides``."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.types import Info

from ietfkg.api.graphql import eager
from ietfkg.api.graphql.lazy import DraftT, GroupT
from ietfkg.api.graphql.types_common import Node, Props, ctx, existing_nodes, first_node, register_node
from ietfkg.schema.vocab import DCTERMS, IETF, SKOS

CANCELED = "canceled"


@strawberry.type(description="One presentation of a session: its Datatracker materials URL, name, revision, title.")
class Slides:
    url: str = strawberry.field(description="Datatracker materials URL.")
    name: str | None = strawberry.field(description="Datatracker name (slides-115-tls-...).")
    revision: str | None = strawberry.field(description="Revision (00, 01, ...).")
    title: str | None = strawberry.field(description="Title.")


@strawberry.type(description="One session of a group at an IETF meeting, as the meeting's agenda lists it.")
class Session(Node):
    props: strawberry.Private[Props]
    session_id: int | None = strawberry.field(description="Datatracker session id.")
    start: str | None = strawberry.field(description="Start time, UTC (xsd:dateTime, 2022-11-10T13:00:00Z).")
    duration: str | None = strawberry.field(description="Length (xsd:duration, PT1H30M).")
    room: str | None = strawberry.field(description="Room, as the agenda names it.")
    status: str | None = strawberry.field(description="Datatracker status: sched, canceled, resched, ...")
    is_bof: bool = strawberry.field(description="A Birds-of-a-Feather session (the agenda's is_bof).")
    title: str | None = strawberry.field(description="The session's name in the agenda.")
    agenda: str | None = strawberry.field(description="URL of the session's agenda.")
    minutes: str | None = strawberry.field(description="URL of the session's minutes.")

    @classmethod
    def of(cls, iri: str, props: Props) -> Session:
        return cls(
            iri=iri, id=strawberry.ID(iri), props=props, session_id=props.int(IETF.datatrackerId),
            start=props.str(IETF.startTime), duration=props.str(IETF.duration), room=props.str(IETF.room),
            status=props.str(IETF.sessionStatus), is_bof=props.str(IETF.isBof) == "true",
            title=props.str(DCTERMS.title), agenda=props.str(IETF.agenda), minutes=props.str(IETF.minutes),
        )

    @property
    def met(self) -> bool:
        return self.status != CANCELED

    @eager.field(description="The group that met.")
    async def group(self, info: Info) -> GroupT | None:
        return await first_node(info, self.props.strs(IETF.sessionOf))  # type: ignore[return-value]

    @eager.field(description="The meeting the session was part of.")
    async def meeting(self, info: Info) -> Meeting | None:
        return await first_node(info, self.props.strs(IETF.atMeeting))  # type: ignore[return-value]

    @eager.field(description="The session's slides, by URL.")
    async def slides(self, info: Info) -> list[Slides]:
        urls = self.props.strs(IETF.slides)
        described = await ctx(info).props_many(urls)
        return [
            Slides(url=url, name=p.str(SKOS.notation), revision=p.str(IETF.revision), title=p.str(DCTERMS.title))
            for url, p in zip(urls, described)
        ]

    @eager.field(description="Internet-Drafts its slide titles name, by name.")
    async def drafts(self, info: Info) -> list[DraftT]:
        return await existing_nodes(info, self.props.strs(IETF.namesDraft))  # type: ignore[return-value]


def sessions_in_order(sessions: Sequence[Node], canceled: bool) -> list[Session]:
    """Sessions by start time (then IRI); canceled ones only when ``canceled``."""
    kept = [s for s in sessions if isinstance(s, Session) and (canceled or s.met)]
    return sorted(kept, key=lambda s: (s.start or "", s.iri))


@strawberry.type(description="An IETF meeting: number, place, dates, and the sessions held there.")
class Meeting(Node):
    props: strawberry.Private[Props]
    number: int | None = strawberry.field(description="Meeting number (115).")
    city: str | None = strawberry.field(description="City, as the Datatracker gives it (\"Online\" in 2020-2021).")
    country: str | None = strawberry.field(description="Country, ISO 3166-1 alpha-2 code (GB).")
    begins_on: str | None = strawberry.field(description="First day (xsd:date).")
    ends_on: str | None = strawberry.field(description="Last day (xsd:date).")
    days: int | None = strawberry.field(description="Length in days.")
    venue: str | None = strawberry.field(description="Venue name.")

    @classmethod
    def of(cls, iri: str, props: Props) -> Meeting:
        return cls(
            iri=iri, id=strawberry.ID(iri), props=props, number=props.int(IETF.meetingNumber),
            city=props.str(IETF.city), country=props.str(IETF.country), begins_on=props.str(IETF.beginsOn),
            ends_on=props.str(IETF.endsOn), days=props.int(IETF.days), venue=props.str(IETF.venue),
        )

    async def _sessions(self, info: Info, canceled: bool) -> list[Session]:
        return sessions_in_order(await existing_nodes(info, await ctx(info).incoming(self.iri, IETF.atMeeting)), canceled)

    @eager.field(description="Sessions held at this meeting, by start time: `group` (acronym) and `bof` filter; "
                             "canceled sessions only with `canceled: true`.")
    async def sessions(
        self, info: Info, group: str | None = None, bof: bool | None = None, canceled: bool = False,
    ) -> list[Session]:
        held = await self._sessions(info, canceled)
        group_iri = ctx(info).iris.group(group).value if group else None
        return [
            s for s in held
            if (bof is None or s.is_bof is bof) and (group_iri is None or group_iri in s.props.strs(IETF.sessionOf))
        ]

    @eager.field(description="The groups that met here (a session not canceled), by acronym; `bof: true` for "
                             "the BoFs.")
    async def groups(self, info: Info, bof: bool | None = None) -> list[GroupT]:
        held = await self._sessions(info, canceled=False)
        iris = sorted({g for s in held if bof is None or s.is_bof is bof for g in s.props.strs(IETF.sessionOf)})
        groups = await existing_nodes(info, iris)
        return sorted(groups, key=lambda g: g.acronym_key)  # type: ignore[attr-defined]


register_node("meeting", Meeting.of)
register_node("session", Session.of)
