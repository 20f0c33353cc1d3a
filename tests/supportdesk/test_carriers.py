"""Carrier names and the tracking numbers valid for each."""

from __future__ import annotations

from supportdesk.carriers import canonical_carrier, tracking_number_problem


def test_carriers_are_spelled_the_way_the_desk_links_them() -> None:
    assert [canonical_carrier(c) for c in ("ups", "FEDEX", "United States Postal Service")] == [
        "UPS",
        "FedEx",
        "USPS",
    ]
    assert canonical_carrier(" Acme Freight ") == "Acme Freight"


def test_a_number_must_be_valid_for_its_carrier() -> None:
    assert tracking_number_problem("UPS", "1Z4E82A70362815596") is None
    assert tracking_number_problem("usps", "9400 1112 0621 3859 4462") is None
    assert tracking_number_problem("FedEx", "781246930512") is None
    assert "check digit" in tracking_number_problem("FedEx", "781246930513")
    assert "is a FedEx number, not USPS's" in tracking_number_problem("USPS", "781246930512")
