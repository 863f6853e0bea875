"""Hostile load on one server: runaway and oversized queries are cut at the limits, the rest still answers.

The server runs in this process (``serve_app``) with a 2 s query limit and a
64 KiB body cap. Nothing here measures wall-clock durations: the tests assert
on statuses, error codes and the order in which answers arrive.
"""

from __future__ import annotations

import html
import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from ietfkg.api.settings import Settings
from tests.conftest import serve_app
from tests.test_sparql_workers import RUNAWAY, Server, cpu_seconds, wait_until
from tests.timeouts import HTTP_TIMEOUT_S

MAX_BODY = 64 * 1024
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p1 ?x1 . ?b ?p2 ?x2 . ?c ?p3 ?x3 . ?d ?p4 ?x4 }"
SIMPLE_SPARQL = "SELECT ?title WHERE { ?rfc ietf:rfcNumber 8446 ; dcterms:title ?title }"
SIMPLE_GRAPHQL = '{ rfc(number: 8446) { title group { acronym } } }'


def sparql_workers(pids: set[int]) -> list[psutil.Process]:
    me = psutil.Process(os.getpid())
    return [p for p in me.children(recursive=True) if p.pid not in pids and "ietfkg.api.sparql.pool" in p.cmdline()]


@pytest.fixture(scope="module")
def server(store_root: Path) -> Iterator[tuple[str, set[int]]]:
    """A server with short limits, and the processes that were running before it (to tell its workers apart)."""
    others = {p.pid for p in psutil.Process(os.getpid()).children(recursive=True)}
    settings = Settings.from_env(store=str(store_root), query_timeout_s=2, sparql_workers=2, max_body_bytes=MAX_BODY)
    with serve_app(settings) as url:
        wait_until(lambda: len(sparql_workers(others)) == 2, "the two SPARQL workers to start")
        yield url, others


def graphql(url: str, query: str, **variables: object) -> dict:
    response = httpx.post(url + "/graphql", json={"query": query, "variables": variables}, timeout=30)
    assert response.status_code == 200
    return response.json()


# -- a runaway query while others are served -----------------------------------------
@pytest.fixture(scope="module")
def patient_server(store_root: Path) -> Iterator[tuple[str, set[int]]]:
    """Like ``server``, with a timeout long enough that a loaded CI machine still answers the
    simple queries well inside it: the test is about ordering, not about speed."""
    others = {p.pid for p in psutil.Process(os.getpid()).children(recursive=True)}
    settings = Settings.from_env(store=str(store_root), query_timeout_s=8, sparql_workers=2, max_body_bytes=MAX_BODY)
    with serve_app(settings) as url:
        wait_until(lambda: len(sparql_workers(others)) == 2, "the two SPARQL workers to start")
        # Warm up both paths, so what follows measures concurrency, not first-use costs.
        httpx.post(url + "/sparql", data={"query": SIMPLE_SPARQL}, timeout=60)
        graphql(url, SIMPLE_GRAPHQL)
        yield url, others


