"""The one error type the labels package raises for bad input or output problems."""

from __future__ import annotations


class LabelError(ValueError):
    """A label, barcode or sheet cannot be made; the message is one line for people."""
