"""Entity resolution of person names across sources (pure, in memory).

Datatracker and the power map name people in full ("Eric Rescorla") with integer ids;
roll calls and seed pages give full names whose spelling varies ("Mirja Kuehlewind" /
"Mirja Kühlewind"); RFCs print authors as initials and surname ("E. Rescorla, Ed.").
``PeopleIndex`` gives each person one key so all of these land on one graph node:

* a full name matches a registered full name when both ``fold`` to the same text;
* an RFC author matches a registered person when the surnames fold equal, the first
  initial matches and no further initial conflicts, and exactly one person fits.
  A surname alone never links, and an ambiguous author stays unmatched, because a wrong
  merge silently corrupts authorship while a missed one only leaves a second node;
* an unmatched author keeps a node of its own, keyed by initials and surname without
  suffixes ("E. Rescorla, Ed." and "E. Rescorla" -> ``"e-rescorla"``), and is counted so
  the build summary can report it.

Registration order matters, because a key handed out is never taken back: register
Datatracker people (integer ids) first, then other full-name sources through
``key_for_name``, and only then resolve RFC authors. An author resolved before the
full name was known keeps its initials key.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ietfkg.ingest.person_names import ascii_slug, given_forms, spellings
from ietfkg.schema.vocab import fold, slug

Key = int | str

# Role suffixes say what the author did, not who they are.
_ROLE_SUFFIX = re.compile(r"\s*[,.]\s*(Ed\.?|Editor|WG Chair|Chair)\s*$", re.IGNORECASE)
# Generational suffixes belong to the name but not to its key ("T. Murphy Jr.", "D. Eastlake 3rd").
_GENERATION_SUFFIX = re.compile(r"(?:\s*,\s*|\s+)(Jr\.?|Sr\.?|II|III|IV|2nd|3rd|4th)\s*$")
# "E.", "R.T.", "J.-P.", "J-P.", "JL.", "Y(J).", "H..", and undotted "RJ", "A".
_INITIALS_TOKEN = re.compile(r"(?:[A-Z](?:\([A-Z]\))?[.\-]*)+")
# Words that only organisation authors contain ("Internet Architecture Board", "Sun Microsystems").
_ORG_WORDS = frozenset({
    "acm", "agency", "authority", "board", "bureau", "center", "centre", "comittee", "committee",
    "consortium", "corporation", "council", "editor", "force", "forum", "foundation", "group", "iab",
    "iana", "iesg", "ietf", "inc", "institute", "irtf", "iso", "isoc", "laboratories", "laboratory",
    "ltd", "microsystems", "network", "organisation", "organization", "secretariat", "society",
    "staff", "trustees", "university",
})
# Entries that are no person although they look like one: "Bolt Beranek" is the first half of
# "Bolt Beranek and Newman Laboratories", which the RFC Editor JSON splits on "and" (RFC 907).
_NOT_PEOPLE = frozenset({"bolt beranek", "et al", "et al."})


@dataclass(frozen=True, slots=True)
class ParsedAuthor:
    """An author as printed, split into what matching needs.

    ``name`` is the printed form without role suffixes ("E. Rescorla"); ``initials`` are
    upper-case letters ("J.-P." gives ``("J", "P")``); ``suffix`` is a generational suffix.
    """

    name: str
    initials: tuple[str, ...]
    surname: str
    suffix: str | None = None
    editor: bool = False

    @property
    def key(self) -> str:
        """The node key of an unmatched author: initials and surname, suffixes dropped.

        The plain transliteration, so "P. Fältström" and "P. Faltstrom" share it.
        """
        return ascii_slug(" ".join((*self.initials, self.surname)))


@dataclass(frozen=True, slots=True)
class AuthorMatch:
    """The node an RFC author string resolves to.

    ``matched`` is True when a registered full-name person was found; ``is_person`` is
    False for organisation authors ("IAB", "Internet Architecture Board").
    """

    key: Key
    name: str
    matched: bool
    is_person: bool = True
    editor: bool = False


@dataclass(frozen=True, slots=True)
class _Candidate:
    """One way to read a registered full name: given names, then the surname it is filed under."""

    key: Key
    name: str
    given: tuple[str, ...]  # normalised words
    given_initials: tuple[str, ...]


@lru_cache(maxsize=1 << 16)
def parse_author(author: str) -> ParsedAuthor | None:
    """Split an RFC author string into initials and surname; None for organisations.

    >>> parse_author("J.-P. Vasseur, Ed.")
    ParsedAuthor(name='J.-P. Vasseur', initials=('J', 'P'), surname='Vasseur', suffix=None, editor=True)
    >>> parse_author("D. Eastlake 3rd").key, parse_author("R. van Brandenburg").surname
    ('d-eastlake', 'van Brandenburg')
    >>> parse_author("Internet Architecture Board") is None, parse_author("IAB") is None
    (True, True)
    """
    name, core, suffix, editor = _strip_suffixes(" ".join(author.split()))
    tokens = core.split()
    if not tokens or fold(core) in _NOT_PEOPLE:
        return None
    count = _leading_initials(tokens)
    if count:
        initials = tuple(letter for token in tokens[:count] for letter in _initials_of(token))
        return ParsedAuthor(name, initials, " ".join(tokens[count:]), suffix, editor)
    if _looks_like_organisation(tokens):
        return None
    if len(tokens) == 1:  # a mononym ("Mitra", RFC 2077): no initials, so it never links
        return ParsedAuthor(name, (), tokens[0], suffix, editor)
    return ParsedAuthor(name, _given_initials(tokens[:1]), " ".join(tokens[1:]), suffix, editor)


class PeopleIndex:
    """Keys for people named by full name or by RFC author string.

    >>> people = PeopleIndex()
    >>> people.add("Eric Rescorla", 100)
    >>> people.key_for_author("E. Rescorla, Ed.")
    AuthorMatch(key=100, name='Eric Rescorla', matched=True, is_person=True, editor=True)
    >>> people.key_for_name("Mirja Kühlewind"), people.key_for_name("Mirja Kuehlewind")
    ('mirja-kuehlewind', 'mirja-kuehlewind')
    >>> people.key_for_author("B. Smith").key, sorted(people.unmatched_authors())
    ('b-smith', ['B. Smith'])
    """

    def __init__(self) -> None:
        self._by_name: dict[str, Key] = {}
        self._by_surname: dict[str, list[_Candidate]] = defaultdict(list)
        self._unmatched: set[str] = set()
        self._ambiguous: set[str] = set()
        # Author strings recur (22,000 RFC authorships, far fewer printed names); an answer
        # holds until the next registration, which can change it.
        self._authors: dict[str, AuthorMatch] = {}

    def add(self, name: str, key: Key) -> None:
        """Register a full-name person under ``key`` (a Datatracker id or a slug).

        The first key registered for a folded name wins for ``key_for_name``. A second
        person of the same name still joins author matching, which makes their shared
        initials ambiguous rather than giving both works to one of them.
        """
        if not _normalise(name):
            return
        self._authors.clear()
        for spelling in spellings(name):
            self._by_name.setdefault(spelling, key)
        for core in spellings(_strip_suffixes(name)[1]):  # "Donald Eastlake 3rd" -> eastlake
            tokens = core.split()
            for split in range(1, len(tokens)):
                given = tuple(tokens[:split])
                candidate = _Candidate(key, name, given, _given_initials(list(given)))
                bucket = self._by_surname[" ".join(tokens[split:])]
                if candidate not in bucket:
                    bucket.append(candidate)

    def key_for_name(self, name: str) -> Key:
        """The key of a full name: the registered one, else its slug (then registered).

        Besides a folded match, a name also finds the one registered person with the same
        first name (or a nickname of it: "Dave" / "David") and surname whose middle names it
        omits or abbreviates: Datatracker's "Cullen Fluffy Jennings" and "Lisa M. Dusseault"
        are the roll calls' "Cullen Jennings" and "Lisa Dusseault".
        """
        found = self.match_name(name)
        if found is not None:
            return found[0]
        key = slug(name)
        self.add(name, key)
        return key

    def match_name(self, name: str) -> tuple[Key, str] | None:
        """The registered key of a full name and how it was found (``full-name`` or ``nickname``)."""
        for spelling in spellings(name):
            if (known := self._by_name.get(spelling)) is not None:
                return known, "full-name"
        same = self._same_person(name, nicknames=False)
        if same is not None:
            return same, "full-name"
        same = self._same_person(name, nicknames=True)
        return (same, "nickname") if same is not None else None

    def key_for_author(self, author: str) -> AuthorMatch:
        """Resolve an RFC author string to a registered person, or to a node of its own."""
        match = self._authors.get(author)
        if match is None:
            match = self._authors[author] = self._resolve_author(author)
        return match

    def _resolve_author(self, author: str) -> AuthorMatch:
        parsed = parse_author(author)
        if parsed is None:
            name = " ".join(author.split())
            return AuthorMatch(slug(name), name, matched=False, is_person=False)
        fits = self._candidates(parsed)
        if len(fits) == 1:
            (match,) = fits
            return AuthorMatch(match.key, match.name, matched=True, editor=parsed.editor)
        self._unmatched.add(parsed.name)
        if fits:
            self._ambiguous.add(parsed.name)
        return AuthorMatch(parsed.key, parsed.name, matched=False, editor=parsed.editor)

    def unmatched_authors(self) -> set[str]:
        """Person authors (printed form) that matched no registered person, ambiguous ones included."""
        return set(self._unmatched)

    def ambiguous_authors(self) -> set[str]:
        """Person authors that fit more than one registered person and so stayed unmatched."""
        return set(self._ambiguous)

    def _same_person(self, name: str, nicknames: bool) -> Key | None:
        """The unique registered key whose first name (or a nickname of it) and surname equal this name's."""
        keys: set[Key] = set()
        for core in spellings(_strip_suffixes(name)[1]):
            tokens = core.split()
            if len(tokens) < 2:
                continue
            middle = _given_initials(tokens[1:-1])
            firsts = given_forms(tokens[0]) if nicknames else frozenset({tokens[0]})
            keys.update(
                candidate.key
                for candidate in self._by_surname.get(tokens[-1], ())
                if candidate.given[0] in firsts
                and all(a == b for a, b in zip(middle, candidate.given_initials[1:]))
            )
        return keys.pop() if len(keys) == 1 else None

    def _candidates(self, parsed: ParsedAuthor) -> list[_Candidate]:
        """Registered people with this surname whose initials agree; one per key."""
        if not parsed.initials:
            return []
        fits: dict[Key, _Candidate] = {}
        for surname in spellings(parsed.surname):
            for candidate in self._by_surname.get(surname, ()):
                if _initials_agree(parsed.initials, candidate.given_initials):
                    fits.setdefault(candidate.key, candidate)
        return list(fits.values())

    def candidates(self, author: str) -> list[tuple[Key, str]]:
        """Every registered person an author string's initials and surname fit: ``(key, name)``."""
        parsed = parse_author(author)
        return [(c.key, c.name) for c in self._candidates(parsed)] if parsed else []


