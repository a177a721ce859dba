"""The sandbox as a FastAPI app: Omnium's order API with state, workflows and failure injection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Query, Response

from packstation import __version__
from packstation.omnium.token_answer import TokenResponse
from packstation.sandbox import admin, carrier_labels, carts, orders_api
from packstation.sandbox.auth import authenticate, encode_token, issue_token
from packstation.sandbox.contract_input import document_request_bodies
from packstation.sandbox.problems import ApiProblem, install_problem_handlers
from packstation.sandbox.runtime import SandboxRuntime
from packstation.sandbox.security import BodySizeLimit, Runtime


def create_app(
    data_dir: Path | None = None,
    *,
    config_path: Path | None = None,
    reset: bool = False,
    lenient: bool = False,
) -> FastAPI:
    """The sandbox app on the store in `data_dir` (None: a private, seeded temporary store).

    `lenient`: request fields Omnium's contract lacks are ignored instead of refused (400)."""
    # No lifespan hook closes the store: in-process clients (TestClient, schemathesis) run
    # lifespans per use. Whoever owns the app calls `app.state.sandbox.close()`.
    runtime = SandboxRuntime(data_dir, config_path=config_path, reset=reset, lenient=lenient)
    app = FastAPI(
        title="packstation sandbox (Omnium Order API)",
        version=__version__,
        description="An Omnium-compatible, stateful stand-in for Omnium's Order API.",
    )
    app.state.sandbox = runtime
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=runtime.options.max_body_bytes)
    app.add_api_route(
        "/api/Token",
        token,
        methods=["POST"],
        tags=["Token"],
        responses={
            200: {"content": {"text/plain": {}, "application/json": {}}},
            401: {"description": "ProblemDetails"},
        },
    )
    app.include_router(orders_api.router)
    app.include_router(carts.router)
    app.include_router(admin.router)
    app.include_router(carrier_labels.router)
    document_request_bodies(app, orders_api.CONTRACT_BODIES)
    return app


def token(
    runtime: Runtime,
    client_id: Annotated[str, Query(alias="clientId")] = "",
    client_secret: Annotated[str, Query(alias="clientSecret")] = "",
    return_as_json: Annotated[bool, Query(alias="returnAsJson")] = False,
) -> Response:
    """`POST /api/Token`: the bare token text, or JSON with `returnAsJson=true`."""
    user = authenticate(client_id, client_secret)
    if user is None:
        raise ApiProblem(401, "Unknown clientId or wrong clientSecret.")
    ttl = runtime.options.token_ttl_seconds
    claims = issue_token(user, ttl)
    runtime.store.add_token(claims.jti, claims.client_id, claims.expires)
    text = encode_token(runtime.signing_key, claims)
    if return_as_json:
        body = TokenResponse(access_token=text, expires_in=ttl).model_dump_json(by_alias=True)
        return Response(body, media_type="application/json")
    return Response(text, media_type="text/plain")