def test_cartesian_query_times_out_while_simple_queries_answer(patient_server) -> None:
    url, others = patient_server
    workers = sparql_workers(others)
    finished: list[str] = []
    answers: dict[str, httpx.Response] = {}

    def runaway() -> None:
        answers["runaway"] = httpx.post(url + "/sparql", data={"query": CARTESIAN}, timeout=60)
        finished.append("runaway")

    thread = threading.Thread(target=runaway)
    busy_before = cpu_seconds(workers)
    thread.start()
    wait_until(lambda: cpu_seconds(workers) > busy_before + 0.3, "the cartesian query to run in a worker")
    simple = httpx.post(url + "/sparql", data={"query": SIMPLE_SPARQL}, timeout=30)
    finished.append("sparql")
    data = graphql(url, SIMPLE_GRAPHQL)
    finished.append("graphql")
    thread.join(timeout=60)

    assert finished == ["sparql", "graphql", "runaway"]  # both answered while the runaway was still running
    assert simple.status_code == 200
    assert [b["title"]["value"] for b in simple.json()["results"]["bindings"]] == [
        "The Transport Layer Security (TLS) Protocol Version 1.3"
    ]
    assert data["data"]["rfc"] == {
        "title": "The Transport Layer Security (TLS) Protocol Version 1.3", "group": {"acronym": "tls"}
    }
    runaway_answer = answers["runaway"]
    assert runaway_answer.status_code == 503 and runaway_answer.headers["retry-after"] == "5"
    assert runaway_answer.json()["error"] == {
        "code": "query_timeout", "message": "query took longer than 8 s and was stopped"
    }
    # the pool recovered: a fresh worker answers
    again = httpx.post(url + "/sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert again.json()["boolean"] is True


def test_runaway_queries_beyond_the_pool_size_are_all_cut(server) -> None:
    url, _ = server
    answers: list[httpx.Response] = []
    threads = [
        threading.Thread(target=lambda: answers.append(httpx.post(url + "/sparql", data={"query": RUNAWAY}, timeout=60)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # two run and are killed; the third never gets a worker within the limit: all three are clean 503s
    assert sorted(a.status_code for a in answers) == [503, 503, 503]
    assert {a.json()["error"]["code"] for a in answers} == {"query_timeout"}
    assert httpx.get(url + "/healthz", timeout=10).json() == {"status": "ok"}


# -- GraphQL limits ------------------------------------------------------------------
def test_deep_graphql_query_is_refused_by_the_depth_limit(server) -> None:
    url, _ = server
    deep = "{ group(acronym: \"tls\") { " + "parent { " * 30 + "acronym" + " }" * 30 + " } }"
    data = graphql(url, deep)
    assert data.get("data") is None
    (error,) = data["errors"]
    assert error["message"] == "'anonymous' exceeds maximum operation depth of 12"
    # the same query within the limit runs (tls → sec, which has no parent group)
    shallow = graphql(url, '{ group(acronym: "tls") { parent { acronym parent { acronym } } } }')
    assert shallow["data"]["group"]["parent"] == {"acronym": "sec", "parent": None}


def test_huge_first_is_refused_with_a_clear_error(server) -> None:
    url, _ = server
    literal = graphql(url, "{ groups(first: 1000000) { totalCount } }")
    assert literal.get("data") is None
    assert literal["errors"][0]["extensions"]["code"] == "too_complex"
    assert "over the limit of 50,000" in literal["errors"][0]["message"]
    variable = graphql(url, "query($n: Int) { groups(first: $n) { totalCount } }", n=1_000_000)
    assert variable["data"] is None  # groups is non-null: the error reaches the root
    assert variable["errors"][0]["message"] == "first must be between 0 and 100, got 1000000"
    assert variable["errors"][0]["extensions"]["code"] == "bad_request"
    beyond_int = graphql(url, "{ groups(first: 99999999999) { totalCount } }")
    assert beyond_int.get("data") is None
    assert any("over the limit of 50,000" in e["message"] for e in beyond_int["errors"])
    assert graphql(url, "{ groups(first: 100) { totalCount } }")["data"]["groups"]["totalCount"] > 100


# -- oversized bodies ----------------------------------------------------------------
def refused(response: httpx.Response) -> bool:
    return response.status_code == 413 and response.json()["error"] == {
        "code": "limit_exceeded", "message": f"request body larger than {MAX_BODY:,} bytes"
    }


@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/sparql", "application/sparql-query", b"ASK {} #" + b"x" * MAX_BODY),
        ("/sparql", "application/x-www-form-urlencoded", b"query=ASK%20%7B%7D%20%23" + b"x" * MAX_BODY),
        ("/graphql", "application/json", b'{"query": "{ areas { acronym } }", "x": "' + b"x" * MAX_BODY + b'"}'),
    ],
)
def test_oversized_bodies_are_refused_on_every_post_endpoint(server, path, content_type, body) -> None:
    url, _ = server
    headers = {"Content-Type": content_type}
    assert refused(httpx.post(url + path, content=body, headers=headers, timeout=30))  # declared length
    chunked = iter([body[i : i + 8192] for i in range(0, len(body), 8192)])  # no length: counted as it comes
    assert refused(httpx.post(url + path, content=chunked, headers=headers, timeout=30))
    # just under the cap is read and answered
    fits = body[: MAX_BODY - 100] if path == "/sparql" else b'{"query": "{ areas { acronym } }"}'
    assert httpx.post(url + path, content=fits, headers=headers, timeout=30).status_code == 200


def raw_request(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Send bytes as they are (httpx would fix a lying Content-Length); read the first answer, head and body."""
    host, port = url.removeprefix("http://").split(":")
    answer = b""
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head + body)
        while b"\r\n\r\n" not in answer and (chunk := sock.recv(65536)):
            answer += chunk
        header, _, rest = answer.partition(b"\r\n\r\n")
        length = next((int(h.split(b":")[1]) for h in header.lower().split(b"\r\n") if h.startswith(b"content-length:")), 0)
        while len(rest) < length and (chunk := sock.recv(65536)):
            rest += chunk
    return header + b"\r\n\r\n" + rest


def test_content_length_lies_are_bounded(server) -> None:
    url, _ = server
    # a length far over the cap is refused from the header, without waiting for a body that never comes
    head = b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n"
    answer = raw_request(url, head, b'{"query": "{ areas { acronym } }"}')
    assert answer.startswith(b"HTTP/1.1 413 ") and b'"code":"limit_exceeded"' in answer
    # a length that is not a number is refused too (by the HTTP parser or by the limit, never a 5xx)
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: lots\r\n\r\n"
    assert raw_request(url, head, b"ASK {}").split(b" ")[1] in (b"400", b"413")
    # a length that lies low: only the declared bytes are read as the body (here a bad query);
    # the bytes after it are a malformed next request, which httptools may refuse first
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\nContent-Length: 5\r\n\r\n"
    answer = raw_request(url, head, b"ASK {" + b"}" * (4 * MAX_BODY))
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b'"code":"bad_query"' in answer or b"Invalid HTTP request received." in answer
    assert httpx.get(url + "/healthz", timeout=10).json() == {"status": "ok"}


# -- bad input gets a clear answer ---------------------------------------------------
@pytest.fixture(scope="module")
def logged(store_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``ietfkg serve`` as a user runs it, its log in a file: client mistakes must leave no traceback there."""
    running = Server(store_root, tmp_path_factory.mktemp("logged") / "server.log", access_log=True)
    yield running
    running.proc.kill()
    running.proc.wait(timeout=30)


JSON_BODY = {"Content-Type": "application/json"}
# (name, method, path, request arguments, status, code, words the message must hold)
BAD_INPUT = [
    ("graphql-not-utf8", "POST", "/graphql", {"content": b'{"query": "{ areas { acronym } }\xff"}', "headers": JSON_BODY},
     400, "bad_request", "not UTF-8: byte 0xff"),
    ("empty-query", "GET", "/sparql?query=", {}, 400, "bad_query", "empty query"),
    ("blank-query", "POST", "/sparql", {"data": {"query": "  # only a comment"}}, 400, "bad_query", "empty query"),
    ("typo-in-select", "GET", "/sparql", {"params": {"query": "SELEC * WHERE {}"}}, 400, "bad_query",
     "line 1, column 1: unexpected 'SELEC'"),
    ("unknown-prefix", "GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s foo:bar ?o }"}}, 400, "bad_query",
     "line 1, column 21: unknown prefix foo in foo:bar"),
    ("unknown-prefix-line-2", "POST", "/sparql", {"data": {"query": "SELECT * WHERE {\n  ?s foo:bar ?o }"}}, 400,
     "bad_query", "line 2, column 6: unknown prefix foo"),
    ("put-sparql", "PUT", "/sparql", {"content": b"ASK {}"}, 405, "method_not_allowed", "PUT is not allowed on /sparql"),
    ("delete-sparql", "DELETE", "/sparql", {}, 405, "method_not_allowed", "DELETE is not allowed"),
    ("put-graphql", "PUT", "/graphql", {"content": b"{}", "headers": JSON_BODY}, 405, "method_not_allowed",
     "PUT is not allowed on /graphql"),
    ("delete-graphql", "DELETE", "/graphql", {}, 405, "method_not_allowed", "DELETE is not allowed"),
    ("graphql-batch", "POST", "/graphql", {"content": b'[{"query": "{ areas { acronym } }"}]', "headers": JSON_BODY},
     400, "bad_request", "batches"),
    ("graphql-content-type", "POST", "/graphql", {"content": b"{ areas { acronym } }", "headers": {"Content-Type": "text/plain"}},
     415, "unsupported_media_type", "application/json"),
    ("sparql-get-not-utf8", "GET", "/sparql?query=ASK%20%7B%7D%20%23%FF", {}, 400, "bad_request", "not UTF-8"),
    ("sparql-body-not-utf8", "POST", "/sparql",
     {"content": b"ASK {} #\xff", "headers": {"Content-Type": "application/sparql-query"}}, 400, "bad_request",
     "not UTF-8: byte 0xff at offset 8"),
    ("sparql-form-not-utf8", "POST", "/sparql",
     {"content": b"query=ASK%20%7B%7D%20%23%FF", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
     400, "bad_request", "not UTF-8"),
    ("unknown-format", "GET", "/sparql", {"params": {"query": "ASK {}", "format": "bogus"}}, 400, "unknown_format",
     "unknown format 'bogus'; known: json, xml, csv, tsv, ttl, nt, jsonld"),
    ("sparql-content-type", "POST", "/sparql", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
     415, "unsupported_media_type", "application/sparql-query"),
    ("unknown-entity", "GET", "/group/nosuchgroup", {}, 404, "not_found", "nosuchgroup"),
    ("unknown-path", "GET", "/no/such/page", {}, 404, "not_found", "/no/such/page"),
]


OPENED_AS_A_SHARED_LINK = {"empty-query", "typo-in-select", "unknown-prefix"}


def send(url: str, method: str, path: str, accept: str, **kwargs: object) -> httpx.Response:
    headers = {"Accept": accept, **kwargs.pop("headers", {})}  # type: ignore[dict-item]
    return httpx.request(method, url + path, headers=headers, timeout=HTTP_TIMEOUT_S, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "method", "path", "kwargs", "status", "code", "words"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gets_a_clear_json_error(logged, name, method, path, kwargs, status, code, words) -> None:
    response = send(logged.url, method, path, "application/json", **kwargs)
    assert response.status_code == status and response.headers["content-type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code and words in error["message"], error
    if status == 405:
        allowed = {m.strip() for m in response.headers["allow"].split(",")}
        assert {"GET", "POST"} <= allowed and method not in allowed


@pytest.mark.parametrize(("name", "method", "path", "kwargs", "status", "code", "words"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_from_a_browser_gets_an_html_page(logged, name, method, path, kwargs, status, code, words) -> None:
    response = send(logged.url, method, path, "text/html,application/xhtml+xml,*/*;q=0.8", **kwargs)
    if name in OPENED_AS_A_SHARED_LINK:
        # a browser's GET /sparql?query= is a shared link: the query page opens on it and runs it,
        # showing the endpoint's error there (tests/test_sparql_page.py checks what it shows)
        assert response.status_code == 200 and 'aria-label="Example queries"' in response.text
        return
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    assert words in html.unescape(response.text)


def test_a_url_too_long_for_the_http_parser_is_414(logged) -> None:
    def head(accept: str) -> bytes:
        query = "ASK%20%7B%7D%20%23" + "x" * 260_000
        return f"GET /sparql?query={query} HTTP/1.1\r\nHost: x\r\nAccept: {accept}\r\n\r\n".encode()

    answer = raw_request(logged.url, head("application/json"))
    assert answer.startswith(b"HTTP/1.1 414 ") and b"content-type: application/json" in answer.lower()
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["error"]["code"] == "uri_too_long" and "POST" in body["error"]["message"]
    page = raw_request(logged.url, head("text/html"))
    assert page.startswith(b"HTTP/1.1 414 ") and b"content-type: text/html" in page.lower()
    # a long URL that the parser can still read is an ordinary query
    fits = httpx.get(logged.url + "/sparql", params={"query": "ASK {} #" + "x" * 60_000}, timeout=HTTP_TIMEOUT_S)
    assert fits.status_code == 200 and fits.json()["boolean"] is True


def test_get_without_a_query_is_the_service_description_or_a_clear_400(logged) -> None:
    # application/json is JSON-LD: the service description, as for any RDF type
    described = httpx.get(logged.url + "/sparql", headers={"Accept": "application/json"}, timeout=HTTP_TIMEOUT_S)
    assert described.status_code == 200 and described.headers["content-type"] == "application/ld+json"
    assert "sparql-service-description#Service" in described.text
    # asking for query results without a query: say what is missing, not which formats exist
    for accept in ("application/sparql-results+json", "text/csv"):
        missing = httpx.get(logged.url + "/sparql", headers={"Accept": accept}, timeout=HTTP_TIMEOUT_S)
        assert missing.status_code == 400 and missing.json()["error"]["code"] == "bad_query"
        assert missing.json()["error"]["message"].startswith("no query given")


def test_a_graphql_unknown_entity_is_an_error_in_the_answer(logged) -> None:
    query = '{ group(acronym: "nosuchgroup") { name } }'
    answer = httpx.post(logged.url + "/graphql", json={"query": query}, timeout=HTTP_TIMEOUT_S).json()
    assert answer["data"] == {"group": None} and answer["errors"][0]["extensions"]["code"] == "not_found"


def test_client_mistakes_leave_no_traceback_in_the_server_log(logged) -> None:
    """Every mistake above (and a GraphQL query for an unknown entity) is answered, none is logged as
    an error; an unknown entity is one access-log line."""
    for _, method, path, kwargs, status, _, _ in BAD_INPUT:
        assert send(logged.url, method, path, "application/json", **dict(kwargs)).status_code == status
    test_a_graphql_unknown_entity_is_an_error_in_the_answer(logged)
    start = len(logged.log)
    assert httpx.get(logged.url + "/group/nosuchgroup", timeout=HTTP_TIMEOUT_S).status_code == 404
    wait_until(lambda: "/group/nosuchgroup" in logged.log[start:], "the access-log line", HTTP_TIMEOUT_S)
    log = logged.log
    for sign in ("Traceback", "ERROR", "Exception"):
        assert sign not in log, log[log.index(sign) - 500 :][:3000]
    (line,) = [line for line in log[start:].splitlines() if "nosuchgroup" in line]
    assert line.endswith('"GET /group/nosuchgroup HTTP/1.1" 404 Not Found')
