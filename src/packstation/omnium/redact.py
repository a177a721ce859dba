"""Keeps credentials out of logs and messages.

httpx logs every request URL at INFO level, and Omnium's token endpoint takes the client
secret in the query string, so a filter on httpx's loggers rewrites such records before any
handler sees them. Live clients register here so their exact secret and token are masked too.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections.abc import Iterable
from typing import Protocol

MASK = "***"

# Secrets shorter than this are not searched for: masking "a" everywhere would garble text.
_MIN_SECRET_LENGTH = 4

_QUERY_SECRET = re.compile(r"(?i)(client_?secret=)[^&\s\"'#>]*")
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9\-._~+/]+=*")
# The password of a URL's user info: `https://user:pw@host` -> `https://user:***@host`.
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s/?#@:]*:)[^\s/?#@]*@")

# Loggers that may format a request URL or headers; filters do not inherit, so list each.
REDACTED_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
    "packstation.omnium.client",
)


class SecretHolder(Protocol):
    """Anything that knows secrets which must not be written anywhere."""

    def secret_values(self) -> Iterable[str]:
        """The current secret values (credentials, tokens)."""
        ...


_holders: weakref.WeakSet[SecretHolder] = weakref.WeakSet()


def register(holder: SecretHolder) -> None:
    """Mask this holder's secrets in every log record of the redacted loggers while it lives."""
    _holders.add(holder)


def mask_url_password(text: str) -> str:
    """The text with the password of every URL in it masked (`https://user:***@host`)."""
    return _URL_PASSWORD.sub(rf"\g<1>{MASK}@", text)


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """The text with known secrets, `clientSecret=` values, URL passwords and tokens masked."""
    values = {v for v in extra if len(v) >= _MIN_SECRET_LENGTH}
    for holder in list(_holders):
        values.update(v for v in holder.secret_values() if len(v) >= _MIN_SECRET_LENGTH)
    # Longest first, so a secret that contains another is masked whole.
    for value in sorted(values, key=len, reverse=True):
        text = text.replace(value, MASK)
    text = _QUERY_SECRET.sub(rf"\g<1>{MASK}", text)
    text = mask_url_password(text)
    return _BEARER.sub(rf"\g<1>{MASK}", text)


class RedactingFilter(logging.Filter):
    """Rewrites a log record's message with every secret masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record, but only in its redacted form."""
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logger's problem, not a leak
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_FILTER = RedactingFilter()


def install_log_redaction() -> None:
    """Attach the redacting filter to httpx's, httpcore's and the client's loggers (idempotent)."""
    for name in REDACTED_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
