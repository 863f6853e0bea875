"""How two printed forms of a person's name compare: transliteration, name parts, nicknames.

Names reach the graph in several spellings: "Fältström" and "Faltstrom" (RFC 9233, RFC 7553),
"Kühlewind" and "Kuehlewind" (RFCs, roll calls), "Dave" and "David". Two transliterations
cover the umlaut cases: ``anyascii`` ("ä" -> "a") and the German one in ``vocab.fold``
("ä" -> "ae"); a name is compared under both. Given names are compared through the
``nicknames`` table, and ``nameparser`` finds a nickname printed in parentheses
("Zhaohui (Jeffrey) Zhang").
"""

from __future__ import annotations

import re
from functools import cache

from anyascii import anyascii
from nameparser import HumanName
from nicknames import NickNamer

from ietfkg.schema.vocab import fold


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


def words(text: str) -> str:
    """Lower-case ASCII words, punctuation as spaces: ``"Jean-Philippe"`` -> ``"jean philippe"``."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


@cache
def spellings(text: str) -> frozenset[str]:
    """The text under both transliterations, as ``words``.

    >>> sorted(spellings("Fältström"))
    ['faeltstroem', 'faltstrom']
    >>> sorted(spellings("Preuß Mattsson"))
    ['preuss mattsson']
    """
    plain = " ".join(re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).split())
    return frozenset({words(text), plain} - {""})


@cache
def ascii_slug(text: str) -> str:
    """A key segment by the plain transliteration, so "P. Fältström" and "P. Faltstrom" meet.

    >>> ascii_slug("P. Fältström"), ascii_slug("J. Preuß Mattsson")
    ('p-faltstrom', 'j-preuss-mattsson')
    """
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-") or "x"


@cache
def given_forms(given: str) -> frozenset[str]:
    """A given name with its nicknames and the names it is a nickname of.

    >>> sorted(given_forms("Dave")) == sorted({"dave", "david", "davey", "day"}) or "david" in given_forms("Dave")
    True
    >>> "ted" in given_forms("Edward")
    True
    """
    name = words(given)
    namer = _nicknamer()
    forms = {name} | namer.nicknames_of(name) | namer.canonicals_of(name)
    return frozenset(forms)


def nickname_in(name: str) -> str | None:
    """A nickname printed in parentheses or quotes: "Zhaohui (Jeffrey) Zhang" -> "Jeffrey"."""
    nickname = HumanName(name).nickname
    return nickname or None
