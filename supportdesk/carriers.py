"""Carriers and their tracking numbers, as the tracking-numbers package knows them."""

from __future__ import annotations

import tracking_numbers

from supportdesk.identifiers import normalize_tracking_number

# The spelling the desk uses (and its tracking links know) for the carriers of the demo data.
CANONICAL = {"ups": "UPS", "fedex": "FedEx", "usps": "USPS"}


def canonical_carrier(carrier: str) -> str:
    """'ups' -> 'UPS', 'United States Postal Service' -> 'USPS'; others as given."""
    for definition in tracking_numbers.DEFINITIONS:
        courier = definition.courier
        if carrier.strip().lower() in (courier.code, courier.name.lower()):
            return CANONICAL.get(courier.code, courier.name)
    return carrier.strip()


def tracking_number_problem(carrier: str, number: str) -> str | None:
    """Why `number` is not a valid tracking number of `carrier`, or None when it is.

    The number is read the way the assistant reads one a shopper types: the first carrier
    format whose check digit holds.
    """
    parsed = tracking_numbers.get_tracking_number(normalize_tracking_number(number))
    if parsed is None or parsed.validation_errors:
        return f"{number!r} is not a valid tracking number (carrier format and check digit)"
    if canonical_carrier(carrier) != canonical_carrier(parsed.courier.code):
        return f"{number!r} is a {canonical_carrier(parsed.courier.code)} number, not {carrier}'s"
    return None
