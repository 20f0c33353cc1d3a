"""The evidence upload page over real HTTP: what a customer's browser sends and sees."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import requests
from PIL import Image

from supportdesk.models import utcnow
from supportdesk.upload_tokens import make_token
from tests.conftest import UPLOAD_SECRET, SupportDesk


def png(size=(24, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "PNG")
    return out.getvalue()


def link(desk: SupportDesk, claim: str = "CLM-000001", **kw) -> str:
    return f"{desk.url}/upload/{make_token(claim, UPLOAD_SECRET, **kw)}"


def evidence_count(desk: SupportDesk, claim: str = "CLM-000001") -> int:
    answer = requests.get(f"{desk.url}/api/v1/claims/{claim}", headers=desk.headers, timeout=5)
    return answer.json()["evidence_count"]


def send(url: str, *files: tuple[str, bytes, str]) -> requests.Response:
    return requests.post(url, files=[("files", f) for f in files], timeout=30)


def test_the_page_has_a_labelled_form(shared_supportdesk: SupportDesk) -> None:
    page = requests.get(link(shared_supportdesk), timeout=5)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<label for="files">' in page.text and 'id="files"' in page.text
    assert "CLM-000001" in page.text and "Makeup Brush Set" in page.text


def test_an_image_is_added_and_visible_through_the_api(supportdesk: SupportDesk) -> None:
    answer = send(link(supportdesk), ("slip.png", png(), "image/png"))
    assert answer.status_code == 201 and "1 photo added" in answer.text
    assert evidence_count(supportdesk) == 1
    claim = requests.get(
        f"{supportdesk.url}/api/v1/claims/CLM-000001", headers=supportdesk.headers, timeout=5
    ).json()
    assert claim["evidence"][0]["content_type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.jpg", b"just some text, renamed", "Only JPEG, PNG or WebP"),
        ("huge.png", png() + b"\0" * (10 * 1024 * 1024), "at most 10 MB"),
    ],
    ids=["text-renamed-jpg", "over-10-MB"],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    supportdesk: SupportDesk, name: str, data: bytes, message: str
) -> None:
    answer = send(link(supportdesk), (name, data, "image/jpeg"))
    assert answer.status_code == 422 and message in answer.text
    assert evidence_count(supportdesk) == 0
    stored = supportdesk.data_dir / "evidence"
    assert not stored.exists() or not any(stored.iterdir())


def test_a_sixth_file_is_refused(supportdesk: SupportDesk) -> None:
    assert send(link(supportdesk), *[("p.png", png(), "image/png")] * 5).status_code == 201
    answer = send(link(supportdesk), ("p.png", png(), "image/png"))
    assert answer.status_code == 422 and "at most 5" in answer.text
    assert evidence_count(supportdesk) == 5


@pytest.mark.parametrize(
    "url_of",
    [
        lambda d: link(d, now=utcnow() - timedelta(hours=73)),  # expired
        lambda d: link(d)[:-3] + "AAA",  # tampered signature
        lambda d: link(d).replace("/upload/eyJ", "/upload/eyK"),  # tampered payload
        lambda d: f"{d.url}/upload/{make_token('CLM-000001', 'another secret')}",
    ],
    ids=["expired", "tampered-signature", "tampered-payload", "other-secret"],
)
def test_bad_links_are_refused_and_nothing_is_stored(supportdesk: SupportDesk, url_of) -> None:
    url = url_of(supportdesk)
    assert requests.get(url, timeout=5).status_code == 403
    answer = send(url, ("p.png", png(), "image/png"))
    assert answer.status_code == 403 and "link" in answer.text
    assert evidence_count(supportdesk) == 0


def test_a_link_for_another_claim_adds_nothing_to_this_one(supportdesk: SupportDesk) -> None:
    answer = send(link(supportdesk, "CLM-999999"), ("p.png", png(), "image/png"))
    assert answer.status_code == 404
    assert evidence_count(supportdesk) == 0
