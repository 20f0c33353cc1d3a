"""Canonical forms of the identifiers customers type."""

from __future__ import annotations

import re
import unicodedata

_ORDER_RE = re.compile(r"^#?\s*(?:STS)?[\s\-_#]*(\d{4})[\s\-_]*(\d{4})$", re.IGNORECASE)
_CLAIM_RE = re.compile(r"^#?\s*(?:CLM)?[\s\-_#]*(\d{1,6})$", re.IGNORECASE)
_PLAIN = {"Zs": " ", "Pd": "-"}  # by Unicode category: space separators, dashes


def visible(text: str) -> str:
    """`text` as a person sees it, by Unicode category rather than a list of characters.

    Invisible format characters (category Cf: bidi controls such as U+202D…U+202C,
    zero-width spaces and joiners, the BOM, soft hyphens) are removed; compatibility forms
    are folded (NFKC: full-width digits and letters, ligatures); every space separator
    (Zs, e.g. the non-breaking space) becomes a plain space and every dash (Pd) a hyphen.
    Copying an identifier from a web page, a PDF or a phone often brings such characters.
    """
    shown = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return "".join(
        _PLAIN.get(unicodedata.category(c), c) for c in unicodedata.normalize("NFKC", shown)
    )


def normalize_order_number(text: str) -> str | None:
    """`sts48291307`, `#STS 4829 1307` and `4829-1307` all become `STS-4829-1307`."""
    match = _ORDER_RE.match(visible(text).strip())
    if not match:
        return None
    # int() reads every script's decimal digits, which \d matched: answer ASCII digits.
    return f"STS-{int(match.group(1)):04d}-{int(match.group(2)):04d}"


def normalize_claim_number(text: str) -> str | None:
    """`clm 123` and `CLM-000123` become `CLM-000123`; a bare number needs the prefix."""
    stripped = visible(text).strip()
    if not stripped.upper().lstrip("#").lstrip().startswith("CLM"):
        return None
    match = _CLAIM_RE.match(stripped)
    return f"CLM-{int(match.group(1)):06d}" if match else None


def normalize_email(text: str) -> str:
    return visible(text).strip().lower()


def normalize_tracking_number(text: str) -> str:
    return re.sub(r"[\s\-]", "", visible(text)).upper()


def claim_number_for(claim_id: int) -> str:
    return f"CLM-{claim_id:06d}"
