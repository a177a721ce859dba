"""The station's settings: TOML file < environment (PACKSTATION_*) < command-line flags.

(Loading, precedence and `packstation config` are completed by the foundation issue.)
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset

APP_NAME = "packstation"


def default_data_dir() -> Path:
    """Where the station keeps its database, the sandbox's state and the label spool."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    """The settings file in the user config directory."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


class Settings(BaseModel):
    """Every setting the station reads. Field names are the TOML keys."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # The back end. Empty api_url = the embedded sandbox with its demo credentials.
    api_url: str = ""
    client_id: str = ""
    client_secret: SecretStr = SecretStr("")
    connect_timeout: float = Field(default=5.0, gt=0, le=120)
    request_timeout: float = Field(default=30.0, gt=0, le=600)

    # The station.
    warehouse: str = Field(default="WH-OSLO", min_length=1)
    station_id: str = Field(default="01", pattern=r"^[0-9]{2}$")
    data_dir: Path = Field(default_factory=default_data_dir)
    theme: str = "packstation-dark"
    supervisors: list[str] = Field(default_factory=list)

    # Packing rules.
    completion_status: str = Field(default="Completed", min_length=1)
    max_weight_kg: Decimal = Field(default=Decimal(70), gt=0, le=1000)
    max_dimension_cm: int = Field(default=300, gt=0, le=1000)
    box_presets: list[BoxPreset] = Field(default_factory=lambda: list(DEFAULT_BOX_PRESETS))

    # Labels.
    gs1_company_prefix: str = Field(default="7012345", pattern=r"^[0-9]{6,12}$")
    label_format: str = Field(default="zpl", pattern=r"^(zpl|png|svg)$")
    label_size: str = Field(default="4x6", pattern=r"^(A6|4x6)$")
    print_labels: bool = False
    print_command: str = ""

    # The embedded sandbox (used only when api_url is empty).
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=0, ge=0, le=65535)

    @property
    def uses_sandbox(self) -> bool:
        """True when no Omnium is configured and the embedded sandbox serves the station."""
        return not self.api_url.strip()
