"""Deterministic tracking numbers that are valid for their carrier, check digit included."""

from __future__ import annotations

import hashlib

from supportdesk.carriers import canonical_carrier, tracking_number_problem

CARRIERS = ("UPS", "FedEx", "USPS")


def tracking_number(carrier: str, seed: str) -> str:
    """A valid number of `carrier` (UPS 1Z…, FedEx 12 digits, USPS 22 digits), fixed by `seed`."""
    carrier = canonical_carrier(carrier)
    if carrier not in CARRIERS:
        raise ValueError(f"no tracking numbers are made for carrier {carrier!r}")
    for attempt in range(100):
        body = _body(carrier, f"{seed}#{attempt}")
        for check in "0123456789":
            if tracking_number_problem(carrier, body + check) is None:
                return body + check
    raise ValueError(f"no valid {carrier} number found for {seed!r}")  # pragma: no cover


def _body(carrier: str, seed: str) -> str:
    """Everything but the check digit, drawn from the seed's digest."""
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest().upper()
    digits = str(int(digest, 16))
    if carrier == "UPS":  # 1Z, shipper (6), service (2), package (7), check digit
        return f"1Z{digest[:6]}03{digits[:7]}"
    if carrier == "FedEx":  # FedEx Express: 11 digits and a check digit
        return f"7{digits[:10]}"
    return f"92055{digits[:16]}"  # USPS: 22 digits with a check digit
