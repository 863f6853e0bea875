"""The hand-labelled sample of author -> person decisions, and the resolution's score on it.

``resolution_sample.yaml`` lists RFC author slots as printed with the answer read from the raw
source files (the RFC's JSON, the person's Datatracker, roll-call or seed records) and the
evidence read: a full name as a source prints it, or ``unresolved`` where the files do not show
who the author is. ``not`` names a person the slot must not be linked to. Precision counts the
links the resolution makes on the sample that are right; recall, the labelled people it finds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from ietfkg.ingest.fetch import local

SAMPLE_FILE = "resolution_sample.yaml"
UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class Decision:
    rfc: int
    author: str
    expected: str  # a full name as a source prints it, or "unresolved"
    evidence: str
    not_person: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    decisions: int
    links: int  # sample slots the resolution linked to a person
    right: int  # ... to the labelled person
    labelled_people: int  # sample slots whose answer is a person
    wrong: tuple[Decision, ...] = ()

    @property
    def precision(self) -> float:
        return self.right / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.labelled_people if self.labelled_people else 1.0


class _Linked(Protocol):
    key: int | str
    matched: bool


class Resolved(Protocol):
    """What scoring needs of ``person_resolution.Resolution``."""

    def author_link(self, rfc: int, position: int, author: str) -> _Linked: ...

    def person_key(self, name: str) -> int | str | None: ...

    def author_position(self, rfc: int, author: str) -> int | None: ...


@cache
def sample() -> tuple[Decision, ...]:
    doc = local.read_yaml("resolution-sample", local.package_file(SAMPLE_FILE))[1]
    if not isinstance(doc, Mapping):
        raise ValueError(f"{SAMPLE_FILE}: no decisions")
    return tuple(_decisions(doc))


def _decisions(doc: Mapping[str, Any]) -> Iterator[Decision]:
    for entry in doc.get("decisions", ()):
        yield Decision(
            rfc=int(entry["rfc"]),
            author=str(entry["author"]),
            expected=str(entry["expected"]),
            evidence=str(entry["evidence"]),
            not_person=entry.get("not"),
        )


def score_sample(resolution: Resolved, decisions: tuple[Decision, ...] | None = None) -> Score | None:
    """Precision and recall of the resolution on the labelled sample; None when the build has
    none of its slots (a fixture snapshot). Slots the build lacks are left out of the score."""
    decisions = sample() if decisions is None else decisions
    links = right = people = scored = 0
    wrong: list[Decision] = []
    for decision in decisions:
        position = resolution.author_position(decision.rfc, decision.author)
        if position is None:
            continue
        scored += 1
        link = resolution.author_link(decision.rfc, position, decision.author)
        expected = None if decision.expected == UNRESOLVED else resolution.person_key(decision.expected)
        if decision.expected != UNRESOLVED and expected is None:
            raise ValueError(f"{SAMPLE_FILE}: no source names {decision.expected!r}")
        people += expected is not None
        if link.matched:
            links += 1
            if link.key == expected:
                right += 1
            else:
                wrong.append(decision)
    return Score(scored, links, right, people, tuple(wrong)) if scored else None
