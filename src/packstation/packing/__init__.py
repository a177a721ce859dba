"""The packing domain, pure: scan interpretation, the session, decisions, the patch builder.

Nothing here does I/O or imports Textual, SQLite or the sandbox.

The names below load their submodule on first use (PEP 562), so importing one submodule
(`packstation.config` needs only `boxes`) does not pull in the whole domain, biip included.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packstation.packing.boxes import DEFAULT_BOX_PRESETS, BoxPreset
    from packstation.packing.commands import Command
    from packstation.packing.decisions import Decision, SplitTarget
    from packstation.packing.errors import (
        NoOpenShipment,
        OrderCancelled,
        OrderCompleted,
        OrderNotPackable,
        OrderQueued,
        OrderReadOnly,
        PackingError,
        PlanError,
    )
    from packstation.packing.events import (
        BoxChosen,
        DecisionSet,
        DimensionsSet,
        Event,
        ItemPacked,
        ItemUnpacked,
        PackageOpened,
        PackerSet,
        Undone,
        WeightSet,
        event_from_dict,
        event_to_dict,
    )
    from packstation.packing.index import LineIndex
    from packstation.packing.outcome import Action, Outcome
    from packstation.packing.plan import (
        SubmissionPlan,
        build_requests,
        patch_landed,
        plan_submission,
        propose_shipment_id,
        propose_shipment_ids,
    )
    from packstation.packing.rules import PackingRules
    from packstation.packing.scan import (
        BadgeScan,
        BoxScan,
        CommandScan,
        DimensionsScan,
        ItemScan,
        OrderIdScan,
        Rejected,
        RejectKind,
        ScanResult,
        WeightScan,
        interpret,
    )
    from packstation.packing.session import PackingSession, ReplayError
    from packstation.packing.target import choose_shipment
    from packstation.packing.views import LineView, PackageView, SessionSnapshot, Totals

_WHERE: dict[str, str] = {
    "Action": "packstation.packing.outcome",
    "BadgeScan": "packstation.packing.scan",
    "BoxChosen": "packstation.packing.events",
    "BoxPreset": "packstation.packing.boxes",
    "BoxScan": "packstation.packing.scan",
    "Command": "packstation.packing.commands",
    "CommandScan": "packstation.packing.scan",
    "DEFAULT_BOX_PRESETS": "packstation.packing.boxes",
    "Decision": "packstation.packing.decisions",
    "DecisionSet": "packstation.packing.events",
    "DimensionsScan": "packstation.packing.scan",
    "DimensionsSet": "packstation.packing.events",
    "Event": "packstation.packing.events",
    "ItemPacked": "packstation.packing.events",
    "ItemScan": "packstation.packing.scan",
    "ItemUnpacked": "packstation.packing.events",
    "LineIndex": "packstation.packing.index",
    "LineView": "packstation.packing.views",
    "NoOpenShipment": "packstation.packing.errors",
    "OrderCancelled": "packstation.packing.errors",
    "OrderCompleted": "packstation.packing.errors",
    "OrderIdScan": "packstation.packing.scan",
    "OrderNotPackable": "packstation.packing.errors",
    "OrderQueued": "packstation.packing.errors",
    "OrderReadOnly": "packstation.packing.errors",
    "Outcome": "packstation.packing.outcome",
    "PackageOpened": "packstation.packing.events",
    "PackageView": "packstation.packing.views",
    "PackerSet": "packstation.packing.events",
    "PackingError": "packstation.packing.errors",
    "PackingRules": "packstation.packing.rules",
    "PackingSession": "packstation.packing.session",
    "PlanError": "packstation.packing.errors",
    "RejectKind": "packstation.packing.scan",
    "Rejected": "packstation.packing.scan",
    "ReplayError": "packstation.packing.session",
    "ScanResult": "packstation.packing.scan",
    "SessionSnapshot": "packstation.packing.views",
    "SplitTarget": "packstation.packing.decisions",
    "SubmissionPlan": "packstation.packing.plan",
    "Totals": "packstation.packing.views",
    "Undone": "packstation.packing.events",
    "WeightScan": "packstation.packing.scan",
    "WeightSet": "packstation.packing.events",
    "build_requests": "packstation.packing.plan",
    "choose_shipment": "packstation.packing.target",
    "event_from_dict": "packstation.packing.events",
    "event_to_dict": "packstation.packing.events",
    "interpret": "packstation.packing.scan",
    "patch_landed": "packstation.packing.plan",
    "plan_submission": "packstation.packing.plan",
    "propose_shipment_id": "packstation.packing.plan",
    "propose_shipment_ids": "packstation.packing.plan",
}

__all__ = [
    "DEFAULT_BOX_PRESETS",
    "Action",
    "BadgeScan",
    "BoxChosen",
    "BoxPreset",
    "BoxScan",
    "Command",
    "CommandScan",
    "Decision",
    "DecisionSet",
    "DimensionsScan",
    "DimensionsSet",
    "Event",
    "ItemPacked",
    "ItemScan",
    "ItemUnpacked",
    "LineIndex",
    "LineView",
    "NoOpenShipment",
    "OrderCancelled",
    "OrderCompleted",
    "OrderIdScan",
    "OrderNotPackable",
    "OrderQueued",
    "OrderReadOnly",
    "Outcome",
    "PackageOpened",
    "PackageView",
    "PackerSet",
    "PackingError",
    "PackingRules",
    "PackingSession",
    "PlanError",
    "RejectKind",
    "Rejected",
    "ReplayError",
    "ScanResult",
    "SessionSnapshot",
    "SplitTarget",
    "SubmissionPlan",
    "Totals",
    "Undone",
    "WeightScan",
    "WeightSet",
    "build_requests",
    "choose_shipment",
    "event_from_dict",
    "event_to_dict",
    "interpret",
    "patch_landed",
    "plan_submission",
    "propose_shipment_id",
    "propose_shipment_ids",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, loaded or not."""
    return sorted(set(globals()) | set(__all__))
