"""Person entity resolution: real power-map people against real RFC authors, plus edge cases."""

from __future__ import annotations

import json
import tarfile
from functools import cache
from pathlib import Path

import pytest

import ietfkg.ingest as ingest_pkg
from ietfkg.ingest.people import AuthorMatch, ParsedAuthor, PeopleIndex, parse_author
from ietfkg.ingest.rfc_editor import parse_rfc

SNAPSHOT = Path(ingest_pkg.__file__).parent / "snapshot"


@cache
def real_authors() -> frozenset[str]:
    with tarfile.open(SNAPSHOT / "rfc-editor" / "rfc-json.tar.gz") as tar:
        handles = ((m.name, tar.extractfile(m)) for m in tar if m.isfile() and m.name.endswith(".json"))
        rfcs = [parse_rfc(json.load(handle), name) for name, handle in handles if handle is not None]
    return frozenset(author for rfc in rfcs for author in rfc.authors)


def power_map_index() -> PeopleIndex:
    """Datatracker people (real ids) registered first, as the pipeline does."""
    persons = json.loads((SNAPSHOT / "ietf-power-map" / "ietf_data.json").read_text())["persons"]
    index = PeopleIndex()
    for person_id, person in persons.items():
        index.add(person["name"], int(person_id))
    return index


# -- parse_author ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("author", "initials", "surname", "suffix", "editor"),
    [
        ("E. Rescorla", ("E",), "Rescorla", None, False),
        ("E. Rescorla, Ed.", ("E",), "Rescorla", None, True),
        ("S. Smyshlyaev. Ed.", ("S",), "Smyshlyaev", None, True),
        ("J. Smith, Jr.", ("J",), "Smith", "Jr.", False),
        ("T. Murphy Jr.", ("T",), "Murphy", "Jr.", False),
        ("D. Eastlake 3rd", ("D",), "Eastlake", "3rd", False),
        ("P. Nesser, II", ("P",), "Nesser", "II", False),
        ("J-P. Vasseur", ("J", "P"), "Vasseur", None, False),
        ("J.-P. Vasseur, Ed.", ("J", "P"), "Vasseur", None, True),
        ("C. A. Wood", ("C", "A"), "Wood", None, False),
        ("R.T. Braden", ("R", "T"), "Braden", None, False),
        ("RJ Atkinson", ("R", "J"), "Atkinson", None, False),
        ("Y(J). Stein", ("Y",), "Stein", None, False),
        ("R. van Brandenburg", ("R",), "van Brandenburg", None, False),
        ("S. St. Laurent", ("S",), "St. Laurent", None, False),
        ("É. Vyncke", ("E",), "Vyncke", None, False),
        ("J. Žorž", ("J",), "Žorž", None, False),
        ("T.  Connolly", ("T",), "Connolly", None, False),
        ("Juha Heinanen", ("J",), "Heinanen", None, False),
        ("Mitra", (), "Mitra", None, False),
    ],
)
def test_parse_author(
    author: str, initials: tuple[str, ...], surname: str, suffix: str | None, editor: bool
) -> None:
    parsed = parse_author(author)
    assert parsed is not None
    assert (parsed.initials, parsed.surname) == (initials, surname)
    assert (parsed.suffix, parsed.editor) == (suffix, editor)


@pytest.mark.parametrize(
    "author",
    ["IAB", "IESG", "IANA", "Internet Architecture Board", "IAB and IESG", "RFC Editor", "ACM SIGUCCS",
     "Sun Microsystems", "KOI8-U Working Group", "Internet Assigned Numbers Authority (IANA)", "Bolt Beranek",
     "et al.", ""],
)
def test_organisations_are_not_people(author: str) -> None:
    assert parse_author(author) is None


def test_suffixes_do_not_split_the_node() -> None:
    def key(author: str) -> str:
        parsed = parse_author(author)
        assert parsed is not None
        return parsed.key

    assert {key("E. Rescorla"), key("E. Rescorla, Ed."), key("E. Rescorla. Ed.")} == {"e-rescorla"}
    assert key("J.-P. Vasseur") == key("J-P. Vasseur, Ed.") == key("J.P. Vasseur") == "j-p-vasseur"
    assert parse_author("D. Eastlake 3rd") == ParsedAuthor("D. Eastlake 3rd", ("D",), "Eastlake", "3rd")


# -- PeopleIndex -----------------------------------------------------------------------
def test_author_matches_registered_full_name() -> None:
    index = PeopleIndex()
    index.add("Eric Rescorla", 123)
    assert index.key_for_author("E. Rescorla") == AuthorMatch(123, "Eric Rescorla", matched=True)
    edited = index.key_for_author("E. Rescorla, Ed.")
    assert edited == AuthorMatch(123, "Eric Rescorla", matched=True, editor=True)
    assert index.unmatched_authors() == set()


def test_ambiguous_initial_stays_unmatched() -> None:
    index = PeopleIndex()
    index.add("John Smith", 1)
    index.add("Jane Smith", 2)
    match = index.key_for_author("J. Smith")
    assert match == AuthorMatch("j-smith", "J. Smith", matched=False)
    assert index.unmatched_authors() == index.ambiguous_authors() == {"J. Smith"}
    assert index.key_for_author("Jo. Smith").matched is False  # no way to tell John from Jane


def test_surname_alone_never_matches() -> None:
    index = PeopleIndex()
    index.add("Adam Smith", 1)
    assert index.key_for_author("B. Smith") == AuthorMatch("b-smith", "B. Smith", matched=False)
    assert index.key_for_author("Smith").matched is False  # a mononym carries no initial
    assert index.unmatched_authors() == {"B. Smith", "Smith"}
    assert index.ambiguous_authors() == set()


