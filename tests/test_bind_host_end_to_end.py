"""STS_BIND_HOST moves every service to another address, and they still reach each other there."""

from __future__ import annotations

import uuid

import requests

from tests.conftest import whole_stack
from tests.listening import expected_listeners, listening

HOST = "127.0.0.2"  # a loopback address of its own: 127.0.0.1 is not where the services are


def test_every_service_listens_where_sts_bind_host_says(tmp_path) -> None:
    with whole_stack(tmp_path, env={"STS_BIND_HOST": HOST}) as running:
        expected = expected_listeners(running)
        assert running.host == HOST and set(expected) == set(running.commands)
        for name, addresses in expected.items():
            assert listening(running.process(name).pid) == addresses, name
        assert running.url("rasa").startswith(f"http://{HOST}:")

        # Rasa reaches the action server, and the action server the support desk, at HOST.
        url = running.url("rasa", "/webhooks/rest/webhook")
        sender = f"bind-{uuid.uuid4().hex[:8]}"
        for text in ("where is my order STS-4829-1307?", "maya.chen@example.com"):
            answer = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
        assert "1Z4E82A70362815596" in answer.text
