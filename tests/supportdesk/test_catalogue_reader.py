"""Reading catalogue files: the schema, typed records, and errors that name record and field."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from supportdesk.catalogue_reader import SCHEMA_PATH, parse_catalogue, parse_time, read_catalogue
from supportdesk.catalogue_records import CatalogueError
from tests.supportdesk import catalogue_example as example

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def problems(doc: dict) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(doc, NOW)
    return caught.value.problems


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-3d", NOW - timedelta(days=3)),
        ("+2d", NOW + timedelta(days=2)),
        ("-6h", NOW - timedelta(hours=6)),
        ("-1d12h", NOW - timedelta(days=1, hours=12)),
        ("-90m", NOW - timedelta(minutes=90)),
        ("2026-11-28T15:30:00Z", datetime(2026, 11, 28, 15, 30, tzinfo=timezone.utc)),
        ("2026-11-28T10:30:00-05:00", datetime(2026, 11, 28, 15, 30, tzinfo=timezone.utc)),
    ],
)
def test_times_are_relative_to_the_load_or_iso_8601(text: str, expected: datetime) -> None:
    assert parse_time(text, NOW) == expected


def test_a_valid_catalogue_reads_into_typed_records() -> None:
    catalogue = parse_catalogue(example.document(), NOW)
    [customer] = catalogue.customers
    assert customer.email == "ana@example.org"  # e-mails are compared without letter case
    [order] = catalogue.orders
    assert [line.line_id for line in order.lines] == ["STS-1111-2222-L1", "SPOON-7"]
    assert [(line.unit_price_cents, line.tax_cents) for line in order.lines] == [
        (800, 0),
        (250, 40),
    ]
    [package] = order.packages
    assert package.units == {"STS-1111-2222-L1": 1, "SPOON-7": 2}
    assert package.store_received_at == NOW - timedelta(days=2) and package.events is None
    [claim] = order.claims
    assert claim.units == {"SPOON-7": 1} and claim.channel == "web"
    assert claim.filed_at == NOW - timedelta(hours=12)
    assert order.currency == "USD" and order.picked_up_at == NOW - timedelta(days=1)


def test_schema_errors_name_the_record_and_the_field() -> None:
    doc = example.document()
    doc["orders"][0]["lines"][1]["unit_price"] = "2,50"
    doc["orders"][0]["packages"][0]["shipped_at"] = "three days ago"
    del doc["stores"][0]["time_zone"]
    found = problems(doc)
    assert any(p.startswith("order STS-1111-2222, lines[1].unit_price: '2,50'") for p in found)
    assert any(p.startswith("order STS-1111-2222, packages[0].shipped_at: ") for p in found)
    assert "store BOS-0001: 'time_zone' is a required property" in found


def test_a_record_without_its_key_is_named_by_its_position() -> None:
    doc = example.document()
    del doc["orders"][0]["order_number"]
    assert problems(doc) == ["orders[0]: 'order_number' is a required property"]


def test_a_file_that_is_not_json_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(CatalogueError, match="cannot be read as JSON"):
        read_catalogue(path, NOW)


def test_unknown_fields_and_another_format_are_refused() -> None:
    doc = example.document()
    doc["format"] = "sts-catalogue/2"
    doc["orders"][0]["lines"][0]["colour"] = "red"
    found = problems(doc)
    assert any(p.startswith("the file, format: ") for p in found)
    assert any("lines[0]: Additional properties" in p and "'colour'" in p for p in found)


def test_what_only_code_can_check_is_named_too() -> None:
    doc = example.document()
    doc["stores"][0]["time_zone"] = "America/Atlantis"
    doc["orders"][0]["packages"][0]["tracking_number"] = "1Z4E82A70362815597"
    doc["orders"][0]["packages"][0]["items"][1]["line"] = 3
    doc["orders"][0]["placed_at"] = "2026-02-30T10:00:00Z"
    assert set(problems(doc)) == {
        "store BOS-0001, time_zone: not an IANA time zone name",
        "order STS-1111-2222, packages[0].tracking_number: '1Z4E82A70362815597' is not a valid "
        "tracking number (carrier format and check digit)",
        "order STS-1111-2222, packages[0].items[1].line: no line 3 in the order",
        "order STS-1111-2222, placed_at: day is out of range for month",
    }


def test_a_tracking_number_of_another_carrier_is_refused() -> None:
    doc = example.document()
    doc["orders"][0]["packages"][0]["carrier"] = "FedEx"
    assert problems(doc) == [
        "order STS-1111-2222, packages[0].tracking_number: '1Z4E82A70362815596' is a UPS "
        "number, not FedEx's"
    ]


def test_the_readme_s_example_is_a_valid_catalogue() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Catalogue files", 1)[1]
    example_json = section.split("```json\n", 1)[1].split("```", 1)[0]
    [order] = parse_catalogue(json.loads(example_json), NOW).orders
    assert order.claims[0].units == {"STS-8406-5519-L2": 1}
