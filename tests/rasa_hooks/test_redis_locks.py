"""The race-safe Redis lock store, against a real Redis server and Rasa's own lock protocol."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import redis
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from rasa_hooks.redis_locks import AtomicRedisLockStore
from tests.redis_server import throwaway_redis


@pytest.fixture(scope="module")
def server() -> Iterator[redis.Redis]:
    with throwaway_redis() as client:
        yield client


def atomic_store(server: redis.Redis) -> AtomicRedisLockStore:
    options = server.connection_pool.connection_kwargs
    config = EndpointConfig(
        url="127.0.0.1", port=options["port"], password=options["password"], db=1
    )
    return AtomicRedisLockStore(endpoint_config=config)


def stock_store(server: redis.Redis) -> RedisLockStore:
    options = server.connection_pool.connection_kwargs
    return RedisLockStore(port=options["port"], password=options["password"], db=1)


def overlaps(stores: list[LockStore], conversation: str, rounds: int) -> tuple[int, int]:
    """Each store (one "server" each, on its own thread) takes the lock `rounds` times.

    Returns (times two held it at once, times a store could not get it at all).
    """
    holders: list[int] = []
    counts = {"overlaps": 0, "failures": 0}
    guard = threading.Lock()

    async def hold(store: LockStore) -> None:
        async with store.lock(conversation, lock_lifetime=2, wait_time_in_seconds=0.001):
            with guard:
                holders.append(1)
                counts["overlaps"] += len(holders) > 1
            await asyncio.sleep(0.001)
            with guard:
                holders.pop()

    async def work(store: LockStore) -> None:
        for _ in range(rounds):
            if counts["overlaps"] or counts["failures"]:
                return  # found; waiting out more lost tickets only takes time
            try:
                await asyncio.wait_for(hold(store), timeout=3)
            except Exception:  # Rasa's LockError, or waiting for a ticket that was lost
                counts["failures"] += 1

    threads = [threading.Thread(target=asyncio.run, args=(work(s),)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["overlaps"], counts["failures"]


def test_four_servers_never_hold_one_conversation_at_once(server: redis.Redis) -> None:
    stores = [atomic_store(server) for _ in range(4)]
    assert overlaps(stores, "conversation-a", rounds=150) == (0, 0)


def test_rasas_own_redis_lock_store_does_let_them_overlap(server: redis.Redis) -> None:
    """The reason for the hook (RasaHQ/rasa#9213): the same load breaks the stock store."""
    stores = [stock_store(server) for _ in range(4)]
    overlapped, failed = overlaps(stores, "conversation-b", rounds=150)
    assert overlapped + failed > 0


def test_tickets_are_served_in_the_order_they_were_issued(server: redis.Redis) -> None:
    first, second = atomic_store(server), atomic_store(server)
    one = first.issue_ticket("conversation-c")
    two = second.issue_ticket("conversation-c")
    assert (one, two) == (0, 1)
    assert not first.get_lock("conversation-c").is_locked(one)
    assert second.get_lock("conversation-c").is_locked(two)
    first.cleanup("conversation-c", one)
    assert not second.get_lock("conversation-c").is_locked(two)
    second.cleanup("conversation-c", two)
    assert first.get_lock("conversation-c") is None  # the last ticket takes the lock with it


def test_a_lock_expires_with_its_last_ticket(server: redis.Redis) -> None:
    """A server killed while holding a ticket leaves no key behind in Redis."""
    store = atomic_store(server)
    store.issue_ticket("conversation-d", lock_lifetime=30)
    ttl = store.red.pttl(store.key_prefix + "conversation-d")
    assert 0 < ttl <= 30_000


def test_an_unreachable_redis_is_a_lock_error() -> None:
    from rasa.core.lock_store import LockError

    config = EndpointConfig(url="127.0.0.1", port=1, socket_timeout=1)
    with pytest.raises(LockError):
        AtomicRedisLockStore(endpoint_config=config).issue_ticket("conversation-e")
