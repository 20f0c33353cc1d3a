"""Rasa's Redis lock store, race-safe across Rasa servers (endpoints.prod.yml names it).

Rasa serves one message at a time per conversation with a ticket lock: each message takes the
next ticket, waits until its number is served, and gives it back. The open-source
`RedisLockStore` reads a lock, changes it in the process and writes it back, so two servers
can take the same ticket, or one can delete the lock just after another took a ticket from it
(RasaHQ/rasa#9213; the fix went to Rasa Pro only). Both let two messages of one conversation
run at once, and the later tracker save drops the earlier one's events.

Here each change of a lock is one optimistic Redis transaction (WATCH, then MULTI/EXEC, retried
when another server changed the lock meanwhile: redis-py's `Redis.transaction`). The lock
format and the waiting are Rasa's. The key expires with its last ticket, so a server killed
while holding one leaves nothing behind; and a waiting message looks again every 50 ms
instead of Rasa's 1 s.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

T = TypeVar("T")
WAIT_SECONDS = 0.05


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose tickets are issued and returned atomically."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url or "localhost", **endpoint_config.kwargs)

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = WAIT_SECONDS,
    ) -> AbstractAsyncContextManager[TicketLock]:
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            return self._change(conversation_id, lambda lock: lock.issue_ticket(lock_lifetime))
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        self._change(conversation_id, lambda lock: lock.remove_expired_tickets())

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._change(conversation_id, lambda lock: lock.remove_ticket_for(ticket_number))

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock goes with its last ticket, in the same transaction."""
        self.finish_serving(conversation_id, ticket_number)

    def _change(self, conversation_id: str, change: Callable[[TicketLock], T]) -> T:
        """Apply `change` to the stored lock in one transaction; store it, or delete it empty."""
        key = self.key_prefix + conversation_id
        outcome: list[T] = []

        def transaction(pipe: redis.client.Pipeline) -> None:
            stored = pipe.get(key)  # WATCHed: EXEC fails if another server changes the key
            lock = (
                TicketLock.from_dict(json.loads(stored))
                if stored
                else self.create_lock(conversation_id)
            )
            outcome[:] = [change(lock)]
            pipe.multi()
            if lock.is_someone_waiting():
                pipe.set(key, lock.dumps(), px=_milliseconds_left(lock))
            else:
                pipe.delete(key)

        self.red.transaction(transaction, key)
        return outcome[0]


def _milliseconds_left(lock: TicketLock) -> int:
    """Until the last ticket of `lock` expires (at least 1 ms, as Redis needs)."""
    last = max(ticket.expires for ticket in lock.tickets)
    return max(1, int((last - time.time()) * 1000))
