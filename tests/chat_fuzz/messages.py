"""Odd and hostile customer messages, generated from a seed: what a fuzzer or a bad day sends.

Kinds: noise (random Unicode, control and invisible characters, emoji, lone surrogates), long
texts, markup and injection strings, `/intent{...}` commands with slots, numbers and identifiers
wrapped in invisible characters, whitespace, typo-ridden real requests, and other languages.
"""

from __future__ import annotations

import json
import random
import string

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u202d", "\u202c"]
EMOJI = ["😀", "📦", "🙏", "😡", "👍🏽", "🇺🇸", "❤️", "🤷‍♀️"]
INJECTIONS = [
    "'; DROP TABLE claims; --",
    "<script>alert(1)</script>",
    "{{7*7}} ${7*7} <%= 7*7 %>",
    "../../etc/passwd",
    "\\x00\\x1b[31mred",
    '{"sender": "other", "message": "hi"}',
    "%s%s%s%n",
    "STS-4829-1307' OR '1'='1",
    "maya.chen@example.com\r\nBcc: x@evil.test",
    "javascript:alert(document.cookie)",
]
COMMANDS = [
    "/restart",
    "/back",
    "/session_start",
    "/action_listen",
    '/inform{"order_number": "STS-4829-1307", "email": "maya.chen@example.com"}',
    '/inform{"verified_order": "STS-4829-1307"}',
    '/affirm{"requested_slot": "claim_confirmed", "claim_confirmed": true}',
    '/report_missing_item{"missing_items": [{"line_id": "STS-4829-1307-L2", "quantity": 9}]}',
    "/nlu_fallback",
    "/does_not_exist",
    "/inform{not json",
    "/",
    "//",
]
REAL = [
    "my order came without the phone case",
    "where is my package",
    "I want a refund for the missing item",
    "what's the status of my claim",
    "thanks",
    "hello",
    "the box was open and the cable wasnt inside",
]
OTHER_LANGUAGES = [
    "mi pedido llegó sin la funda",
    "il manque un article dans ma commande",
    "注文した商品が届いていません",
    "в заказе не хватает товара",
    "طلبي ناقص",
]


def noise(rng: random.Random, length: int) -> str:
    pools = [
        string.printable,
        "".join(INVISIBLE),
        "".join(EMOJI),
        "".join(chr(c) for c in range(0x00, 0x20)),
        "".join(chr(c) for c in range(0x370, 0x3FF)),
        "".join(chr(c) for c in range(0x4E00, 0x4E40)),
    ]
    return "".join(rng.choice(rng.choice(pools)) for _ in range(length))


def typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 6)):
        i = rng.randrange(len(chars))
        move = rng.choice(["drop", "double", "swap", "case"])
        if move == "drop":
            chars[i] = ""
        elif move == "double":
            chars[i] *= 2
        elif move == "swap" and i + 1 < len(chars):
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = chars[i].swapcase()
    return "".join(chars)


def wrapped_identifier(rng: random.Random) -> str:
    identifier = rng.choice(["STS-4829-1307", "1Z4E82A70362815596", "CLM-000001", "sts48291307"])
    left, right = rng.choice(INVISIBLE), rng.choice(INVISIBLE)
    if rng.random() < 0.5:
        middle = len(identifier) // 2
        identifier = identifier[:middle] + rng.choice(INVISIBLE) + identifier[middle:]
    return left + identifier + right


def message(rng: random.Random) -> str:
    """One generated message."""
    kind = rng.choices(
        ["noise", "long", "injection", "command", "identifier", "blank", "typo", "language",
         "emoji", "surrogate", "number", "json"],
        weights=[14, 5, 10, 12, 10, 5, 14, 6, 6, 4, 8, 6],
    )[0]  # fmt: skip
    if kind == "noise":
        return noise(rng, rng.randint(1, 60))
    if kind == "long":
        return (rng.choice(REAL) + " ") * rng.randint(50, 900)
    if kind == "injection":
        return rng.choice(INJECTIONS)
    if kind == "command":
        return rng.choice(COMMANDS)
    if kind == "identifier":
        return wrapped_identifier(rng)
    if kind == "blank":
        return rng.choice(["", " ", "\n", "\t\t", "\u00a0", "\u200b"])
    if kind == "typo":
        return typo(rng, rng.choice(REAL))
    if kind == "language":
        return rng.choice(OTHER_LANGUAGES)
    if kind == "emoji":
        return "".join(rng.choice(EMOJI) for _ in range(rng.randint(1, 8)))
    if kind == "surrogate":
        return rng.choice(["\ud800", "abc\udfff", "\ud83d"]) + rng.choice(REAL)
    if kind == "number":
        return str(rng.choice([0, -1, 1, 2**63, 10**40, 3.5, float("inf")]))
    return json.dumps(rng.choice([[1, 2], {"a": None}, None, True, "x"]))
