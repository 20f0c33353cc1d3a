"""Made-up tracking numbers: valid for their carrier, check digit included, and reproducible."""

from __future__ import annotations

import re

import pytest
import tracking_numbers

from tests.blind.tracking import tracking_number


@pytest.mark.parametrize(
    ("carrier", "code", "pattern"),
    [("UPS", "ups", r"1Z[0-9A-Z]{16}"), ("FedEx", "fedex", r"\d{12}"), ("usps", "usps", r"\d{22}")],
)
def test_numbers_are_valid_for_their_carrier(carrier: str, code: str, pattern: str) -> None:
    numbers = {tracking_number(carrier, f"seed-{n}") for n in range(25)}
    assert len(numbers) == 25
    for number in numbers:
        parsed = tracking_numbers.get_tracking_number(number)
        assert parsed is not None and not parsed.validation_errors, number
        assert parsed.courier.code == code
        assert re.fullmatch(pattern, number)


def test_the_same_seed_gives_the_same_number() -> None:
    assert tracking_number("UPS", "STS-3141-5926:1") == tracking_number("ups", "STS-3141-5926:1")


def test_a_carrier_without_made_up_numbers_is_refused() -> None:
    with pytest.raises(ValueError, match="Acme"):
        tracking_number("Acme", "x")
