"""Omnium's published OpenAPI contract, and checking JSON against it strictly.

`omnium-openapi.json` beside this module is Omnium's contract for every endpoint the station
uses (OpenAPI 3.0.1; `additionalProperties: false` on every object, nullability as declared).
Validation uses `openapi-schema-validator` (OpenAPI 3.0 `nullable` semantics on top of
`jsonschema`): no field the schema lacks, required fields present, `null` only where nullable.
Formats are not checked: Omnium itself writes unset dates as `0001-01-01T00:00:00`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Annotations only: the validators load where a body is first checked (see _validators).
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
    from openapi_schema_validator import OAS30Validator


CONTRACT_RESOURCE = "omnium-openapi.json"
_BASE = "urn:omnium-contract"
_UNEXPECTED = re.compile(r"'([^']+)' (?:was|were) unexpected")


@dataclass(frozen=True)
class Violation:
    """One place where JSON breaks the contract: the JSON path and what is wrong there."""

    path: str
    message: str
    unknown_field: str | None = None
    """Set when the violation is a field the schema does not have (its name)."""
    location: tuple[str | int, ...] = ()
    """Where the offending value is: keys and list indexes from the root (for an unknown
    field, down to the object that holds it)."""

    def __str__(self) -> str:
        """`path: message`."""
        return f"{self.path}: {self.message}"


def _normalise(node: Any) -> Any:
    # The contract writes "nullable reference" as anyOf [$ref, {"type": "null"}]; OpenAPI 3.0
    # has no "null" type, so that branch becomes "only null" in 3.0 terms (same meaning).
    if isinstance(node, dict):
        if node == {"type": "null"}:
            return {"enum": [None], "nullable": True}
        return {k: _normalise(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_normalise(v) for v in node]
    return node


@cache
def contract() -> Mapping[str, Any]:
    """The contract document (normalised for OpenAPI 3.0 validation)."""
    text = resources.files("packstation.omnium").joinpath(CONTRACT_RESOURCE).read_text("utf-8")
    document: Mapping[str, Any] = _normalise(json.loads(text))
    return document


@cache
def _validators() -> Callable[[str], OAS30Validator]:
    """Makes the validator of a pointer into the contract; all share one registry."""
    # Deferred: jsonschema, openapi-schema-validator and referencing take ~0.1 s to import
    # (`python -X importtime`), on the embedded sandbox's start, which the station's launch
    # waits for; they load at the first request body checked instead.
    from openapi_schema_validator import OAS30Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    resource: Resource[Any] = Resource.from_contents(contract(), default_specification=DRAFT4)
    registry: Registry[Any] = Registry().with_resource(_BASE, resource)

    def make(pointer: str) -> OAS30Validator:
        return OAS30Validator({"$ref": f"{_BASE}#{pointer}"}, registry=registry)

    return make


@cache
def _validator(pointer: str) -> OAS30Validator:
    return _validators()(pointer)


def schema_names() -> list[str]:
    """Every schema of the contract."""
    return sorted(contract()["components"]["schemas"])


def _path_text(error: ValidationError) -> str:
    text = ""
    for part in error.absolute_path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(root)"


def _violations(error: ValidationError) -> Iterator[Violation]:
    if error.validator == "additionalProperties":
        match = _UNEXPECTED.search(error.message)
        names = match.group(1).split("', '") if match else []
        for name in names:
            where = _path_text(error)
            path = name if where == "(root)" else f"{where}.{name}"
            yield Violation(
                path,
                "not a field of Omnium's contract",
                unknown_field=name,
                location=tuple(error.absolute_path),
            )
        if names:
            return
    if error.validator in ("anyOf", "oneOf") and error.context:
        # A nullable reference that is neither null nor valid: report the object's problems.
        branches = [e for e in error.context if e.validator != "enum"]
        if branches:
            for sub in branches:
                yield from _violations(sub)
            return
    message = error.message
    if error.validator == "type" and error.instance is None and message.startswith("None is"):
        return  # the same null is reported once, as "None for not nullable"
    if message == "None for not nullable":
        message = "null is not allowed here"
    yield Violation(_path_text(error), message, location=tuple(error.absolute_path))


def _check(pointer: str, instance: Any) -> list[Violation]:
    found: dict[tuple[str, str], Violation] = {}
    for error in _validator(pointer).iter_errors(instance):
        for violation in _violations(error):
            found.setdefault((violation.path, violation.message), violation)
    return sorted(found.values(), key=lambda v: (v.path, v.message))


def check_schema(name: str, instance: Any) -> list[Violation]:
    """What breaks `components/schemas/<name>` in `instance` (empty: it validates)."""
    if name not in contract()["components"]["schemas"]:
        raise KeyError(f"the contract has no schema {name!r}")
    return _check(f"/components/schemas/{name}", instance)


def _operation(method: str, path: str) -> tuple[str, Mapping[str, Any]]:
    paths = contract()["paths"]
    if path not in paths or method.lower() not in paths[path]:
        raise KeyError(f"the contract has no {method.upper()} {path}")
    escaped = path.replace("~", "~0").replace("/", "~1")
    return f"/paths/{escaped}/{method.lower()}", paths[path][method.lower()]


def without_unknown_fields(instance: Any, violations: list[Violation]) -> Any:
    """A copy of `instance` without the unknown fields `violations` name (the rest kept)."""
    copy = json.loads(json.dumps(instance))
    for violation in violations:
        if violation.unknown_field is None:
            continue
        holder = copy
        for part in violation.location:
            holder = holder[part]
        if isinstance(holder, dict):
            holder.pop(violation.unknown_field, None)
    return copy


def check_request(method: str, path: str, body: Any) -> list[Violation]:
    """What breaks the request body schema of `METHOD path` (a path template of the contract)."""
    pointer, operation = _operation(method, path)
    if "requestBody" not in operation:
        return [] if body is None else [Violation("(body)", "this operation takes no body")]
    return _check(f"{pointer}/requestBody/content/application~1json/schema", body)


def check_response(method: str, path: str, status: int, body: Any) -> list[Violation]:
    """What breaks the documented answer of `METHOD path` for a 2xx `status`.

    An operation that documents no answer body (`POST /api/Orders`) is held to the schema of
    its request body: Omnium answers with the order it created.
    """
    pointer, operation = _operation(method, path)
    responses = operation.get("responses", {})
    code = str(status) if str(status) in responses else "200"
    if code in responses and "content" in responses[code]:
        return _check(f"{pointer}/responses/{code}/content/application~1json/schema", body)
    if "requestBody" in operation:
        return _check(f"{pointer}/requestBody/content/application~1json/schema", body)
    raise KeyError(f"the contract documents no answer for {method.upper()} {path}")


def path_template(path: str) -> str | None:
    """The contract's path template a concrete path falls under (`/api/Orders/A1` ->
    `/api/Orders/{id}`), or None."""
    parts = path.rstrip("/").split("/")
    best: tuple[int, str] | None = None
    for template in contract()["paths"]:
        tparts = template.split("/")
        if len(tparts) != len(parts):
            continue
        literal = 0
        for t, p in zip(tparts, parts, strict=True):
            if t.startswith("{") and t.endswith("}"):
                continue
            if t.lower() != p.lower():
                break
            literal += 1
        else:
            # The most literal segments win: /api/Orders/Search over /api/Orders/{id}.
            if best is None or literal > best[0]:
                best = (literal, template)
    return None if best is None else best[1]


# --- Omnium's nulls, for fixtures ----------------------------------------------------------


def _resolve(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], bool]:
    """The object/array schema behind a property, and whether the property is nullable."""
    nullable = bool(schema.get("nullable"))
    for branch in schema.get("anyOf", ()):
        if branch.get("enum") == [None]:
            nullable = True
        elif "$ref" in branch:
            schema = branch
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = contract()["components"]["schemas"][name]
    return schema, nullable


def _empty(value: Any) -> bool:
    return (
        value is None
        or value == []
        or value == ""
        or (isinstance(value, int | float) and not isinstance(value, bool) and value == 0)
    )


def _rewrite(schema: Mapping[str, Any], value: Any, absent: bool) -> Any:
    if isinstance(value, list) and "items" in schema:
        items, _ = _resolve(schema["items"])
        return [_rewrite(items, v, absent) for v in value]
    if not isinstance(value, Mapping) or "properties" not in schema:
        return value
    out: dict[str, Any] = {}
    for name, prop in schema["properties"].items():
        target, nullable = _resolve(prop)
        if name not in value:
            if nullable and not absent:
                out[name] = None
            continue
        if nullable and _empty(value[name]):
            if not absent:
                out[name] = None
            continue
        out[name] = _rewrite(target, value[name], absent)
    return out


def with_nulls(name: str, instance: Any) -> Any:
    """`instance` as .NET would serialise it: every nullable field of schema `name` that is
    missing or empty (`[]`, `""`, 0) becomes an explicit `null`, at every depth."""
    return _rewrite(contract()["components"]["schemas"][name], instance, absent=False)


def without_nullables(name: str, instance: Any) -> Any:
    """`instance` with every nullable field of schema `name` that is empty left out, at every
    depth (a client may omit them)."""
    return _rewrite(contract()["components"]["schemas"][name], instance, absent=True)
