"""Every OrderLinesUpdate body the station can build validates against Omnium's contract."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from packing_factories import Counter, L, session_for

from packstation.omnium.contract import check_request
from packstation.packing.decisions import Decision, SplitTarget
from packstation.packing.plan import plan_submission
from packstation.packing.session import PackingSession

ORDER_LINES_UPDATE = "/api/Orders/{orderId}/OrderLinesUpdate"


def _weigh(s: PackingSession) -> PackingSession:
    s.set_packer("anna")
    for view in s.packages():
        if view.weight_kg is None:
            assert s.set_weight(Decimal("1.5"), package_no=view.package_no).ok
    return s


def deliver_all() -> PackingSession:
    s = session_for(L("NH-1003", None, 2), L("NH-1005", None, 1))
    s.pack("1", Decimal(2))
    s.choose_box("M")
    s.new_package()
    s.pack("2")
    return _weigh(s)


def deliver_without_dimensions() -> PackingSession:
    s = session_for(L("NH-1003", None, 1))
    s.pack("1")
    return _weigh(s)


def partial_kept() -> PackingSession:
    s = session_for(L("NH-1003", None, 3), L("NH-1005", None, 1))
    s.pack("1", Decimal(2))
    return _weigh(s)


def deliver_and_cancel() -> PackingSession:
    s = session_for(L("NH-1003", None, 3), L("NH-1005", None, 2))
    s.pack("1", Decimal(3))
    s.pack("2")
    s.set_decision("2", Decision.CANCEL)
    return _weigh(s)


def split_same_warehouse() -> PackingSession:
    s = session_for(L("NH-1003", None, 2), L("NH-1005", None, 2))
    s.pack("1", Decimal(2))
    s.set_decision("2", Decision.SPLIT)
    return _weigh(s)


def split_to_warehouse() -> PackingSession:
    s = session_for(L("NH-1003", None, 2), L("NH-1005", None, 2))
    s.pack("1")
    s.set_decision("1", Decision.SPLIT, SplitTarget("WH-BERGEN", None))
    s.set_decision("2", Decision.SPLIT, SplitTarget("WH-BERGEN", None))
    return _weigh(s)


def split_to_pickup_point() -> PackingSession:
    s = session_for(L("NH-1003", None, 2), L("NH-1005", None, 1))
    s.pack("1", Decimal(2))
    s.set_decision("2", Decision.SPLIT, SplitTarget(None, "SP-9"))
    return _weigh(s)


def many_lines() -> PackingSession:
    s = session_for(*[L(f"S{i}", None, 1) for i in range(300)])
    for i in range(1, 301):
        if i == 151:
            s.new_package()
        assert s.pack(str(i)).ok
    return _weigh(s)


def many_packages() -> PackingSession:
    s = session_for(L("NH-1003", None, 260), L("NH-1005", None, 1))
    for n in range(260):
        if n:
            s.new_package()
        s.pack("1")
        s.set_weight(Decimal(1))
    s.set_decision("2", Decision.CANCEL)
    return _weigh(s)


SESSIONS: dict[str, Callable[[], PackingSession]] = {
    "deliver": deliver_all,
    "deliver-no-dimensions": deliver_without_dimensions,
    "partial": partial_kept,
    "cancel": deliver_and_cancel,
    "split": split_same_warehouse,
    "split-to-warehouse": split_to_warehouse,
    "split-to-pickup-point": split_to_pickup_point,
    "chunked-lines": many_lines,
    "chunked-packages": many_packages,
}


@pytest.mark.parametrize("name", SESSIONS)
def test_every_request_validates(name: str) -> None:
    plan = plan_submission(SESSIONS[name](), sscc=Counter())
    assert plan.requests
    for patch in plan.requests:
        assert check_request("POST", ORDER_LINES_UPDATE, patch.to_json_dict()) == [], name


def test_the_chunked_plans_really_have_several_requests() -> None:
    assert len(plan_submission(many_lines(), sscc=Counter()).requests) == 2
    assert len(plan_submission(many_packages(), sscc=Counter()).requests) == 2


def test_references_name_lines_only_and_the_description_says_the_units() -> None:
    plan = plan_submission(deliver_all(), sscc=Counter())
    [patch] = plan.requests
    packages = patch.to_json_dict()["shipmentInfo"]["packages"]
    assert [p["lineItemReferences"] for p in packages] == [
        [{"lineItemId": "1"}],
        [{"lineItemId": "2"}],
    ]
    assert [p["goodsDescription"] for p in packages] == ["2 × NH-1003", "1 × NH-1005"]
