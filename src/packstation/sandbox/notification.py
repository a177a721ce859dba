"""A message the sandbox's Notification step would have sent."""

from __future__ import annotations

from dataclasses import dataclass, field

from packstation.sandbox.order_json import utc_now_iso


@dataclass
class Notification:
    """A message a Notification step would have sent."""

    order_id: str
    channel: str
    recipient: str
    message: str
    created: str = field(default_factory=utc_now_iso)

    def to_json(self) -> dict[str, str]:
        """camelCase JSON of the notification."""
        return {
            "orderId": self.order_id,
            "channel": self.channel,
            "recipient": self.recipient,
            "message": self.message,
            "created": self.created,
        }
