"""Reads of the bundled snapshot files (the live sources read through ``http_client``).

Readers yield ``(locator, decoded)`` pairs, where the locator names the file and
record ("rfc-json.tar.gz:json/rfc8446.json", "roll-calls.jsonl:12") so that every
parse error can say exactly where the bad input is. Decoding failures are yielded
as ``ParseError`` values instead of raised, so one bad record is counted and
skipped without losing the rest of the file.
"""

from __future__ import annotations

import gzip
import json
import tarfile
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ietfkg.schema.errors import ParseError

Decoded = tuple[str, Any | ParseError]


def snapshot_dir() -> Path:
    """The bundled real-data snapshot shipped inside the package."""
    return Path(str(files("ietfkg.ingest") / "snapshot"))


def package_file(name: str) -> Path:
    """A data file shipped next to the ingest modules (curated YAML, overrides)."""
    return Path(str(files("ietfkg.ingest") / name))


def _open_text(path: Path) -> str:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _decode_json(source: str, locator: str, text: str | bytes) -> Any | ParseError:
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        return ParseError(source, locator, f"malformed JSON: {exc}")


# libyaml's safe loader is much faster than the pure-Python one; same semantics.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _decode_yaml(source: str, locator: str, text: str | bytes) -> Any | ParseError:
    try:
        return yaml.load(text, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        return ParseError(source, locator, f"malformed YAML: {exc}")


def _missing(source: str, path: Path) -> ParseError | None:
    return None if path.is_file() else ParseError(source, str(path), "file not found")


def read_json(source: str, path: Path) -> Decoded:
    """One JSON document (plain or gzipped)."""
    return path.name, _missing(source, path) or _decode_json(source, path.name, _open_text(path))


def read_yaml(source: str, path: Path) -> Decoded:
    return path.name, _missing(source, path) or _decode_yaml(source, path.name, _open_text(path))


def read_jsonl(source: str, path: Path) -> Iterator[Decoded]:
    """One decoded object per non-blank line; the locator carries the line number."""
    if missing := _missing(source, path):
        yield path.name, missing
        return
    for number, line in enumerate(_open_text(path).splitlines(), start=1):
        if line.strip():
            locator = f"{path.name}:{number}"
            yield locator, _decode_json(source, locator, line)


def read_tar_members(source: str, path: Path, suffix: str) -> Iterator[Decoded]:
    """Decoded members of a .tar.gz whose names end with ``suffix`` (.json or .yaml)."""
    decode = _decode_yaml if suffix in (".yaml", ".yml") else _decode_json
    if missing := _missing(source, path):
        yield path.name, missing
        return
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            if not (member.isfile() and member.name.endswith(suffix)):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            locator = f"{path.name}:{member.name}"
            yield locator, decode(source, locator, handle.read())
