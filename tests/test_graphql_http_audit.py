"""The graphql-http server audits (GraphQL over HTTP spec) against the live /graphql endpoint.

A node script (tests/graphql_http_audit.mjs, npm package graphql-http from the
lock file) runs ``serverAudits``; every MUST passes, and the SHOULDs that warn
are exactly the ones the README's "GraphQL over HTTP audit" section explains.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "graphql_http_audit.mjs"
# SHOULDs we knowingly do not meet (see README, "GraphQL over HTTP audit").
KNOWN_SHOULD_WARNINGS: set[str] = set()


def test_graphql_http_audit(live_server: str) -> None:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "graphql-http").is_dir():
        pytest.fail("node and node_modules/graphql-http are needed: run `make install`")
    out = subprocess.run(["node", str(SCRIPT), live_server + "/graphql"], capture_output=True, text=True,
                         timeout=120, cwd=ROOT, check=True).stdout
    results = json.loads(out)
    assert len(results) > 40
    failed_musts = [r for r in results if r["name"].startswith("MUST") and r["status"] != "ok"]
    assert failed_musts == []
    warned = {r["name"] for r in results if r["status"] != "ok"}
    assert warned <= KNOWN_SHOULD_WARNINGS, warned - KNOWN_SHOULD_WARNINGS
