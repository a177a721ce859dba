"""Request bodies held to Omnium's contract before the sandbox acts on them.

The body is read as JSON, its keys camelCased (house rule 1 accepts PascalCase), then checked
against the request schema of `omnium-openapi.json`: a field Omnium does not have, a missing
required field, a `null` where the contract allows none or a wrong type is answered 400 naming
it. In lenient mode (`packstation sandbox --lenient`) unknown fields are dropped instead, as
Omnium most likely does; everything else is still refused.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from pydantic import BaseModel, ValidationError

from packstation.omnium.contract import check_schema, without_unknown_fields
from packstation.omnium.wire import dotnet_camel
from packstation.sandbox.problems import ApiProblem, describe_validation_errors
from packstation.sandbox.runtime import SandboxRuntime

M = TypeVar("M", bound=BaseModel)

MAX_REPORTED = 10
"""Violations named in one 400 answer."""


def camel_keys(value: Any) -> Any:
    """`value` with every object key camelCased the way .NET does (`LineItemId` -> `lineItemId`)."""
    if isinstance(value, Mapping):
        return {
            dotnet_camel(k) if isinstance(k, str) else k: camel_keys(v) for k, v in value.items()
        }
    if isinstance(value, list):
        return [camel_keys(v) for v in value]
    return value


def checked(data: Any, schema: str, *, lenient: bool) -> Any:
    """`data` (camelCased) if it keeps `schema`; unknown fields dropped when lenient; else 400."""
    data = camel_keys(data)
    violations = check_schema(schema, data)
    if lenient and any(v.unknown_field for v in violations):
        data = without_unknown_fields(data, violations)
        violations = [v for v in violations if v.unknown_field is None]
    if violations:
        shown = "; ".join(str(v) for v in violations[:MAX_REPORTED])
        more = len(violations) - MAX_REPORTED
        if more > 0:
            shown += f"; and {more} more"
        raise ApiProblem(400, f"The request does not match Omnium's {schema}: {shown}")
    return data


def contract_body(schema: str, model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A FastAPI dependency: the request body checked against `schema`, parsed as `model`."""

    async def parse(request: Request) -> M:
        runtime: SandboxRuntime = request.app.state.sandbox
        body = await request.body()
        # In a worker thread: checking a large body (thousands of lines) on the event loop
        # would hold up every other station's request meanwhile (issue 16 item 2).
        return await asyncio.to_thread(read_body, body, schema, model, lenient=runtime.lenient)

    return parse


def read_body(body: bytes, schema: str, model: type[M], *, lenient: bool) -> M:
    """The body parsed, checked against `schema` and read as `model`; else ApiProblem 400."""
    try:
        data = json.loads(body)
    except ValueError as err:
        raise ApiProblem(400, f"body: the request body is not valid JSON ({err})") from None
    data = checked(data, schema, lenient=lenient)
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise ApiProblem(400, describe_validation_errors(err.errors())) from None


def document_request_bodies(
    app: FastAPI, bodies: Mapping[tuple[str, str], type[BaseModel]]
) -> None:
    """Describe the bodies that `contract_body` reads in the app's OpenAPI document.

    FastAPI documents only bodies it parses itself; these are read by a dependency (to check
    them against Omnium's contract first), so their models are added here: API docs and the
    fuzz tests then see what each endpoint takes.
    """
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = generate()
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for (path, method), model in bodies.items():
            name = f"{model.__name__}Body"
            schema = model.model_json_schema(
                by_alias=True, ref_template="#/components/schemas/{model}Body"
            )
            for inner, definition in schema.pop("$defs", {}).items():
                schemas.setdefault(f"{inner}Body", definition)
            schemas.setdefault(name, schema)
            document["paths"][path][method]["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}
                },
            }
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
