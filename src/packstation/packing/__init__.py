"""The packing domain, pure: scan interpretation, the session, decisions, the patch builder.

Nothing here does I/O or imports Textual, SQLite or the sandbox.
"""

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
