"""Omnium's token answers: the bearer token, its lifetime, and when to renew it."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from packstation.omnium.errors import InvalidResponse
from packstation.omnium.token_answer import TokenResponse

DEFAULT_TOKEN_LIFETIME = 864000.0
"""Omnium's documented token lifetime (10 days), assumed when the answer does not say."""

TOKEN_RENEWAL_MARGIN = 60.0
"""Renew this many seconds before expiry (or 10 % of the lifetime when that is shorter)."""


@dataclass(frozen=True)
class Token:
    """A bearer token and when to renew it."""

    value: str
    renew_at: float  # on the client's monotonic clock


def renewal_margin(lifetime: float) -> float:
    """How long before expiry a token of `lifetime` seconds is renewed."""
    return min(TOKEN_RENEWAL_MARGIN, lifetime * 0.1)


def jwt_lifetime(token: str, now: float) -> float | None:
    """Seconds until a JWT's `exp` claim, if the token is a JWT that has one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (binascii.Error, ValueError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return None
    return max(float(exp) - now, 0.0)


def parse_token_answer(response: httpx.Response, now: float) -> tuple[str, float]:
    """The token and its lifetime in seconds from a token endpoint answer (JSON or bare JWT)."""
    text = response.text.strip()
    lifetime: float | None = None
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = text  # the endpoint's default answer: the bare JWT as text
    if isinstance(data, Mapping):
        try:
            answer = TokenResponse.model_validate(data)
        except ValidationError:
            raise InvalidResponse(
                "the token endpoint answered JSON without an access token",
                status_code=response.status_code,
            ) from None
        token = answer.access_token.strip()
        if "expires_in" in answer.model_fields_set:
            lifetime = float(answer.expires_in)
    elif isinstance(data, str):
        token = data.strip()
    else:
        token = ""
    if not token or any(c.isspace() for c in token):
        raise InvalidResponse(
            "the token endpoint answered without a usable token", status_code=response.status_code
        )
    if lifetime is None:
        lifetime = jwt_lifetime(token, now)
    return token, DEFAULT_TOKEN_LIFETIME if lifetime is None else lifetime
