import pytest

from supportdesk.identifiers import (
    normalize_claim_number,
    normalize_order_number,
    normalize_tracking_number,
)


@pytest.mark.parametrize(
    "typed",
    ["STS-4829-1307", "sts48291307", "#STS 4829 1307", "4829-1307", " sts-4829 1307 ", "48291307"],
)
def test_order_numbers_normalise(typed: str) -> None:
    assert normalize_order_number(typed) == "STS-4829-1307"


@pytest.mark.parametrize("typed", ["", "STS-482-1307", "hello", "STS-4829-13070", "CLM-000123"])
def test_not_order_numbers(typed: str) -> None:
    assert normalize_order_number(typed) is None


@pytest.mark.parametrize("typed", ["CLM-000123", "clm123", "CLM 000123", "#clm-123"])
def test_claim_numbers_normalise(typed: str) -> None:
    assert normalize_claim_number(typed) == "CLM-000123"


@pytest.mark.parametrize("typed", ["123", "CLM-1234567", "STS-4829-1307", ""])
def test_not_claim_numbers(typed: str) -> None:
    assert normalize_claim_number(typed) is None


def test_tracking_numbers_lose_spaces() -> None:
    assert normalize_tracking_number("1z4e 82a7 0362 8155 96") == "1Z4E82A70362815596"
