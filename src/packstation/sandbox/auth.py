"""API users, tokens and roles of the sandbox (Omnium's `POST /api/Token` and bearer auth).

Tokens look like JWTs (header.payload.signature, HMAC-SHA256) and are recorded in the store so
that `expire_tokens` can revoke every token issued so far.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

DEMO_CLIENT_ID = "demo-station"
DEMO_READER_ID = "demo-reader"
DEMO_CLIENT_SECRET = "demo-secret"

ORDER_ADMIN = "OrderAdmin"
ORDER_READ = "OrderRead"

DEFAULT_TOKEN_TTL = 864000
"""Omnium's tokens live ten days."""


@dataclass(frozen=True)
class ApiUser:
    """An API user and its roles."""

    client_id: str
    secret: str
    roles: frozenset[str]

    def can_read(self) -> bool:
        """OrderRead or OrderAdmin."""
        return bool(self.roles & {ORDER_READ, ORDER_ADMIN})

    def can_write(self) -> bool:
        """OrderAdmin only."""
        return ORDER_ADMIN in self.roles


DEMO_USERS: dict[str, ApiUser] = {
    DEMO_CLIENT_ID: ApiUser(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, frozenset({ORDER_ADMIN})),
    DEMO_READER_ID: ApiUser(DEMO_READER_ID, DEMO_CLIENT_SECRET, frozenset({ORDER_READ})),
}


def authenticate(client_id: str, client_secret: str) -> ApiUser | None:
    """The user with these credentials, or None (compared in constant time)."""
    user = DEMO_USERS.get(client_id)
    if user is None:
        return None
    if not hmac.compare_digest(user.secret.encode(), client_secret.encode()):
        return None
    return user


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says."""

    jti: str
    client_id: str
    roles: frozenset[str]
    expires: int


def issue_token(user: ApiUser, ttl: int, now: float | None = None) -> TokenClaims:
    """Fresh claims for `user`; encode them with `encode_token`."""
    issued = int(now if now is not None else time.time())
    return TokenClaims(secrets.token_hex(16), user.client_id, user.roles, issued + ttl)


def encode_token(key: bytes, claims: TokenClaims) -> str:
    """The JWT-like text of `claims`, signed with `key`."""
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = {
        "jti": claims.jti,
        "sub": claims.client_id,
        "role": sorted(claims.roles),
        "exp": claims.expires,
    }
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{_b64(signature)}"


def decode_token(key: bytes, token: str, now: float | None = None) -> TokenClaims | None:
    """The claims of a well-formed, correctly signed, unexpired token, else None."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, body, signature = parts
    try:
        expected = hmac.new(key, f"{header}.{body}".encode(), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(signature)):
            return None
        payload = json.loads(_unb64(body))
        claims = TokenClaims(
            jti=str(payload["jti"]),
            client_id=str(payload["sub"]),
            roles=frozenset(str(r) for r in payload["role"]),
            expires=int(payload["exp"]),
        )
    except (ValueError, KeyError, TypeError):
        return None
    if claims.expires <= (now if now is not None else time.time()):
        return None
    return claims


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
