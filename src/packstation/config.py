"""The station's settings: defaults < TOML file < environment (PACKSTATION_*) < command-line flags.

`load_settings` merges the four layers, remembers where each value came from (for `packstation
config show`) and turns every problem into one `SettingsError` line that names the key,
variable or flag, so the CLI can print it and exit 2 instead of showing a traceback.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import tomllib
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import platformdirs
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from packstation.devices.documents import DocumentKind
from packstation.devices.printer_target import parse_printer
from packstation.i18n import LANGUAGES, normalize_language
from packstation.omnium.redact import mask_url_password
from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
from packstation.packing.case_sizes import DEFAULT_CASE_SIZE_PROPERTY
from packstation.packing.rules import DEFAULT_PACKED_STATUSES
from packstation.pins import check_pin_hash
from packstation.shifts import check_hours

APP_NAME = "packstation"


def default_data_dir() -> Path:
    """Where the station keeps its database, the sandbox's state and the label spool."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_path() -> Path:
    """The settings file in the user config directory."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _digits(shortest: int, longest: int, example: str) -> Callable[[str], str]:
    """A validator for a code of digits, with a message a person can act on."""
    size = f"{shortest}" if shortest == longest else f"{shortest} to {longest}"

    def check(value: str) -> str:
        if not (value.isascii() and value.isdigit() and shortest <= len(value) <= longest):
            raise ValueError(f"must be {size} digits, e.g. {example}")
        return value

    return check


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
    station_id: Annotated[str, AfterValidator(_digits(2, 2, "01"))] = "01"
    data_dir: Path = Field(default_factory=default_data_dir)
    theme: str = "packstation-dark"
    language: str = ""
    """The station's language: en, nb, sv or da (empty: the system locale's when it is one of
    them, else English). Switchable from the command palette while the station runs."""
    supervisors: list[str] = Field(default_factory=list)
    supervisor_pins: dict[str, Annotated[str, AfterValidator(check_pin_hash)]] = Field(
        default_factory=dict
    )
    """Supervisor id -> PIN hash (`packstation config hash-pin`): asked before the desk opens."""
    warehouse_db: SecretStr = SecretStr("")
    """PostgreSQL URL (`postgresql://user:password@host/db`) of the warehouse database shared by
    every station: supervisor cases, audit, statistics and SSCC serials. Empty: this station
    keeps everything to itself."""
    # The store's clean-up at start removes what is older (what is still open stays).
    retention_days: int = Field(default=90, ge=1, le=3650)
    shifts: list[str] = Field(default_factory=list)
    """Shift hours (`06:00-14:00`; an end before the start is the next day): `packstation
    stats` and the desk's shift figures show the current one (none: the whole day)."""
    # Which orders count as waiting here: Omnium's search has no warehouse filter, so the queue
    # searches these statuses (and stores; empty = all), then keeps this warehouse's shipments.
    # Omnium's common flows: an order reaches the warehouse InProgress; while some of its
    # shipments are already shipped it is PartiallyShipped.
    queue_statuses: list[str] = Field(
        default_factory=lambda: ["InProgress", "PartiallyShipped"], min_length=1
    )
    queue_stores: list[str] = Field(default_factory=list)

    packers: list[str] = Field(default_factory=list)
    """Badge ids that may sign in to pack here (empty: any badge)."""
    allow_packing_before_badge: bool = False
    """Open orders before a packer signed in (the badge is then asked at the first submit)."""

    # Packing rules.
    completion_status: str = Field(default="PackedAndReady", min_length=1)
    """Status a packed shipment moves to when its order type is not in packed_statuses."""
    packed_statuses: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_PACKED_STATUSES))
    """Order type -> status a packed shipment moves to (Omnium's common flows by default)."""
    pickup_order_types: list[str] = Field(default_factory=lambda: ["ClickAndCollect"])
    """Order types collected in a store: no weight or box needed, no carrier label."""
    dispatch_statuses: dict[str, str] = Field(default_factory=lambda: {"Online": "Ship"})
    """Order type -> status a packed shipment moves to when its package is scanned at dispatch
    (`packstation --dispatch`): Omnium's common flow ships an Online order with `Ship`."""
    keep_for_later_status: str = ""
    """Status of the shipment left behind by "keep for later" and of split shipments (empty:
    the source shipment's status)."""
    cancel_status: str = ""
    """Status of a shipment whose every unit the packer cancels (empty: not allowed; something
    must be packed). Omnium's common flows call it OrderCanceled."""
    max_weight_kg: Decimal = Field(default=Decimal(70), gt=0, le=1000)
    max_dimension_cm: int = Field(default=300, gt=0, le=1000)
    box_presets: list[BoxPreset] = Field(default_factory=lambda: list(DEFAULT_BOX_PRESETS))
    case_sizes: dict[str, Annotated[int, Field(gt=0, le=100000)]] = Field(default_factory=dict)
    """Case GTIN (8-14 digits) -> units in the case: a bare scan of it packs that many, unless
    the order line's `case_size_property` sizes that case (Omnium's data comes first)."""
    case_size_property: str = DEFAULT_CASE_SIZE_PROPERTY
    """The order line property (key, any case) that holds the units in the line's case ("" =
    read none): a line with exactly one case GTIN and this property sizes that case."""
    split_warehouses: list[str] = Field(default_factory=list)
    """Warehouses a line's rest may be split to (besides a new shipment from this one)."""
    pickup_points: dict[str, list[str]] = Field(default_factory=dict)
    """Shipping method name -> pickup point ids a split rest of its shipments may go to."""

    # Labels.
    gs1_company_prefix: Annotated[str, AfterValidator(_digits(6, 12, "7012345"))] = "7012345"
    label_format: Literal["zpl", "png", "svg"] = "zpl"
    label_size: Literal["A6", "4x6"] = "4x6"
    print_labels: bool = False
    print_carrier_labels: bool = True
    """Download and print the carrier's label of each package sent (Omnium's label links)."""
    booking_wait_seconds: float = Field(default=60.0, ge=0, le=3600)
    """How long the station follows an order after a submit for steps Omnium runs after its
    answer (runAfterOrderIsSaved: the carrier's tracking number and label link); 0 = never."""
    booking_poll_seconds: float = Field(default=2.0, gt=0, le=600)
    """How often it re-reads the order meanwhile."""
    print_command: str = ""
    print_packing_slip: bool = False
    """After a successful submit, print Omnium's order document (GetAsPdf) for each shipment
    sent, through the packing_slip printer."""
    packing_slip_template: str = ""
    """Omnium's templateFile for that document (Omnium narrows it to the shipment only with a
    template; empty: Omnium's default document of the whole order)."""
    pickup_shelf: str = ""
    """Shelf or bin where click-and-collect parcels wait: printed on the pickup slip (empty:
    no shelf line)."""
    printers: dict[DocumentKind, str] = Field(default_factory=dict)
    """Document kind -> printer: `tcp://HOST:9100`, `cups:QUEUE`, `ipp://...`, `command:...`,
    `spool`. A kind not listed uses print_command (or the spool folder when that is empty)."""

    # Cues.
    cue_commands: dict[Literal["accepted", "refused", "aborted"], str] = Field(default_factory=dict)
    """Event -> a command run (without waiting) besides the bell, e.g. `aplay /x/refused.wav`."""

    # The scale (none by default: weights come from GS1 labels and the keyboard).
    scale_protocol: Literal["none", "sics", "continuous", "hid"] = "none"
    scale_port: str = ""
    scale_baud: int = Field(default=9600, gt=0, le=921600)
    scale_weigh_on: Literal["scan", "key"] = "scan"
    """When the scale's stable weight becomes the package's: on CMD-NEW-PACKAGE / CMD-SUBMIT
    scans (`scan`), or only when the packer presses F7 (`key`)."""

    # The embedded sandbox (used only when api_url is empty).
    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = Field(default=0, ge=0, le=65535)
    sandbox_lenient: bool = False
    """Let the embedded sandbox ignore request fields Omnium's contract lacks (else 400)."""

    @field_validator("shifts")
    @classmethod
    def _shift_hours(cls, value: list[str]) -> list[str]:
        return [check_hours(hours) for hours in value]

    @field_validator("language", mode="after")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalize_language(value)
        except ValueError:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)} (or empty)") from None

    @field_validator("api_url", mode="after")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be empty (the sandbox) or an http:// or https:// URL")
        return value.rstrip("/")

    @field_validator("warehouse_db", mode="after")
    @classmethod
    def _postgres_url(cls, value: SecretStr) -> SecretStr:
        text = value.get_secret_value().strip()
        if text and not text.lower().startswith(("postgresql://", "postgres://")):
            raise ValueError("must be empty or a postgresql:// URL")
        return SecretStr(text)

    @field_validator("printers", mode="after")
    @classmethod
    def _printer_addresses(cls, value: dict[DocumentKind, str]) -> dict[DocumentKind, str]:
        for spec in value.values():
            parse_printer(spec)  # a typo is reported at start, not when a label is due
        return value

    @field_validator("case_sizes", mode="after")
    @classmethod
    def _case_gtins(cls, value: dict[str, int]) -> dict[str, int]:
        for gtin in value:
            if not (gtin.isascii() and gtin.isdigit() and 8 <= len(gtin) <= 14):
                raise ValueError(f"{gtin!r} is not a GTIN (8 to 14 digits)")
        return value

    @field_validator("data_dir", mode="after")
    @classmethod
    def _expand_home(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def has_scale(self) -> bool:
        """True when a scale is configured (a HID scale needs no port: the first one is used)."""
        return self.scale_protocol != "none" and (
            self.scale_protocol == "hid" or bool(self.scale_port.strip())
        )

    @property
    def warehouse_url(self) -> str:
        """The warehouse database's URL, or "" when this station shares nothing."""
        return self.warehouse_db.get_secret_value()

    @property
    def uses_sandbox(self) -> bool:
        """True when no Omnium is configured and the embedded sandbox serves the station."""
        return not self.api_url.strip()


# --- loading -----------------------------------------------------------------------------------

ENV_PREFIX = "PACKSTATION_"
CONFIG_ENV = "PACKSTATION_CONFIG"
SECRET_FIELDS = frozenset({"client_secret", "supervisor_pins", "warehouse_db"})
_MAX_SHOWN_INPUT = 60


class SettingsError(Exception):
    """A settings problem, as one line naming the file, key, variable or flag at fault."""


@dataclass(frozen=True)
class ResolvedSettings:
    """The effective settings and where each one came from."""

    settings: Settings
    sources: dict[str, str]
    """Field name -> "default", "file PATH", "env PACKSTATION_X" or "flag --x"."""
    config_path: Path
    config_path_source: str
    """Where the file's path came from: "default", "flag --config", "env PACKSTATION_CONFIG"."""
    config_exists: bool


def env_var(field: str) -> str:
    """The environment variable of a setting: `api_url` -> `PACKSTATION_API_URL`."""
    return ENV_PREFIX + field.upper()


def flag_name(field: str) -> str:
    """The command-line flag of a setting: `station_id` -> `--station-id`."""
    return "--" + field.replace("_", "-")


def mask_secret(value: str) -> str:
    """A secret as `config show` prints it: never more than its first two characters."""
    if not value:
        return "(not set)"
    return value[:2] + "****" if len(value) >= 8 else "****"


def _locate(
    args: argparse.Namespace | None, env: Mapping[str, str], config_path: Path | None
) -> tuple[Path, str, bool]:
    """The settings file, where its path came from, and whether it was named explicitly."""
    flag = getattr(args, "config", None) if args is not None else None
    if flag:
        return Path(flag).expanduser(), "flag --config", True
    if config_path is not None:
        return Path(config_path).expanduser(), "argument", True
    if env.get(CONFIG_ENV, "").strip():
        return Path(env[CONFIG_ENV].strip()).expanduser(), f"env {CONFIG_ENV}", True
    return default_config_path(), "default", False


def config_file_path(
    args: argparse.Namespace | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Path:
    """The settings file that `load_settings` would read with these arguments."""
    return _locate(args, os.environ if env is None else env, config_path)[0]


def _read_file(path: Path, explicit: bool) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit:
            raise SettingsError(f"{path}: settings file not found") from None
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SettingsError(f"{path}: cannot read settings file: {reason}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None


def _is_text_list(field: str) -> bool:
    annotation = Settings.model_fields[field].annotation
    return typing.get_origin(annotation) is list and typing.get_args(annotation) == (str,)


def _is_structured(field: str) -> bool:
    annotation = Settings.model_fields[field].annotation
    return typing.get_origin(annotation) in (list, dict)


def _from_text(field: str, text: str, where: str) -> Any:
    """A value given as text (environment, flag) in the shape the field wants."""
    if _is_text_list(field):
        return [item.strip() for item in text.split(",") if item.strip()]
    if _is_structured(field):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise SettingsError(f"{where}: expected a JSON list ({exc})") from None
    return text


def _describe_input(field: str, value: Any) -> str:
    if field in SECRET_FIELDS:
        return ""
    shown = repr(value)
    if len(shown) > _MAX_SHOWN_INPUT:
        shown = shown[: _MAX_SHOWN_INPUT - 1] + "…"
    return f" (got {shown})"


def _where(source: str, path: str) -> str:
    """Who to blame: `FILE: key`, `PACKSTATION_X`, `--flag` or the key for a default."""
    kind, _, origin = source.partition(" ")
    field = path.split(".", 1)[0].split("[", 1)[0]
    nested = path.removeprefix(field)
    if kind == "file":
        return f"{origin}: {path}"
    if kind in ("env", "flag"):
        return f"{origin}{' ' + path if nested else ''}"
    return path


def _validation_message(exc: ValidationError, sources: Mapping[str, str]) -> str:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = [str(part) for part in first["loc"]] or ["(settings)"]
    field = loc[0]
    path = field + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in loc[1:])
    where = _where(sources.get(field, "default"), path)
    text = first["msg"].removeprefix("Value error, ")
    message = f"{where}: {text}{_describe_input(field, first.get('input'))}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return mask_url_password(message)


def resolve_settings(
    args: argparse.Namespace | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> ResolvedSettings:
    """Merge defaults < file < environment < flags; raise `SettingsError` on any problem."""
    environ = os.environ if env is None else env
    path, path_source, explicit = _locate(args, environ, config_path)
    fields = Settings.model_fields
    values: dict[str, Any] = {}
    sources = dict.fromkeys(fields, "default")

    data = _read_file(path, explicit)
    for key, value in (data or {}).items():
        if key not in fields:
            close = difflib.get_close_matches(key, list(fields), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SettingsError(f"{path}: unknown setting {key!r}{hint}")
        values[key] = value
        sources[key] = f"file {path}"

    for field in fields:
        name = env_var(field)
        if name in environ:
            values[field] = _from_text(field, environ[name], name)
            sources[field] = f"env {name}"

    if args is not None:
        for field in fields:
            given = getattr(args, field, None)
            if given is not None:
                flag = flag_name(field)
                values[field] = _from_text(field, given, flag) if isinstance(given, str) else given
                sources[field] = f"flag {flag}"

    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        raise SettingsError(_validation_message(exc, sources)) from None
    return ResolvedSettings(settings, sources, path, path_source, data is not None)


def load_settings(
    args: argparse.Namespace | None = None,
    *,
    env: Mapping[str, str] | None = None,
    config_path: Path | None = None,
) -> Settings:
    """The effective settings (defaults < file < environment < flags)."""
    return resolve_settings(args, env=env, config_path=config_path).settings
