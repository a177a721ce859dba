"""Supervisor PINs: kept in the settings only as salted scrypt hashes, checked on the desk.

A badge (`USER-<id>`) identifies a supervisor but proves nothing: anyone can type one. A PIN
asked on the desk is what authenticates. The settings hold `scrypt$N$r$p$salt$hash` (hex),
made by `packstation config hash-pin`; checking one takes about 50 ms on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping

SCHEME = "scrypt"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PIN_LENGTH = 4
MAX_PIN_LENGTH = 64


def pin_problem(pin: str) -> str | None:
    """Why a PIN cannot be used, or None."""
    if len(pin) < MIN_PIN_LENGTH:
        return f"a PIN needs at least {MIN_PIN_LENGTH} characters"
    if len(pin) > MAX_PIN_LENGTH:
        return f"a PIN has at most {MAX_PIN_LENGTH} characters"
    if any(not c.isprintable() or c.isspace() for c in pin):
        return "a PIN has no spaces or control characters"
    return None


def _digest(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2**26, dklen=HASH_BYTES
    )


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The stored form of a PIN (raises ValueError for a PIN that cannot be used)."""
    problem = pin_problem(pin)
    if problem is not None:
        raise ValueError(problem)
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    digest = _digest(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"{SCHEME}${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


DAMAGED = "a damaged PIN hash: make it again with `packstation config hash-pin`"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes]:
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        raise ValueError("not a PIN hash: make one with `packstation config hash-pin`")
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, digest = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
    except ValueError:
        raise ValueError(
            "a damaged PIN hash: make it again with `packstation config hash-pin`"
        ) from None
    if n < 2**10 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or len(salt) < 8:
        raise ValueError("a PIN hash with unsafe or invalid parameters")
    if len(digest) != HASH_BYTES:
        raise ValueError(DAMAGED)
    return n, r, p, salt, digest


def check_pin_hash(stored: str) -> str:
    """`stored` if it is a well-formed PIN hash (the settings validator), else ValueError."""
    _parse(stored.strip())
    return stored.strip()


def pin_for(supervisor_id: str, pins: Mapping[str, str]) -> str | None:
    """The PIN hash set for a supervisor (keys with or without `USER-`), or None."""
    wanted = _bare(supervisor_id)
    return next((stored for who, stored in pins.items() if _bare(who) == wanted), None)


def _bare(who: str) -> str:
    text = who.strip()
    return text[5:].strip() if text.upper().startswith("USER-") else text


def verify_pin(pin: str, stored: str) -> bool:
    """True when `pin` is the PIN `stored` was made from (constant-time comparison)."""
    n, r, p, salt, digest = _parse(stored)
    if len(pin) > MAX_PIN_LENGTH:
        return False
    return hmac.compare_digest(_digest(pin, salt, n, r, p), digest)
