import pytest

from supportdesk.identifiers import (
    normalize_claim_number,
    normalize_email,
    normalize_order_number,
    normalize_tracking_number,
    visible,
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


# --- invisible and look-alike characters (issue 11, item 8) ---

INVISIBLE_ORDER_NUMBERS = [
    "\u202dSTS-4829-1307\u202c",  # left-to-right override ... pop directional formatting
    "\u2066STS-4829-1307\u2069",  # isolates
    "STS-48\u200b29-1307",  # zero-width space inside
    "\u200cSTS\u200d-4829-1307",  # zero-width non-joiner and joiner
    "\ufeffSTS-4829-1307",  # a byte order mark from a copied file
    "STS\u00a04829\u00a01307",  # non-breaking spaces
    "STS\u202f4829\u20071307",  # narrow no-break and figure spaces
    "STS\u20114829\u20131307",  # non-breaking hyphen, en dash
    "\uff33\uff34\uff33\uff0d\uff14\uff18\uff12\uff19\uff0d\uff11\uff13\uff10\uff17",  # full width
    "STS-\u0664\u0668\u0662\u0669-\u0661\u0663\u0660\u0667",  # Arabic-Indic digits
    "4829\u00ad-1307",  # soft hyphen
]


@pytest.mark.parametrize("typed", INVISIBLE_ORDER_NUMBERS)
def test_order_numbers_with_invisible_or_look_alike_characters_normalise(typed: str) -> None:
    assert normalize_order_number(typed) == "STS-4829-1307"


@pytest.mark.parametrize(
    "typed", ["\u202dCLM-000123\u202c", "CLM\u200b000123", "clm\u00a0123", "\ufeff#clm\u2013123"]
)
def test_claim_numbers_with_invisible_characters_normalise(typed: str) -> None:
    assert normalize_claim_number(typed) == "CLM-000123"


def test_emails_and_tracking_numbers_lose_invisible_characters() -> None:
    assert normalize_email("\u202dMaya.Chen@Example.com\u202c") == "maya.chen@example.com"
    assert normalize_email("maya.chen\u200b@example.com\u00a0") == "maya.chen@example.com"
    assert normalize_tracking_number("1Z\u200b4E82\u00a0A703\u20116281\ufeff5596") == (
        "1Z4E82A70362815596"
    )


@pytest.mark.parametrize("typed", ["STS-4829-130\u200b", "\u202d4829-130\u202c", "STS\u200b"])
def test_invisible_characters_do_not_make_a_number_out_of_too_few_digits(typed: str) -> None:
    assert normalize_order_number(typed) is None


def test_visible_removes_every_format_character_by_category() -> None:
    """Every Cf character of this Python's Unicode database, not a list kept by hand."""
    import sys
    import unicodedata

    format_chars = [
        chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
    ]
    assert len(format_chars) > 100
    assert visible("STS" + "".join(format_chars) + "-4829-1307") == "STS-4829-1307"
    assert visible("a\u3000b\u1680c") == "a b c"  # ideographic and ogham spaces (Zs)
