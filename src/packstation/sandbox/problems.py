"""RFC 7807 ProblemDetails answers (house rule 2) and handlers turning every error into one."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"

log = logging.getLogger(__name__)

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
}


class ApiProblem(Exception):
    """An error the API answers with a ProblemDetails body."""

    def __init__(
        self, status: int, detail: str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = dict(headers or {})


def problem_response(
    status: int, detail: str, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A ProblemDetails response with a fresh trace id."""
    title = _TITLES.get(status, "Error")
    body = {
        "type": f"https://httpstatuses.io/{status}",
        "title": title,
        "status": status,
        "detail": detail,
        "traceId": uuid.uuid4().hex,
    }
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body, status_code=status, headers=all_headers, media_type=PROBLEM_JSON)


def _field_name(loc: Sequence[Any]) -> str:
    # FastAPI prefixes locations with "body"/"query"/"path"; the client wants the field.
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def describe_validation_errors(errors: Sequence[Mapping[str, Any]]) -> str:
    """One line per invalid field: 'field: message'."""
    lines = []
    for err in errors[:20]:
        msg = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            lines.append(f"body: the request body is not valid JSON ({msg})")
            continue
        lines.append(f"{_field_name(err.get('loc', ()))}: {msg}")
    return "; ".join(lines) or "The request is not valid."


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error, including unexpected ones, a ProblemDetails answer without a traceback."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(exc.status, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(400, describe_validation_errors(exc.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "")
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"No such resource: {request.url.path}"
        return problem_response(exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(500, "The sandbox failed to handle the request.")
