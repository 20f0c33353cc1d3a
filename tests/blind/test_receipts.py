"""The receipts converter: a blind set's orders become a catalogue the support desk loads."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import tracking_numbers

from supportdesk.catalogue import load_catalogue
from supportdesk.claims import list_claims
from supportdesk.db import Database
from supportdesk.orders import lookup_order
from tests.blind.receipts import ReceiptsError, convert, main, tracking_map_path

EXAMPLE = Path(__file__).with_name("example_receipts.json")


def receipts() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_customers_and_stores_are_the_same_by_e_mail_and_by_name() -> None:
    catalogue, _ = convert(receipts())
    assert catalogue["customers"] == [
        {"name": "Zoë O'Brien", "email": "zoe@example.org"},
        {"name": "Tomás Ruiz-Ávila", "email": "tomas.ruiz@example.net"},
    ]
    assert [(s["code"], s["name"]) for s in catalogue["stores"]] == [
        ("HAR-0001", "Harbor Point"),
        ("CAN-0002", "Canal Street Market"),
    ]
    assert [o["store"] for o in catalogue["orders"]] == ["HAR-0001", "HAR-0001", "CAN-0002"]


def test_lines_get_skus_and_tax() -> None:
    first = convert(receipts())[0]["orders"][0]
    assert [(line["name"], line["unit_price"], line["tax"]) for line in first["lines"]] == [
        ("Kids' Rain Boots, Size 11", "24.99", "4.00"),  # 8% of 2 x 24.99
        ("Rain Poncho (Adult)", "12.00", "0.96"),
    ]
    assert all(line["sku"] for line in first["lines"])
    assert convert(receipts(), tax_rate=0)[0]["orders"][0]["lines"][0]["tax"] == "0.00"


def test_tracking_numbers_are_valid_for_their_carrier_and_the_same_every_time() -> None:
    catalogue, tracking = convert(receipts())
    assert tracking == convert(receipts())[1]
    assert list(tracking) == ["STS-3141-5926", "STS-2718-2818", "STS-1618-0339"]
    codes = {"UPS": "ups", "FedEx": "fedex", "USPS": "usps"}
    for order in catalogue["orders"]:
        numbers = [p["tracking_number"] for p in order["packages"]]
        assert tracking[order["order_number"]] == {"tracking": numbers}
        for package in order["packages"]:
            parsed = tracking_numbers.get_tracking_number(package["tracking_number"])
            assert parsed is not None and not parsed.validation_errors
            assert parsed.courier.code == codes[package["carrier"]]
    assert len({n for t in tracking.values() for n in t["tracking"]}) == 4


def test_the_catalogue_loads_with_its_split_shipment_and_existing_claim(tmp_path: Path) -> None:
    out = tmp_path / "blind.json"
    assert main([str(EXAMPLE), str(out)]) == 0
    tracking = json.loads(tracking_map_path(out).read_text(encoding="utf-8"))
    db = Database(f"sqlite:///{tmp_path / 'desk.db'}")
    db.create_schema()
    assert load_catalogue(db, out).orders == 3
    split = lookup_order(db, "STS-3141-5926", "zoe@example.org")
    assert split["status"] == "picked_up" and split["customer_name"] == "Zoë O'Brien"
    assert [(s["carrier"], s["received_by_store"]) for s in split["shipments"]] == [
        ("UPS", True),
        ("USPS", False),
    ]
    assert [s["tracking_number"] for s in split["shipments"]] == tracking["STS-3141-5926"][
        "tracking"
    ]
    [claim] = list_claims(db, "STS-2718-2818")
    assert [(i["name"], i["quantity"]) for i in claim["items"]] == [("Beach Towel, Striped", 1)]
    single = lookup_order(db, "STS-1618-0339", "tomas.ruiz@example.net")
    assert single["status"] == "ready_for_pickup" and len(single["shipments"]) == 1
    db.dispose()


def broken(change) -> str:
    data = copy.deepcopy(receipts())
    change(data["orders"])
    with pytest.raises(ReceiptsError) as caught:
        convert(data)
    return str(caught.value)


def test_a_package_without_an_items_map_is_refused() -> None:
    message = broken(lambda orders: orders[0]["packages"][1].pop("items"))
    assert message.startswith("order STS-3141-5926, packages[1]: an items map is needed")


def test_quantities_that_do_not_add_up_are_refused() -> None:
    def more(orders):
        orders[0]["packages"][1]["items"]["Kids' Rain Boots, Size 11"] = 1

    assert broken(more) == (
        'order STS-3141-5926, packages: 2 x "Kids\' Rain Boots, Size 11" ordered but 3 in '
        "the packages"
    )
    message = broken(lambda orders: orders[0]["packages"].pop(1))
    assert message.endswith("1 x 'Rain Poncho (Adult)' ordered but 0 in the packages")


def test_a_package_of_an_unknown_item_is_refused() -> None:
    def unknown(orders):
        orders[1]["packages"][0]["items"]["Flip-flops"] = 1

    assert "packages[0].items: 'Flip-flops' is not one of the order's items" in broken(unknown)


def test_what_the_catalogue_refuses_is_named_by_order() -> None:
    def nothing_at_store(orders):
        orders[0]["packages"][0]["at_store"] = False

    message = broken(nothing_at_store)
    assert "order STS-3141-5926, picked_up_at: before the store received any package" in message


def test_one_e_mail_is_one_customer() -> None:
    def renamed(orders):
        orders[1]["customer"] = "Zoe OBrien"

    assert broken(renamed) == (
        'order STS-2718-2818, customer: zoe@example.org is "Zoë O\'Brien" in another '
        "receipt, not 'Zoe OBrien'"
    )


def test_the_command_says_what_is_wrong(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = receipts()
    data["orders"][2]["items"][0]["price"] = "44.905"
    source = tmp_path / "receipts.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    assert main([str(source), str(tmp_path / "out.json")]) == 2
    assert "order STS-1618-0339, items[0].price: '44.905'" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
