"""The JSON answer of Omnium's token endpoint (`POST /api/Token?returnAsJson=true`).

Apart from `token.py` (which reads answers off httpx): the sandbox writes this answer and
needs no httpx for it.
"""

from __future__ import annotations

from pydantic import Field

from packstation.omnium.wire import WireModel


class TokenResponse(WireModel):
    """`POST /api/Token?returnAsJson=true` answer."""

    access_token: str
    token_type: str | None = "Bearer"
    expires_in: int = Field(default=864000, ge=0)
