"""Reading order numbers, claim numbers, e-mails and tracking numbers out of what customers type."""

from __future__ import annotations

import pytest

from actions.identifiers import (
    Tracking,
    normalize_claim_number,
    normalize_order_number,
    order_number_within,
    parse_email,
    parse_tracking_number,
)


@pytest.mark.parametrize(
    "typed",
    [
        "STS-4829-1307",
        "sts48291307",
        "#STS 4829 1307",
        "4829-1307",
        "  sts-4829-1307 ",
        "4829 1307",
    ],
)
def test_order_numbers_normalise_to_the_canonical_form(typed: str) -> None:
    assert normalize_order_number(typed) == "STS-4829-1307"


@pytest.mark.parametrize(
    "typed", ["STS-4829-130", "STS-4829-13070", "hello", "", "CLM-000001", "1Z4E82A70362815596"]
)
def test_other_text_is_not_an_order_number(typed: str) -> None:
    assert normalize_order_number(typed) is None


@pytest.mark.parametrize("typed", ["CLM-000123", "clm 123", "CLM000123", "#clm-123"])
def test_claim_numbers_normalise(typed: str) -> None:
    assert normalize_claim_number(typed) == "CLM-000123"


@pytest.mark.parametrize("typed", ["123", "STS-4829-1307", "CLM-1234567", "claim"])
def test_claim_numbers_need_their_prefix_and_at_most_six_digits(typed: str) -> None:
    assert normalize_claim_number(typed) is None


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert parse_email("  Maya.Chen@Example.COM ") == "maya.chen@example.com"


@pytest.mark.parametrize("typed", ["maya", "maya@example", "maya chen@example.com", "@x.com", ""])
def test_malformed_emails_are_refused(typed: str) -> None:
    assert parse_email(typed) is None


@pytest.mark.parametrize(
    ("typed", "number", "carrier"),
    [
        ("1Z4E82A70362815596", "1Z4E82A70362815596", "UPS"),
        ("1z 4e8 2a7 0362 8155 96", "1Z4E82A70362815596", "UPS"),
        ("7812-4693-0512", "781246930512", "FedEx"),
        ("9400 1112 0621 3859 4462", "94001112062138594462", "United States Postal Service"),
    ],
)
def test_tracking_numbers_of_each_carrier(typed: str, number: str, carrier: str) -> None:
    assert parse_tracking_number(typed) == Tracking(number=number, carrier=carrier)


@pytest.mark.parametrize(
    "typed",
    [
        "1Z4E82A70362815597",  # the check digit is wrong
        "781246930513",
        "94001112062138594460",
        "1Z4E82A7036281559",  # one character short
        "not a tracking number",
        "",
    ],
)
def test_tracking_numbers_with_a_wrong_check_digit_or_format_are_refused(typed: str) -> None:
    assert parse_tracking_number(typed) is None


# --- invisible characters from copied text (issue 11, item 8) ---


@pytest.mark.parametrize(
    "typed",
    [
        "\u202dSTS-4829-1307\u202c",
        "STS-4829\u200b-1307",
        "\ufeff4829\u00a01307",
        "#STS\u20114829\u20111307\u200d",
    ],
)
def test_order_numbers_wrapped_in_invisible_characters_are_read(typed: str) -> None:
    assert normalize_order_number(typed) == "STS-4829-1307"


def test_claim_numbers_wrapped_in_invisible_characters_are_read() -> None:
    assert normalize_claim_number("\u2066clm\u00a0123\u2069") == "CLM-000123"


@pytest.mark.parametrize(
    "typed",
    [
        "1Z\u200b4E82A70362815596",
        "\u202d1Z4E 82A7 0362 8155 96\u202c",
        "1Z4E\u00a082A7\u00a00362\u00a0815596",
        "\ufeff1z4e\u201182a7\u20110362\u2011815596",
    ],
)
def test_tracking_numbers_with_invisible_characters_are_read(typed: str) -> None:
    assert parse_tracking_number(typed) == Tracking(number="1Z4E82A70362815596", carrier="UPS")


def test_emails_with_invisible_characters_are_read() -> None:
    assert parse_email("\u202dmaya.chen@example.com\u202c") == "maya.chen@example.com"
    assert parse_email("\u200bmaya.chen@exam\u00adple.com") == "maya.chen@example.com"


def test_invisible_characters_never_fix_a_wrong_check_digit() -> None:
    assert parse_tracking_number("1Z\u200b4E82A70362815597") is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ordr 6604 3928", "STS-6604-3928"),
        ("it's #12345678 I think", "STS-1234-5678"),
        ("1234 5678 9012", None),  # a tracking number's digits, not an order number's
        ("order 1234-5678 and 2 items", None),  # more digits than the number's
    ],
)
def test_an_order_number_among_words_is_found_when_its_digits_are_the_only_ones(
    typed: str, expected: str | None
) -> None:
    assert order_number_within(typed) == expected
