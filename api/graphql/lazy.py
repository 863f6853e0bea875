"""Lazy references between the ``types_*`` modules, which point at each other (strawberry ``lazy``).

Annotations use these aliases (``GroupT``, ``DocumentT``...) so a module never
imports the class of another at import time, and the cycles stay unresolved
until strawberry builds the schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

if TYPE_CHECKING:
    from ietfkg.api.graphql.types_docs import Document, Draft, Protocol
    from ietfkg.api.graphql.types_groups import Area, Group
    from ietfkg.api.graphql.types_meetings import Meeting, Session
    from ietfkg.api.graphql.types_people import Person, Role

_GROUPS = strawberry.lazy("ietfkg.api.graphql.types_groups")
_PEOPLE = strawberry.lazy("ietfkg.api.graphql.types_people")
_DOCS = strawberry.lazy("ietfkg.api.graphql.types_docs")
_MEETINGS = strawberry.lazy("ietfkg.api.graphql.types_meetings")

GroupT = Annotated["Group", _GROUPS]
AreaT = Annotated["Area", _GROUPS]
PersonT = Annotated["Person", _PEOPLE]
RoleT = Annotated["Role", _PEOPLE]
DocumentT = Annotated["Document", _DOCS]
ProtocolT = Annotated["Protocol", _DOCS]
DraftT = Annotated["Draft", _DOCS]
MeetingT = Annotated["Meeting", _MEETINGS]
SessionT = Annotated["Session", _MEETINGS]
