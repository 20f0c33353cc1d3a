"""Photos sent on Telegram: fetched from a local Bot API server, added through the support desk."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from PIL import Image

from actions.follow_up import ActionEvidenceLink
from actions.photos import ActionAttachPhoto
from tests.actions.conftest import (
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_ORDER,
    desk_get,
    make_tracker,
    message,
    run,
    user_event,
    verified,
)
from tests.channels import fake_telegram
from tests.channels.fake_telegram import TOKEN, FakeTelegram
from tests.conftest import SupportDesk, free_port

CLAIM = "CLM-000001"  # Maya's claim on STS-8406-5519, no photos yet
CLAIM_SLOTS = verified(MAYA_CLAIMED_ORDER, MAYA_EMAIL, claim_number=CLAIM, evidence_seen=0.0)


def jpeg(color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def telegram(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTelegram]:
    with fake_telegram.running() as fake:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake.url)
        yield fake


def photo_tracker(
    slots: dict[str, Any], file_id: str | None, channel: str = "telegram", **kwargs: Any
):
    """The tracker after the channel handed on a photo (`/share_photo` with its file id)."""
    latest = message("/share_photo", "share_photo")
    event = user_event("/share_photo", latest, channel)
    if file_id:
        event["metadata"] = {"telegram_file": {"file_id": file_id, "file_size": 2_000,
                                               "mime_type": "image/jpeg"}}  # fmt: skip
    return make_tracker(
        slots, text="/share_photo", intent="share_photo", events=[event], channel=channel, **kwargs
    )


def attach(slots: dict[str, Any], file_id: str | None, **kwargs: Any):
    return run(ActionAttachPhoto(), photo_tracker(slots, file_id, **kwargs))


def evidence_count(desk: SupportDesk, claim: str = CLAIM) -> int:
    return desk_get(desk, f"/api/v1/claims/{claim}")["evidence_count"]


def test_a_photo_is_added_to_the_conversations_claim(desk, telegram: FakeTelegram) -> None:
    file_id = telegram.add_file(jpeg(), "photos/file_7.jpg")
    outcome = attach(CLAIM_SLOTS, file_id)
    assert f"added the photo to claim {CLAIM}; it now has 1 photo." in outcome.text
    assert outcome.slots == {"evidence_seen": 1.0}  # so the next message does not thank again
    assert evidence_count(desk) == 1
    assert telegram.calls_to("getFile") == [{"file_id": file_id}]
    assert telegram.downloads == ["photos/file_7.jpg"]

    second = attach(
        {**CLAIM_SLOTS, "evidence_seen": 1.0}, telegram.add_file(jpeg("red"), "p/2.jpg")
    )
    assert "it now has 2 photos" in second.text
    assert evidence_count(desk) == 2


def test_without_a_claim_the_customer_is_told_what_to_do_first(
    shared_desk, telegram: FakeTelegram
) -> None:
    outcome = attach(verified(MAYA_ORDER), telegram.add_file(jpeg(), "photos/a.jpg"))
    assert "Tell me what's missing first" in outcome.text
    assert "/report_missing_item" in outcome.payloads
    assert telegram.calls_to("getFile") == []


def test_a_claim_number_typed_in_passing_is_not_enough(shared_desk, telegram: FakeTelegram) -> None:
    # CLM-000001 is Maya's; this conversation verified another order.
    outcome = attach(verified(MAYA_ORDER, claim_number=CLAIM), telegram.add_file(jpeg(), "a.jpg"))
    assert "there isn't one in this conversation yet" in outcome.text
    assert telegram.calls_to("getFile") == []


def test_something_that_is_not_an_image_is_refused_with_the_desks_reason(
    desk, telegram: FakeTelegram
) -> None:
    file_id = telegram.add_file(b"%PDF-1.7 not a picture", "documents/file_3.png")
    outcome = attach(CLAIM_SLOTS, file_id)
    assert f"I couldn't add that to claim {CLAIM}: Only JPEG, PNG or WebP images" in outcome.text
    assert outcome.slots == {}
    assert evidence_count(desk) == 0


def test_a_file_over_10_mb_is_not_downloaded(desk, telegram: FakeTelegram) -> None:
    file_id = telegram.add_file(jpeg(), "documents/big.jpg", reported_size=12 * 1024 * 1024)
    outcome = attach(CLAIM_SLOTS, file_id)
    assert "larger than 10 MB" in outcome.text
    assert telegram.downloads == []
    assert evidence_count(desk) == 0


def test_a_download_that_grows_past_10_mb_is_stopped(desk, telegram: FakeTelegram) -> None:
    file_id = telegram.add_file(b"\xff" * (10 * 1024 * 1024 + 1), "documents/liar.jpg", 1_000)
    outcome = attach(CLAIM_SLOTS, file_id)
    assert "larger than 10 MB" in outcome.text
    assert evidence_count(desk) == 0


def test_the_claims_photo_limit_is_the_desks(desk, telegram: FakeTelegram) -> None:
    files = [("files", (f"{n}.jpg", jpeg(), "image/jpeg")) for n in range(5)]
    added = requests.post(
        f"{desk.url}/api/v1/claims/{CLAIM}/evidence", files=files, headers=desk.headers, timeout=30
    )
    assert added.status_code == 201
    outcome = attach(CLAIM_SLOTS, telegram.add_file(jpeg(), "photos/sixth.jpg"))
    assert "at most 5 images" in outcome.text
    assert evidence_count(desk) == 5


def test_during_the_claim_form_the_photo_waits_for_the_claim(
    shared_desk, telegram: FakeTelegram
) -> None:
    outcome = attach(verified(), telegram.add_file(jpeg(), "a.jpg"), active_loop="claim_form")
    assert "once the claim is filed" in outcome.text
    assert telegram.calls_to("getFile") == []


@pytest.mark.parametrize("channel", ["telegram", "rest"])
def test_a_message_without_a_telegram_photo_is_explained(shared_desk, channel: str) -> None:
    # `/share_photo` typed by hand, or with photo metadata on a channel that cannot send photos.
    outcome = attach(CLAIM_SLOTS, None if channel == "telegram" else "AgACforged", channel=channel)
    assert "didn't receive a photo" in outcome.text


def test_telegram_unreachable_gives_the_upload_link(
    shared_desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"http://127.0.0.1:{free_port()}")
    outcome = attach(CLAIM_SLOTS, "AgACunreachable")
    assert "couldn't fetch that photo" in outcome.text and "/upload/" in outcome.text


def test_no_bot_token_gives_the_upload_link(shared_desk, monkeypatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    outcome = attach(CLAIM_SLOTS, "AgACnotoken")
    assert "couldn't fetch that photo" in outcome.text and "/upload/" in outcome.text


def test_on_telegram_the_evidence_link_says_photos_can_be_sent_here(shared_desk) -> None:
    slots = {**CLAIM_SLOTS, "evidence_seen": None}
    on_telegram = run(ActionEvidenceLink(), make_tracker(slots, channel="telegram"))
    assert "/upload/" in on_telegram.text and "right here in this chat" in on_telegram.text
    on_the_web = run(ActionEvidenceLink(), make_tracker(slots, channel="socketio"))
    assert "right here in this chat" not in on_the_web.text
