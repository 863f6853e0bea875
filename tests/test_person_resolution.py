"""The resolution stage on the real bundled snapshot: the labelled sample's precision, the known
hard cases one by one, and one preferred name per person."""

from __future__ import annotations

from functools import cache

import pytest
from pyoxigraph import Store

from ietfkg.ingest.fetch import local
from ietfkg.ingest.person_resolution import LINKED, Resolution, resolve
from ietfkg.ingest.pipeline import parse_sources
from ietfkg.ingest.resolution_sample import UNRESOLVED, Decision, sample, score_sample
from ietfkg.graph.progress import QuietReporter
from ietfkg.ingest.pipeline import BuildSummary
from ietfkg.schema.vocab import DEFAULT_BASE, IETF

PRECISION_REQUIRED = 0.995


@cache
def resolution() -> Resolution:
    parsed, _ = parse_sources(local.snapshot_dir(), QuietReporter())
    return resolve(parsed)


def link(rfc: int, author: str):  # noqa: ANN201 - a person_resolution.Link
    people = resolution()
    position = people.author_position(rfc, author)
    assert position is not None, (rfc, author)
    return people.author_link(rfc, position, author)


def linked_to(rfc: int, author: str) -> str | None:
    """The preferred name of the known person the slot links to, None when unresolved."""
    found = link(rfc, author)
    return found.name if found.matched else None


# -- the labelled sample -------------------------------------------------------------------
def test_sample_is_large_and_cites_evidence() -> None:
    decisions = sample()
    assert len(decisions) >= 200
    assert all(d.evidence and f"rfc{d.rfc}.json" in d.evidence for d in decisions)
    assert sum(d.expected != UNRESOLVED for d in decisions) >= 100


def test_sample_precision_on_the_real_snapshot() -> None:
    score = score_sample(resolution())
    assert score is not None and score.decisions == len(sample())  # every labelled slot is in the snapshot
    assert score.precision >= PRECISION_REQUIRED, [(d.rfc, d.author, d.expected) for d in score.wrong]
    assert score.links >= 100  # a precision over a handful of links would prove nothing


def test_a_wrong_link_lowers_the_measured_precision() -> None:
    """The score can fail: a decision whose labelled answer is not the linked person counts as wrong."""
    right = next(d for d in sample() if d.expected != UNRESOLVED and linked_to(d.rfc, d.author))
    flipped = Decision(right.rfc, right.author, UNRESOLVED, right.evidence)
    score = score_sample(resolution(), (flipped,))
    assert score is not None and score.precision == 0.0 and score.wrong == (flipped,)


def test_not_labels_are_never_linked() -> None:
    for decision in sample():
        if decision.not_person:
            assert linked_to(decision.rfc, decision.author) != decision.not_person, decision


# -- the hard cases ------------------------------------------------------------------------------
@pytest.mark.parametrize("rfc", [6755, 7521, 7522, 7523, 8693, 8705, 9449])
def test_b_campbell_on_oauth_rfcs_is_not_ben_campbell(rfc: int) -> None:
    author = next(a for a in ("B. Campbell", "B. Campbell, Ed.") if resolution().author_position(rfc, a))
    assert linked_to(rfc, author) is None
    assert link(rfc, author).basis.startswith("unresolved")


def test_d_connolly_on_rfc_1866_is_not_deirdre_connolly() -> None:
    assert linked_to(1866, "D. Connolly") is None
    assert link(1866, "D. Connolly").basis == "unresolved-era"


@pytest.mark.parametrize("rfc", [1386, 1480])
def test_a_cooper_on_early_1990s_rfcs_is_not_alissa_cooper(rfc: int) -> None:
    assert linked_to(rfc, "A. Cooper") is None
    assert link(rfc, "A. Cooper").basis == "unresolved-era"


