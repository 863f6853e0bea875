"""What Virtuoso means by an answer, beyond its HTTP status.

Virtuoso answers most failures with HTTP 500 and a text body ``Virtuoso <SQLSTATE>
Error <message>`` followed by an echo of the whole query. Some of those are the
query's fault (a syntax error, a cost estimate over the server's limit, the time
limit reached): sending them again only repeats the wait, so they are reported at
once, without the echo (which repeats ietf-kg's long dataset prologue). An
"anytime" query (one given a ``timeout``, as public endpoints such as DBpedia's do by
default) answers 200 with whatever it found in time and ``X-SQL-State: S1TAT``:
that answer is incomplete however whole it looks.
"""

from __future__ import annotations

import re

import httpx

_ERROR = re.compile(r"^Virtuoso (?P<state>[0-9A-Z]{5}) Error (?P<message>.*?)(?:\n\s*\nSPARQL query:.*)?$", re.S)

# SQLSTATE classes of a passing trouble (connection, deadlock, the server busy), worth a retry.
_TRANSIENT = ("08", "40", "HYT")

PARTIAL_STATE = "S1TAT"


def refusal(response: httpx.Response) -> str | None:
    """The server's reason, when this 5xx answer is Virtuoso refusing the query itself (a retry
    cannot help); ``None`` for any other answer.

    >>> refusal(httpx.Response(500, text="Virtuoso 42000 Error The estimated execution time 699 (sec) "
    ...     "exceeds the limit of 400 (sec).\\n\\nSPARQL query:\\nSELECT ..."))
    'Virtuoso 42000: The estimated execution time 699 (sec) exceeds the limit of 400 (sec).'
    >>> refusal(httpx.Response(500, text="Virtuoso 08C01 Error CL: Cluster: connection lost")) is None
    True
    """
    found = _ERROR.match(response.text.strip()) if response.status_code >= 500 else None
    if found is None or found["state"].startswith(_TRANSIENT):
        return None
    return f"Virtuoso {found['state']}: {found['message'].strip()}"


def without_query_echo(text: str) -> str:
    """An error body without the query Virtuoso repeats after it.

    >>> without_query_echo("Virtuoso 37000 Error SP030: syntax error at 'SELEC'\\n\\nSPARQL query:\\ndefine ...")
    "Virtuoso 37000 Error SP030: syntax error at 'SELEC'"
    """
    return text.split("\n\nSPARQL query:", 1)[0].strip()


def partial_notice(response: httpx.Response, url: str) -> str | None:
    """What to tell the user when Virtuoso says this answer is what an anytime query found in time."""
    if response.headers.get("x-sql-state") != PARTIAL_STATE:
        return None
    said = response.headers.get("x-sql-message", "").strip()
    return (
        f"the SPARQL server at {url} returned only what it found before its time limit "
        f"(X-SQL-State: {PARTIAL_STATE}{': ' + said[:120] if said else ''}); ask without a timeout, "
        "raise it, or ask a smaller question"
    )
