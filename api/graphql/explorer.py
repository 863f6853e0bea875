"""The offline GraphQL explorer: GraphiQL 3 (React 18 UMD builds) served from ``/static/vendor/graphiql/``.

The assets come from the npm registry at ``make install`` (pinned in
``package-lock.json``); nothing is loaded from a CDN. The page opens with the
schema docs available and one tab per example query (``EXAMPLES``), which the
README shows too.
"""

from __future__ import annotations

import json
from html import escape

from starlette.requests import Request

SECURITY_AREA = """\
# The Security Area in one request: its working groups, their chairs, the RFCs
# each WG published and the protocols those RFCs define.
query SecurityArea {
  area(acronym: "sec") {
    name
    workingGroups(first: 50) {
      totalCount
      nodes {
        acronym
        name
        state
        chairs: leadership(role: "chair") { person { name } start end }
        documents(first: 20) {
          totalCount
          nodes { number title date protocols { name expansion } }
        }
      }
    }
  }
}
"""

PATH = """\
# Shortest relationship paths between two entities, each hop named.
query Path {
  path(from: "person/eric-rescorla", to: "protocol/mls", maxHops: 4) {
    length
    nodes {
      __typename
      id
      ... on Person { name }
      ... on Group { acronym name }
      ... on Document { number title }
      ... on Protocol { name expansion }
    }
    steps { forward relation { name predicate } }
  }
}
"""

TIME_TRAVEL = """\
# Time travel: who were the Security ADs, and who chaired TLS, on a given date?
# held: CERTAIN (between first and last sighting) or POSSIBLE (only inside the widest
# bounds the roll calls allow); bounds: what each bound rests on.
query TimeTravel {
  securityADs: roles(group: "sec", role: "ad", at: "2017-06-01") {
    nodes { person { name } held(at: "2017-06-01") start end possibleStart possibleEnd
            bounds { edge date basis line } }
  }
  tls: group(acronym: "tls") {
    name
    leadership(at: "2026-03-09", role: "chair") { person { name } start end }
  }
}
"""

NEIGHBORHOOD = """\
# The groups and protocols within two hops of RFC 8446.
query Neighborhood {
  neighborhood(id: "doc/rfc8446", depth: 2, kinds: [GROUP, PROTOCOL, DOCUMENT], limit: 40) {
    truncated
    nodes { __typename id ... on Group { acronym } ... on Protocol { name } ... on Document { number } }
    edges { name source { id } target { id } }
  }
}
"""

EXAMPLES: dict[str, str] = {
    "Security Area": SECURITY_AREA,
    "Path": PATH,
    "Time travel": TIME_TRAVEL,
    "Neighborhood": NEIGHBORHOOD,
}

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ietf-kg GraphQL explorer</title>
<link rel="stylesheet" href="{css}">
<style>html, body, #graphiql {{ height: 100%; margin: 0; }}</style>
</head>
<body>
<div id="graphiql">Loading the GraphQL explorer…</div>
<script src="{react}"></script>
<script src="{react_dom}"></script>
<script src="{graphiql}"></script>
<script id="examples" type="application/json">{examples}</script>
<script>
  const examples = JSON.parse(document.getElementById("examples").textContent);
  const fetcher = GraphiQL.createFetcher({{ url: {endpoint} }});
  // a shared link (/graphql#query=...; a ?query= would run on the server) opens its query first
  const shared = new URLSearchParams(location.hash.slice(1)).get("query");
  const tabs = (shared ? [shared] : []).concat(Object.values(examples)).map((query) => ({{ query }}));
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {{
      fetcher,
      defaultTabs: tabs,
      defaultQuery: tabs[0].query,
      defaultEditorToolsVisibility: false,
      isHeadersEditorEnabled: false,
    }})
  );
</script>
</body>
</html>
"""


def explorer_page(request: Request) -> str:
    def asset(name: str) -> str:
        return escape(str(request.url_for("static", path="vendor/graphiql/" + name).path), quote=True)

    examples = json.dumps(EXAMPLES).replace("</", "<\\/")
    return _PAGE.format(
        css=asset("graphiql.min.css"), react=asset("react.production.min.js"),
        react_dom=asset("react-dom.production.min.js"), graphiql=asset("graphiql.min.js"),
        examples=examples, endpoint=json.dumps(request.url.path),
    )
