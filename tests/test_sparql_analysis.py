"""The fast screen of /sparql queries never lets through what the full parser would refuse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ietfkg.api.sparql.analysis import Analysis, analyse, screen
from ietfkg.schema.errors import BadQuery, Forbidden

SERVICE_CALL = "SERVICE <http://127.0.0.1:9/> { ?s ?p ?o }"


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * {{ {SERVICE_CALL} }}",
        "select * { ?s ?p ?o OPTIONAL { service silent <http://10.0.0.1/> { ?s ?q ?r } } }",
        r"SELECT * { SERV\u0049CE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # codepoint escape
        # an escaped quote inside a prefixed name is not the start of a string
        f"PREFIX ex: <http://x/> SELECT * {{ ?s ex:a\\' . }} {SERVICE_CALL} # ' }}",
        "SELECT * FROM <http://ietf-kg.example/graph/curated> { ?s ?p ?o }",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x.ttl>",
        "DROP ALL",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "PREFIX p: <http://x/> # no form keyword follows\n{ ?s ?p ?o }",
        "SELECT * { ?s ?p ?o }" + " " * 5000,  # long queries always get the full parser
    ],
)
def test_screen_leaves_anything_to_refuse_to_the_full_parser(query: str) -> None:
    assert screen(query) is None


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT ?p ?o WHERE { <https://ietf-kg.example/doc/rfc8446> ?p ?o }", "select"),
        ("# comment\nPREFIX ietf: <https://ietf-kg.example/ns#>\nask { ?s a ietf:RFC }", "ask"),
        ("BASE <https://ietf-kg.example/> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1", "construct"),
        ("PREFIX : <https://ietf-kg.example/group/> DESCRIBE :tls", "describe"),
    ],
)
def test_screen_agrees_with_the_full_parser(query: str, form: str) -> None:
    assert screen(query) == analyse(query) == Analysis(form, False)


# Fragments chosen to hide keywords where a naive scan would miss them: in strings,
# IRIs, comments, prefixed names, variables, with odd case and spacing.
FRAGMENTS = [
    "?s ?p ?o .",
    "?s <https://ietf-kg.example/ns#service> ?o .",
    '?s ?p "a SERVICE string" .',
    "?s ?p '''multi\nline # not a comment'''.",
    "# SERVICE in a comment\n",
    "?service ?p ?o .",
    "?s ex:select ?o .",
    "FILTER(?o < 3)",
    "FILTER(?o<?s)",
    "OPTIONAL { ?s ?q ?r }",
    SERVICE_CALL,
    "SeRvIcE SILENT ?s { ?s ?p ?o }",
    "GRAPH ?g { ?s ?p ?o }",
    "{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 2 }",
    "VALUES ?s { <urn:a> }",
    'BIND("x\\"y" AS ?z)',
]
PROLOGUES = [
    "",
    "PREFIX ex: <http://ex.org/#> ",
    "# PREFIX\n",
    "BASE <http://b/> PREFIX select: <http://s/>\n",
]
FORMS = ["SELECT *", "select ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s", "SELECT (COUNT(*) AS ?n)"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(PROLOGUES),
    st.sampled_from(FORMS),
    st.lists(st.sampled_from(FRAGMENTS), max_size=5),
    st.sampled_from(["", " LIMIT 3", " }"]),
)
def test_screen_never_contradicts_the_full_parser(
    prologue: str, form: str, body: list[str], tail: str
) -> None:
    query = f"{prologue}{form} WHERE {{ {' '.join(body)} }}{tail}"
    screened = screen(query)
    if screened is None:
        return
    try:
        parsed = analyse(query)
    except BadQuery:
        return  # a syntax error: Oxigraph refuses it in the worker, as bad_query
    except Forbidden as exc:  # pragma: no cover - the property under test
        raise AssertionError(f"the screen passed a query the parser refuses: {query!r}") from exc
    assert screened == parsed