def _strip_suffixes(name: str) -> tuple[str, str, str | None, bool]:
    """``(display, core, generation suffix, editor)``: "J. Smith, Jr., Ed." -> "J. Smith, Jr.", "J. Smith"."""
    display, editor = name, False
    while (role := _ROLE_SUFFIX.search(display)) and role.start() > 0:
        editor = editor or role.group(1).lower().startswith("ed")
        display = display[: role.start()]
    core, suffix = display, None
    generation = _GENERATION_SUFFIX.search(display)
    if generation and generation.start() > 0:
        core, suffix = display[: generation.start()], generation.group(1)
    return display.strip(), core.strip(), suffix, editor


def _leading_initials(tokens: list[str]) -> int:
    """How many leading tokens are initials; the last token is always the surname."""
    count = 0
    for token in tokens[:-1]:
        letters = sum(ch.isalpha() for ch in token)
        if not _INITIALS_TOKEN.fullmatch(token) or ("." not in token and "-" not in token and letters > 2):
            break
        count += 1
    return count


def _initials_of(token: str) -> tuple[str, ...]:
    """``"J.-P."`` -> ``("J", "P")``; a parenthesised alternative (``"Y(J)."``) is not an initial."""
    return tuple(ch for ch in fold(re.sub(r"\([^)]*\)", "", token)).upper() if ch.isalpha())


def _given_initials(given: list[str]) -> tuple[str, ...]:
    """First letters of given names; hyphenated names count twice ("Jean-Philippe" -> J, P)."""
    parts = (part for word in given for part in re.split(r"[^A-Za-z0-9]+", fold(word)))
    return tuple(part[0].upper() for part in parts if part)


def _initials_agree(author: tuple[str, ...], given: tuple[str, ...]) -> bool:
    """First initials equal; later ones may be missing on either side but never differ."""
    return bool(given) and author[0] == given[0] and all(a == g for a, g in zip(author[1:], given[1:]))


def _looks_like_organisation(tokens: list[str]) -> bool:
    words = [re.sub(r"[^a-z0-9]", "", fold(token)) for token in tokens]
    shouting = all(token.isupper() and sum(ch.isalpha() for ch in token) >= 2 for token in tokens)
    return shouting or any(word in _ORG_WORDS for word in words)


def _normalise(name: str) -> str:
    """``fold`` plus punctuation as spaces, so "Jean-Philippe" and "Reddy.K" compare by words."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(name)).split())
