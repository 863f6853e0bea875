"""/sparql with real clients: SPARQLWrapper (Python) and curl, compared with the store."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, parse
from SPARQLWrapper import CSV, GET, JSON, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from ietfkg.graph.backends import Backend
from ietfkg.graph.oxigraph_backend import OxigraphBackend
from ietfkg.graph.queries import load
from ietfkg.graph.store_dir import StoreDir

TLS_CHAIRS = load("example_sec_wg_chairs")
TLS_GRAPH = load("example_tls_graph")


@pytest.fixture(scope="module")
def direct(store_root: Path) -> Backend:
    return OxigraphBackend.open(StoreDir(store_root).current())


def expected_rows(direct: Backend, query: str) -> list[tuple[str, ...]]:
    return [tuple(t.value if t is not None else "" for t in row) for row in direct.select(query).rows]


@pytest.mark.parametrize(("method", "request_method"), [(GET, None), (POST, None), (POST, POSTDIRECTLY)])
def test_sparqlwrapper_json(live_server, direct, method, request_method) -> None:
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(TLS_CHAIRS)
    client.setMethod(method)
    if request_method:
        client.setRequestMethod(request_method)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    names = result["head"]["vars"]
    rows = [tuple(b.get(n, {}).get("value", "") for n in names) for b in result["results"]["bindings"]]
    assert rows == expected_rows(direct, TLS_CHAIRS)


def test_sparqlwrapper_xml_csv_tsv(live_server, direct) -> None:
    expected = expected_rows(direct, TLS_CHAIRS)
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(TLS_CHAIRS)
    client.setReturnFormat(XML)
    document = client.query().convert()  # an xml.dom.minidom Document
    assert len(document.getElementsByTagName("result")) == len(expected)
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.query().convert().decode())))
    assert [tuple(r) for r in rows[1:]] == expected
    client.setReturnFormat(TSV)
    lines = client.query().convert().decode().splitlines()
    assert lines[0].split("\t")[0] == "?acronym" and len(lines) == len(expected) + 1


def test_sparqlwrapper_construct_and_ask(live_server, direct) -> None:
    expected = {str(t) for t in direct.raw_query(TLS_GRAPH)}
    client = SPARQLWrapper(live_server + "/sparql")
    client.setQuery(TLS_GRAPH)
    client.setReturnFormat(TURTLE)
    turtle = client.query().convert()
    assert {str(t) for t in parse(turtle, format=RdfFormat.TURTLE)} == expected
    client.setReturnFormat(N3)
    assert {str(t) for t in parse(client.query().convert(), format=RdfFormat.TURTLE)} == expected
    client.setQuery("ASK { ?rfc ietf:rfcNumber 9420 ; ietf:definesProtocol/skos:notation 'MLS' }")
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("application/sparql-results+json", "json"),
        ("text/csv", "csv"),
    ],
)
def test_curl(live_server, direct, accept, check) -> None:
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "--fail",
            "-H",
            f"Accept: {accept}",
            "--data-urlencode",
            f"query={TLS_CHAIRS}",
            live_server + "/sparql",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    expected = expected_rows(direct, TLS_CHAIRS)
    if check == "json":
        data = json.loads(out)
        names = data["head"]["vars"]
        assert [
            tuple(b.get(n, {}).get("value", "") for n in names) for b in data["results"]["bindings"]
        ] == expected
    else:
        assert [tuple(r) for r in list(csv.reader(io.StringIO(out.decode())))[1:]] == expected


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_download_and_refused_update(live_server, direct) -> None:
    out = subprocess.run(
        [
            "curl",
            "-sS",
            "-G",
            "-D",
            "-",
            "--data-urlencode",
            f"query={TLS_GRAPH}",
            "--data",
            "format=nt",
            live_server + "/sparql",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    assert b'content-disposition: attachment; filename="construct-result.nt"' in head.lower()
    assert {str(t) for t in parse(body, format=RdfFormat.N_TRIPLES)} == {
        str(t) for t in direct.raw_query(TLS_GRAPH)
    }
    refused = subprocess.run(
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--data-urlencode",
            "update=DROP ALL",
            live_server + "/sparql",
        ],
        capture_output=True,
        check=True,
        timeout=60,
        text=True,
    ).stdout
    assert refused == "403"
