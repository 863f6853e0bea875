"""The GraphQL ASGI app: strawberry's ``GraphQL`` with a per-request context and our explorer page.

``get_context`` builds a fresh ``Context`` for every request: a ``RequestStore``
(query counter and time budget over the shared ``AsyncStore``) and new
DataLoaders, which keep their answers for later requests in the app's
``AnswerCache`` (``answers.py``). The adjacency index for path and neighborhood queries and the area
map are views of the whole store computed once per app (``api/derived.py``; the
app's lifespan starts the index at startup).

Responses carry ``extensions.storeQueries``: how many store queries the request
ran (the DataLoader batching makes it depend on the query's shape, not on the
size of its results). Errors raised as ``IetfKgError`` carry
``extensions.code`` (``not_found``, ``bad_request``, ``query_timeout``, ...). Clients that accept
``application/graphql-response+json`` get that media type, and status 400 for
requests that cannot execute (GraphQL over HTTP); ``application/json`` clients
get 200 with ``errors``, as the spec's legacy rules ask.
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql import ExecutionResult
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from cross_web import HTTPException as StrawberryHTTPException  # what strawberry raises for a refusal
from strawberry.http import GraphQLHTTPResponse

from ietfkg.api import assets
from ietfkg.api.graphql.explorer import explorer_page
from ietfkg.api.graphql.loaders import Context, Loaders, RequestStore
from ietfkg.api.graphql.schema import schema
from ietfkg.api.http_errors import from_http, html_error, retry_headers, to_response
from ietfkg.api.request_text import utf8
from ietfkg.api.store import AsyncStore
from ietfkg.schema.errors import IetfKgError, RequestError, StoreUnavailable
from ietfkg.schema.vocab import Iris

GRAPHQL_RESPONSE = "application/graphql-response+json"


class IetfGraphQL(GraphQL):
    def __init__(self) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        store: AsyncStore = request.app.state.store
        settings = request.app.state.settings
        request_store = RequestStore(store, settings.query_timeout_s)
        context = Context(
            request=request, response=response, store=request_store,
            loaders=Loaders.create(request_store, request.app.state.answers),
            iris=Iris(settings.base), derived=request.app.state.derived,
        )
        request.state.gql_context = context
        return context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """strawberry answers its own refusals (a method, a batch, a body it cannot read) in text/plain:
        they are answered here as every other error is (``api/http_errors.py``)."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        try:
            try:
                response = await self.run(request)
            except StrawberryHTTPException as exc:
                response = await to_response(request, *_refusal(request, exc))
            await response(scope, receive, send)
        finally:
            context: Context | None = getattr(request.state, "gql_context", None)
            if context is not None:
                context.loaders.release()

    def decode_json(self, data: str | bytes) -> object:
        text = utf8(data, "the request body") if isinstance(data, bytes) else data
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise RequestError(f"the request body is not JSON: {exc}") from None

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)  # far faster than json.dumps on a nested query's answer

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        if (message := assets.notice("the GraphQL explorer")) is not None:
            return html_error(request, 503, message, None)  # a page that says why, not a blank one
        return HTMLResponse(explorer_page(request))

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:  # type: ignore[override]
        context: Any = getattr(request.state, "gql_context", None)
        for error in result.errors or ():
            if isinstance(error.original_error, IetfKgError):
                error.extensions = {**(error.extensions or {}), "code": error.original_error.code}
                if isinstance(error.original_error, StoreUnavailable) and context is not None:
                    # The store itself is down: the whole answer is unavailable, not one field.
                    context.response.status_code = 503
                    context.response.headers.update(retry_headers(error.original_error) or {})
        data = await super().process_result(request, result)
        if context is not None:
            data["extensions"] = {**data.get("extensions", {}), "storeQueries": context.store.queries}
            if GRAPHQL_RESPONSE in request.headers.get("accept", ""):
                # GraphQL over HTTP: the new media type, and 400 without `data` for request errors
                # (parse, validation, variable coercion: errors that carry no field path).
                context.response.media_type_override = GRAPHQL_RESPONSE
                if result.data is None and all(e.path is None for e in result.errors or ()):
                    data.pop("data", None)
                    context.response.status_code = 400
        return data

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        media_type = getattr(sub_response, "media_type_override", None)
        if media_type:
            response.headers["content-type"] = media_type + "; charset=utf-8"
        return response


_ALLOWED = "GET, POST"
_PLAINER = {  # strawberry's words for a refusal -> ours
    "Batching is not enabled": "GraphQL batches (a JSON list of operations) are not supported: "
    "send one operation per request",
    "Unsupported content type": "POST GraphQL as application/json (or GET with ?query=)",
}


def _refusal(request: Request, exc: StrawberryHTTPException) -> tuple[IetfKgError, dict[str, str] | None]:
    """The error and headers for a refusal strawberry raised."""
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}; allowed: {_ALLOWED}"
        return from_http(405, message), {"Allow": _ALLOWED}
    status = 415 if exc.reason == "Unsupported content type" else exc.status_code
    return from_http(status, _PLAINER.get(exc.reason, exc.reason)), None


def create_graphql_app() -> IetfGraphQL:
    return IetfGraphQL()
