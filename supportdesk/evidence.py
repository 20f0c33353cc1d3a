"""Photo evidence for a claim: checked by content, stripped of metadata, stored privately."""

from __future__ import annotations

import hashlib
import io
import secrets
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from supportdesk.claims import evidence_view
from supportdesk.db import Database
from supportdesk.errors import Invalid, NotFound
from supportdesk.identifiers import normalize_claim_number
from supportdesk.models import Claim, Evidence, utcnow

MAX_FILES_PER_CLAIM = 5
MAX_BYTES = 10 * 1024 * 1024
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# Decompression bombs: refuse images with more pixels than a phone camera makes.
MAX_PIXELS = 60_000_000


def clean_image(data: bytes) -> tuple[bytes, str, str]:
    """Re-encode an image from its pixels alone, dropping EXIF and location data.

    Returns the new bytes, their content type and file extension; raises Invalid for
    anything that is not a JPEG, PNG or WebP image of at most 10 MB.
    """
    if len(data) > MAX_BYTES:
        raise Invalid("Each image must be at most 10 MB.", field="files")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            too_large = probe.size[0] * probe.size[1] > MAX_PIXELS
            probe.verify()
        if too_large:
            raise Invalid(f"Images can have at most {MAX_PIXELS:,} pixels.", field="files")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # A new image from the pixels alone carries no EXIF, GPS or text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
            if image.mode == "P":
                clean.putpalette(image.getpalette())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid("Only JPEG, PNG or WebP images can be added.", field="files") from None
    if kind not in FORMATS:
        raise Invalid("Only JPEG, PNG or WebP images can be added.", field="files")
    content_type, extension = FORMATS[kind]
    out = io.BytesIO()
    if kind == "JPEG":
        clean.convert("RGB").save(out, "JPEG", quality=90)
    else:
        clean.save(out, kind)
    return out.getvalue(), content_type, extension


def add_evidence(
    db: Database, claim_number: str, files: list[bytes], storage: Path
) -> list[dict[str, Any]]:
    """Check every file first, then store them all, so that a bad file stores nothing."""
    number = normalize_claim_number(claim_number)
    with db.read() as session:
        if number is None or _claim(session, number) is None:
            raise NotFound(f"No claim {claim_number!r}.")
    cleaned = [clean_image(data) for data in files]
    if not cleaned:
        raise Invalid("Add at least one image.", field="files")
    storage.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with db.write() as session:
            claim = _claim(session, number)
            if claim is None:  # deleted since the check above
                raise NotFound(f"No claim {claim_number!r}.")
            if len(claim.evidence) + len(cleaned) > MAX_FILES_PER_CLAIM:
                raise Invalid(
                    f"A claim can have at most {MAX_FILES_PER_CLAIM} images; "
                    f"this one has {len(claim.evidence)}.",
                    field="files",
                )
            rows = []
            for data, content_type, extension in cleaned:
                path = storage / f"{secrets.token_hex(16)}.{extension}"
                path.write_bytes(data)
                written.append(path)
                rows.append(
                    Evidence(
                        claim=claim,
                        stored_name=path.name,
                        content_type=content_type,
                        size_bytes=len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        created_at=utcnow(),
                    )
                )
            session.add_all(rows)
            session.flush()
            return [evidence_view(row) for row in rows]
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _claim(session: Session, number: str) -> Claim | None:
    return session.execute(select(Claim).where(Claim.claim_number == number)).scalar_one_or_none()
