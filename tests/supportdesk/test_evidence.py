import io
from pathlib import Path

import pytest
from PIL import Image

from supportdesk.claims import get_claim
from supportdesk.db import Database
from supportdesk.errors import Invalid, NotFound
from supportdesk.evidence import MAX_BYTES, add_evidence

CLAIM = "CLM-000001"  # the demo's existing claim


def image_bytes(kind: str = "PNG", exif: bool = False, size=(40, 30)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (52.0, 31.0, 0.0)}  # GPS info
        image.save(out, kind, exif=data.tobytes())
    else:
        image.save(out, kind)
    return out.getvalue()


def test_images_are_stored_privately_without_metadata(db: Database, tmp_path: Path) -> None:
    store = tmp_path / "evidence"
    stored = add_evidence(db, CLAIM, [image_bytes("JPEG", exif=True), image_bytes("WEBP")], store)
    assert [s["content_type"] for s in stored] == ["image/jpeg", "image/webp"]
    files = sorted(store.iterdir())
    assert len(files) == 2
    for path in files:
        with Image.open(path) as saved:
            assert not saved.getexif()
            assert "exif" not in saved.info
    assert get_claim(db, CLAIM)["evidence_count"] == 2


def test_type_comes_from_content_not_name(db: Database, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="JPEG, PNG or WebP"):
        add_evidence(db, CLAIM, [b"this is text, named photo.jpg"], tmp_path)
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(Invalid):
        add_evidence(db, CLAIM, [gif.getvalue()], tmp_path)


def test_one_bad_file_stores_nothing(db: Database, tmp_path: Path) -> None:
    with pytest.raises(Invalid):
        add_evidence(db, CLAIM, [image_bytes(), b"\x00" * 100], tmp_path / "e")
    assert not (tmp_path / "e").exists() or not any((tmp_path / "e").iterdir())
    assert get_claim(db, CLAIM)["evidence_count"] == 0


def test_oversized_image_is_refused(db: Database, tmp_path: Path) -> None:
    with pytest.raises(Invalid, match="10 MB"):
        add_evidence(db, CLAIM, [image_bytes() + b"\x00" * MAX_BYTES], tmp_path)


def test_sixth_image_is_refused(db: Database, tmp_path: Path) -> None:
    store = tmp_path / "store"
    add_evidence(db, CLAIM, [image_bytes()] * 5, store)
    with pytest.raises(Invalid, match="at most 5"):
        add_evidence(db, CLAIM, [image_bytes()], store)
    assert len(list(store.iterdir())) == 5


def test_unknown_claim(db: Database, tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        add_evidence(db, "CLM-999999", [image_bytes()], tmp_path / "store")
    with pytest.raises(NotFound):  # the claim is checked first, whatever the files
        add_evidence(db, "CLM-999999", [b"not an image"], tmp_path / "store")
    assert not (tmp_path / "store").exists()


def test_decompression_bomb_is_refused(db: Database, tmp_path: Path) -> None:
    huge = io.BytesIO()
    Image.new("1", (9000, 9000)).save(huge, "PNG")  # 81 Mpx, yet a small file
    with pytest.raises(Invalid, match="pixels"):
        add_evidence(db, CLAIM, [huge.getvalue()], tmp_path / "store")
