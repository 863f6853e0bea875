"""A source read in a second process gives what reading it in the build gives."""

from __future__ import annotations

import pickle

from ietfkg.ingest import apart, registry
from ietfkg.ingest.fetch import local
from ietfkg.ingest.sources.base import Source
from ietfkg.schema.errors import ParseError

APART = tuple(s for s in registry.snapshot_sources() if s.apart)


def test_a_source_read_apart_gives_the_records_read_here() -> None:
    assert APART, "no source is read apart"
    snapshot = local.snapshot_dir()
    with apart.ApartReads(APART, snapshot) as reads:
        for source in APART:
            taken = reads.take(source.info.name)
            assert taken is not None
            assert taken == apart.read(source, snapshot) and len(taken[0]) > 100


def test_a_failed_process_leaves_the_source_to_the_build() -> None:
    with apart.ApartReads(APART, local.snapshot_dir()) as reads:
        name = APART[0].info.name
        reads._running[name].kill()
        assert reads.take(name) is None
        assert reads.take(name) is None  # taken once: the build then reads the source itself
        assert reads.take("rfc-editor") is None  # not read apart


def test_only_registered_sources_are_read_apart() -> None:
    source = APART[0]
    lookalike = Source(source.info, lambda root, parsed, on_error: iter(()), apart=True)  # same name, own reader
    with apart.ApartReads((lookalike,), local.snapshot_dir()) as reads:
        assert reads.take(source.info.name) is None  # the build reads it itself, with its own reader


def test_parse_errors_survive_the_trip() -> None:
    error = ParseError("relaton-subseries", "rfcsubseries-yaml.tar.gz:data/BCP0100.yaml", "malformed YAML")
    again = pickle.loads(pickle.dumps(error))
    assert (again.source, again.key, again.reason, str(again)) == (error.source, error.key, error.reason, str(error))
