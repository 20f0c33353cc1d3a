"""Canonical forms of the identifiers customers type."""

from __future__ import annotations

import re

_ORDER_RE = re.compile(r"^#?\s*(?:STS)?[\s\-_#]*(\d{4})[\s\-_]*(\d{4})$", re.IGNORECASE)
_CLAIM_RE = re.compile(r"^#?\s*(?:CLM)?[\s\-_#]*(\d{1,6})$", re.IGNORECASE)


def normalize_order_number(text: str) -> str | None:
    """`sts48291307`, `#STS 4829 1307` and `4829-1307` all become `STS-4829-1307`."""
    match = _ORDER_RE.match(text.strip())
    return f"STS-{match.group(1)}-{match.group(2)}" if match else None


def normalize_claim_number(text: str) -> str | None:
    """`clm 123` and `CLM-000123` become `CLM-000123`; a bare number needs the prefix."""
    stripped = text.strip()
    if not stripped.upper().lstrip("#").lstrip().startswith("CLM"):
        return None
    match = _CLAIM_RE.match(stripped)
    return f"CLM-{int(match.group(1)):06d}" if match else None


def normalize_email(text: str) -> str:
    return text.strip().lower()


def normalize_tracking_number(text: str) -> str:
    return re.sub(r"[\s\-]", "", text).upper()


def claim_number_for(claim_id: int) -> str:
    return f"CLM-{claim_id:06d}"
