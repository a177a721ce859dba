"""Request guards: bearer-token authentication, roles, the per-user request gate, body size."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from packstation.sandbox.auth import ORDER_ADMIN, ORDER_READ, TokenClaims, decode_token
from packstation.sandbox.problems import ApiProblem, problem_response
from packstation.sandbox.runtime import SandboxRuntime

_bearer = HTTPBearer(auto_error=False, description="The token from POST /api/Token.")


# The guards are `async def` though they never wait: FastAPI runs a plain `def` dependency in
# its thread pool, a hop (and a wait for the GIL) per guard on every request (issue 16 item 2).


async def get_runtime(request: Request) -> SandboxRuntime:
    """The sandbox the request is served by."""
    runtime: SandboxRuntime = request.app.state.sandbox
    return runtime


Runtime = Annotated[SandboxRuntime, Depends(get_runtime)]


async def authenticated(
    runtime: Runtime,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> AsyncIterator[TokenClaims]:
    """The caller's token claims; 401 without a valid token, 429 over the concurrency limit."""
    if credentials is None or not credentials.credentials:
        raise ApiProblem(401, "A bearer token is required (POST /api/Token).")
    claims = decode_token(runtime.signing_key, credentials.credentials)
    if claims is None or not runtime.store.token_active(claims.jti):
        raise ApiProblem(401, "The bearer token is invalid, expired or revoked.")
    if not runtime.gate.enter(claims.client_id):
        raise ApiProblem(
            429,
            f"Too many concurrent requests for API user '{claims.client_id}'.",
            headers={"Retry-After": "1"},
        )
    try:
        runtime.release_due()
        yield claims
    finally:
        runtime.gate.leave(claims.client_id)


Authenticated = Annotated[TokenClaims, Depends(authenticated)]


async def reader(claims: Authenticated) -> TokenClaims:
    """A caller with OrderRead or OrderAdmin."""
    if not claims.roles & {ORDER_READ, ORDER_ADMIN}:
        raise ApiProblem(403, f"API user '{claims.client_id}' lacks the OrderRead role.")
    return claims


async def writer(claims: Authenticated) -> TokenClaims:
    """A caller with OrderAdmin."""
    if ORDER_ADMIN not in claims.roles:
        raise ApiProblem(403, f"API user '{claims.client_id}' lacks the OrderAdmin role.")
    return claims


Reader = Annotated[TokenClaims, Depends(reader)]
Writer = Annotated[TokenClaims, Depends(writer)]


class BodySizeLimit:
    """Refuses request bodies above `max_bytes` with 413 before any route sees them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """ASGI entry point."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = problem_response(413, f"The request body is larger than {self.max_bytes} bytes.")
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > self.max_bytes:
                    await too_big(scope, receive, send)
                    return
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_bytes:
                await too_big(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