def test_further_initials_must_not_conflict() -> None:
    index = PeopleIndex()
    index.add("Christopher A. Wood", 5)
    assert index.key_for_author("C. Wood").key == 5
    assert index.key_for_author("C. A. Wood").key == 5
    assert index.key_for_author("C.A. Wood").key == 5
    assert index.key_for_author("C. B. Wood").matched is False
    assert index.key_for_author("A. Wood").matched is False


def test_hyphenated_given_names_and_multi_word_surnames() -> None:
    index = PeopleIndex()
    index.add("Jean-Philippe Vasseur", 10)
    index.add("Oscar Gonzalez de Dios", 11)
    for printed in ("J-P. Vasseur", "J.-P. Vasseur, Ed.", "JP Vasseur", "J. Vasseur"):
        assert index.key_for_author(printed).key == 10, printed
    assert index.key_for_author("J-M. Vasseur").matched is False
    assert index.key_for_author("O. Gonzalez de Dios, Ed.").key == 11


def test_non_ascii_spellings_meet() -> None:
    index = PeopleIndex()
    index.add("Mirja Kühlewind", 7)
    index.add("Éric Vyncke", 8)
    assert index.key_for_name("Mirja Kuehlewind") == 7
    assert index.key_for_name("Eric Vyncke") == 8
    assert index.key_for_author("M. Kühlewind").key == index.key_for_author("M. Kuehlewind").key == 7
    assert index.key_for_author("É. Vyncke").key == index.key_for_author("E. Vyncke").key == 8


def test_unknown_full_name_gets_a_slug_and_is_then_matchable() -> None:
    index = PeopleIndex()
    assert index.key_for_name("Russ Housley") == "russ-housley"
    assert index.key_for_name("russ  housley") == "russ-housley"
    assert index.key_for_author("R. Housley, Ed.").key == "russ-housley"


def test_full_name_without_middle_names_finds_the_one_registered_person() -> None:
    index = PeopleIndex()
    index.add("Cullen Fluffy Jennings", 105791)
    index.add("Lisa M. Dusseault", 22971)
    assert index.key_for_name("Cullen Jennings") == 105791
    assert index.key_for_name("Lisa Dusseault") == 22971
    assert index.key_for_name("Lisa Q. Dusseault") == "lisa-q-dusseault"  # a conflicting middle initial
    assert index.key_for_name("Sue Dusseault") == "sue-dusseault"  # nicknames are not guessed


def test_first_registration_wins_and_homonyms_make_authors_ambiguous() -> None:
    index = PeopleIndex()
    index.add("Alex Example", 1)
    index.add("Alex Example", 2)  # a second person of the same name
    assert index.key_for_name("Alex Example") == 1
    assert index.key_for_author("A. Example").matched is False


def test_registration_order_matters() -> None:
    index = PeopleIndex()
    assert index.key_for_author("E. Rescorla").key == "e-rescorla"  # resolved before the name was known
    index.add("Eric Rescorla", 123)
    assert index.key_for_author("E. Rescorla").key == 123


def test_a_registration_after_a_lookup_changes_the_next_answer() -> None:
    index = PeopleIndex()
    assert index.key_for_author("A. Example").key == index.key_for_author("A. Example").key == "a-example"
    index.add("Alex Example", 1)
    assert index.key_for_author("A. Example").key == 1
    index.add("Alex Example", 2)  # a homonym: the same printed name now fits two people
    assert index.key_for_author("A. Example").matched is False


def test_organisation_authors_are_not_counted_as_unmatched_people() -> None:
    index = PeopleIndex()
    match = index.key_for_author("Internet Architecture Board")
    name = "Internet Architecture Board"
    assert match == AuthorMatch("internet-architecture-board", name, matched=False, is_person=False)
    assert index.unmatched_authors() == set()


# -- real data ---------------------------------------------------------------------------
def test_real_power_map_people_match_real_rfc_authors() -> None:
    index = power_map_index()
    assert index.key_for_author("P. Wouters").key == 112723  # Paul Wouters
    assert index.key_for_author("R. Housley, Ed.").key == 5376  # Russ Housley
    assert index.key_for_author("S. Farrell").key == 19177  # Stephen Farrell
    assert index.key_for_author("D. Eastlake 3rd").key == 102391  # "Donald E. Eastlake 3rd"
    assert index.key_for_author("M. Kühlewind").key == 112330  # registered as "Mirja Kuehlewind"
    assert index.key_for_author("É. Vyncke").key == 105099  # registered as "Eric Vyncke"
    assert index.key_for_author("E. Rescorla").matched is False  # not in the power map


def test_real_authors_resolve_without_wrong_merges() -> None:
    index = power_map_index()
    authors = real_authors()
    results = {author: index.key_for_author(author) for author in authors}
    matched = {a for a, m in results.items() if m.matched}
    assert 300 < len(matched) < len(authors) // 5
    assert "IAB" in authors and results["IAB"].is_person is False
    # every matched author agrees with the registered name on surname and first initial
    for author in matched:
        parsed, name = parse_author(author), results[author].name
        assert parsed is not None and parsed.initials[0] == name[0].upper(), (author, name)
    unmatched = {m.name for a, m in results.items() if m.is_person and not m.matched}
    assert index.unmatched_authors() == unmatched
    assert "E. Rescorla" in unmatched and "E. Rescorla, Ed." not in unmatched  # counted by cleaned name
