"""Box presets: the cartons a station packs into, by name, with inner dimensions and tare."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class BoxPreset(BaseModel):
    """A carton size: inner dimensions in whole centimetres and its empty weight."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")
    length_cm: int = Field(gt=0, le=300)
    width_cm: int = Field(gt=0, le=300)
    height_cm: int = Field(gt=0, le=300)
    tare_kg: Decimal = Field(default=Decimal(0), ge=0, le=20)
    description: str = ""

    @property
    def volume_litres(self) -> Decimal:
        """Inner volume in litres (L x W x H / 1000)."""
        return Decimal(self.length_cm * self.width_cm * self.height_cm) / 1000


DEFAULT_BOX_PRESETS: tuple[BoxPreset, ...] = (
    BoxPreset(
        name="ENV",
        length_cm=35,
        width_cm=25,
        height_cm=3,
        tare_kg=Decimal("0.05"),
        description="padded envelope",
    ),
    BoxPreset(
        name="S",
        length_cm=25,
        width_cm=20,
        height_cm=10,
        tare_kg=Decimal("0.15"),
        description="small carton",
    ),
    BoxPreset(
        name="M",
        length_cm=40,
        width_cm=30,
        height_cm=20,
        tare_kg=Decimal("0.35"),
        description="medium carton",
    ),
    BoxPreset(
        name="L",
        length_cm=60,
        width_cm=40,
        height_cm=40,
        tare_kg=Decimal("0.7"),
        description="large carton",
    ),
    BoxPreset(
        name="XL",
        length_cm=80,
        width_cm=60,
        height_cm=60,
        tare_kg=Decimal("1.2"),
        description="extra large carton",
    ),
)
"""The presets a station starts with when its settings name none."""