def test_c_perkins_of_mobile_ip_and_of_rtp_are_different_nodes() -> None:
    mobile_ip, rtp = link(3344, "C. Perkins, Ed."), link(6679, "C. Perkins")  # mobileip WG / avtcore WG
    assert not mobile_ip.matched and not rtp.matched
    assert mobile_ip.key != rtp.key


def test_faltstrom_spellings_share_one_name_key() -> None:
    """Unresolved nodes are keyed by name and context; both spellings give the same name key."""
    spelled = {link(rfc, author).key.split("--")[0] for rfc, author in ((9233, "P. Fältström"), (7553, "P. Faltstrom"))}
    assert spelled == {"p-faltstrom"}


def test_preuss_mattsson_and_mattsson_meet_within_a_group() -> None:
    assert link(9175, "J. Preuß Mattsson").key == link(8613, "J. Mattsson").key  # both core WG


def test_a_unique_initials_link_inside_the_persons_era() -> None:
    found = link(8446, "E. Rescorla")
    assert found.matched and found.name == "Eric Rescorla" and found.basis == "initials-unique-in-era"


# -- one preferred name ---------------------------------------------------------------------------
def test_one_preferred_name_per_person_prefers_no_capitals() -> None:
    people = resolution()
    assert people.preferred_name(112751) == "Qin Wu"  # power map "Qin WU", roll calls "Qin Wu"
    assert people.preferred_name(105791) == "Cullen Fluffy Jennings"  # Datatracker's name first


def test_every_slot_of_a_node_carries_its_one_preferred_name() -> None:
    people = resolution()
    names: dict[object, set[str]] = {}
    for _, _, _, found in people.links():
        if found.is_person:
            names.setdefault(found.key, set()).add(found.name)
    assert all(len(spelled) == 1 for spelled in names.values())
    assert {found.basis for _, _, _, found in people.links() if found.matched} <= LINKED


def test_a_common_surname_needs_an_anchor() -> None:
    """Zhang is printed with many first initials, so "Z. Zhang" on a pim RFC (no role of Zhaohui
    Zhang's in pim, no co-author shared with one) is left unresolved rather than guessed."""
    found = link(7761, "Z. Zhang")
    assert not found.matched and found.basis == "unresolved-common-surname"


# -- in the built store ---------------------------------------------------------------------------
def _store(snapshot_build: BuildSummary) -> Store:
    return Store.read_only(str(snapshot_build.store))


def test_the_build_summary_reports_the_sample_precision(snapshot_build: BuildSummary) -> None:
    score = snapshot_build.resolution_score
    assert score is not None and score.decisions == len(sample())
    assert score.precision >= PRECISION_REQUIRED
    assert snapshot_build.resolution is not None and snapshot_build.resolution.linked > 1000


def test_no_person_carries_two_names_in_the_store(snapshot_build: BuildSummary) -> None:
    rows = list(_store(snapshot_build).query(
        "SELECT ?p WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?n } GROUP BY ?p HAVING (COUNT(DISTINCT ?n) > 1)",
        use_default_graph_as_union=True,
    ))
    assert rows == []


def test_each_author_slot_records_its_basis(snapshot_build: BuildSummary) -> None:
    rows = list(_store(snapshot_build).query(
        f"""SELECT ?printed ?basis ?person WHERE {{
              <{DEFAULT_BASE}doc/rfc7521> <{IETF.authorship.value}> ?slot .
              ?slot <{IETF.authorString.value}> ?printed ; <{IETF.resolutionBasis.value}> ?basis ;
                    <{IETF.author.value}> ?person }}""",
        use_default_graph_as_union=True,
    ))
    by_author = {row["printed"].value: (row["basis"].value, row["person"].value) for row in rows}
    basis, person = by_author["B. Campbell"]
    assert basis == "unresolved-area" and not person.endswith("/person/104140")  # not Ben Campbell
    assert set(by_author) == {"B. Campbell", "C. Mortimore", "M. Jones", "Y. Goland"}  # RFC 7521's four authors
