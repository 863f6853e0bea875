"""The visualization face: the ``/viz`` page and the JSON it reads besides GraphQL.

``/viz`` serves ``static/viz/index.html``; the page draws with cytoscape (installed from
the npm registry into ``static/vendor/`` by ``make install``). It reads the vocabulary
table (``GET /viz/vocabulary.json``: node kinds with colour and shape, relations with how
they read each way), the map at a date or an IETF meeting (``GET /viz/map.json?at=`` /
``?meeting=``, cut from ``graph/area_timeline.py``), and everything else from ``POST
/graphql`` (``areaMap``, ``search``, ``node``/``neighborhood``, ``path``, ``roles(at:)``).
"""

from __future__ import annotations

from functools import partial
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from ietfkg.api import assets
from ietfkg.api.http_errors import html_error
from ietfkg.graph import area_timeline
from ietfkg.schema import vocabulary_table
from ietfkg.schema.errors import RequestError


async def page(request: Request) -> Response:
    if (message := assets.notice("the area map")) is not None:
        return html_error(request, 503, message, None)  # a page that says why, not a blank one
    return FileResponse(str(files("ietfkg.api") / "static" / "viz" / "index.html"), media_type="text/html")


async def vocabulary(request: Request) -> Response:
    return JSONResponse(vocabulary_table.as_json())


async def timeline(request: Request) -> area_timeline.Timeline:
    """The app's timeline, read from the store once (``api/derived.py``)."""
    state = request.app.state
    build = partial(area_timeline.timeline, base=state.settings.base)
    return await state.derived.get("area_timeline", build)


def span_of(params: Any, dated: area_timeline.Timeline) -> area_timeline.Span:
    """The span ``?at=YYYY-MM-DD`` or ``?meeting=N`` names."""
    at, meeting = params.get("at"), params.get("meeting")
    if (at is None) == (meeting is None):
        raise RequestError("give one of at=YYYY-MM-DD or meeting=N")
    if meeting is not None:
        if not meeting.isdecimal():
            raise RequestError(f"not a meeting number: {meeting!r}")
        return area_timeline.meeting_span(dated, int(meeting))
    day = area_timeline.parse_day(at)
    return area_timeline.Span(day, day)


async def dated_map(request: Request) -> Response:
    dated = await timeline(request)
    snapshot = area_timeline.snapshot(dated, span_of(request.query_params, dated))
    return JSONResponse(snapshot)


async def meetings(request: Request) -> Response:
    dated = await timeline(request)
    return JSONResponse([{"number": n, "begins": s.start, "ends": s.end} for n, s in sorted(dated.meetings.items())])


routes = [
    Route("/viz", page, name="viz"),
    Route("/viz/vocabulary.json", vocabulary, name="viz-vocabulary"),
    Route("/viz/map.json", dated_map, name="viz-map"),
    Route("/viz/meetings.json", meetings, name="viz-meetings"),
]
