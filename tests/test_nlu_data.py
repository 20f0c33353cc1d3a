"""Checks on the NLU training data in data/nlu: coverage, consistency and the regexes.

The RegexEntityExtractor runs every regex from data/nlu/regexes.yml over the message
(case-insensitively, exactly as written), so the tests do the same with `re`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NLU_DIR = ROOT / "data" / "nlu"

INTENTS = {
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "report_missing_item",
    "check_tracking",
    "request_refund",
    "check_claim_status",
    "request_human",
    "inform",
    "bot_challenge",
    "out_of_scope",
    "stop",
    "send_evidence",
    "ask_next_steps",
    "correct",
    "chitchat",
    "ask_store_hours",
}
ENTITIES = {"order_number", "email", "tracking_number", "claim_number"}
MIN_EXAMPLES = 25

# `[value](entity)`: the only annotation form the data uses.
ANNOTATION = re.compile(r"\[(?P<value>[^\]]+)\]\((?P<entity>[a-z_]+)\)")


def _load_nlu() -> list[dict]:
    items: list[dict] = []
    for path in sorted(NLU_DIR.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        items.extend(content.get("nlu") or [])
    return items


def _lines(block: str) -> list[str]:
    return [
        line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")
    ]


def _parse(example: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text and its (start, end, entity) annotations, as Rasa reads them."""
    text, spans, last = "", [], 0
    for match in ANNOTATION.finditer(example):
        text += example[last : match.start()]
        start = len(text)
        text += match.group("value")
        spans.append((start, len(text), match.group("entity")))
        last = match.end()
    return text + example[last:], spans


NLU = _load_nlu()
EXAMPLES: dict[str, list[str]] = defaultdict(list)
TOPICS: dict[str, list[str]] = defaultdict(list)  # out_of_scope/<topic>: a retrieval intent
for _item in NLU:
    if "intent" in _item:
        base, _, topic = _item["intent"].partition("/")
        EXAMPLES[base].extend(_lines(_item["examples"]))
        if topic:
            TOPICS[topic].extend(_lines(_item["examples"]))
REGEXES: dict[str, list[re.Pattern]] = defaultdict(list)
for _item in NLU:
    if "regex" in _item:
        REGEXES[_item["regex"]].extend(
            re.compile(p, re.IGNORECASE) for p in _lines(_item["examples"])
        )


def extract(text: str) -> set[tuple[int, int, str]]:
    """What the RegexEntityExtractor finds in `text`."""
    return {
        (m.start(), m.end(), name)
        for name, patterns in REGEXES.items()
        for pattern in patterns
        for m in pattern.finditer(text)
    }


def extracted_values(text: str, entity: str) -> list[str]:
    return [text[start:end] for start, end, name in sorted(extract(text)) if name == entity]


def test_intents_are_the_contract() -> None:
    assert set(EXAMPLES) == INTENTS


@pytest.mark.parametrize("intent", sorted(INTENTS))
def test_enough_examples(intent: str) -> None:
    assert len(EXAMPLES[intent]) >= MIN_EXAMPLES, f"{intent}: {len(EXAMPLES[intent])} examples"


def test_no_example_in_two_intents() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for intent, examples in EXAMPLES.items():
        for example in examples:
            owners[" ".join(_parse(example)[0].lower().split())].add(intent)
    shared = {text: sorted(intents) for text, intents in owners.items() if len(intents) > 1}
    assert not shared, shared


def test_no_duplicate_within_an_intent() -> None:
    for intent, examples in EXAMPLES.items():
        counts = Counter(" ".join(_parse(e)[0].lower().split()) for e in examples)
        assert [t for t, n in counts.items() if n > 1] == [], intent


def test_one_regex_per_entity() -> None:
    assert set(REGEXES) == ENTITIES


POSITIVE = {
    "order_number": [
        "STS-4829-1307",
        "sts48291307",
        "sts 4829 1307",
        "#STS 4829 1307",
        "4829-1307",
        "STS 4829-1307",
        "#sts-5102-7741",
    ],
    "claim_number": ["CLM-000123", "clm123", "clm 123", "CLM 000123", "clm-4410"],
    "email": ["jane.doe@example.com", "priya.r+shop@hotmail.com", "sam_okafor@yahoo.co.uk"],
    "tracking_number": [
        "1Z4E82A70362815596",
        "1Z4E 82A7 0362 8155 96",
        "1z4e82a70362815596",
        "781246930512",
        "7812 4693 0512",
        "449044304137821",
        "94001112062138594462",
        "9400111206213859446215",
        "9400 1112 0621 3859 4462 15",
        "9205 5901 7554 7700 0012",
    ],
}

NEGATIVE = {
    "order_number": [
        "781246930512",
        "449044304137821",
        "94001112062138594462",
        "9400111206213859446215",
        "1Z4E82A70362815596",
        "CLM-000123",
        "clm 123",
        "STS-482-1307",
        "555-1234-5678",
        "12345-6789",
        "the 2 phone cases",
    ],
    "claim_number": ["STS-4829-1307", "CLM-1234567", "claim", "123", "clmx"],
    "email": ["jane.doe@", "@example.com", "jane at example dot com", "STS-4829-1307"],
    "tracking_number": [
        "STS-4829-1307",
        "sts48291307",
        "4829-1307",
        "CLM-000123",
        "1Z4E82A7",
        "12345678901",
        "1234567890123",
        "555 123 4567",
        "2 phone cases",
    ],
}


@pytest.mark.parametrize(("entity", "text"), [(e, t) for e, ts in POSITIVE.items() for t in ts])
def test_regex_matches_whole_identifier(entity: str, text: str) -> None:
    assert extracted_values(text, entity) == [text]
    # ...and in a sentence, with punctuation around it.
    assert extracted_values(f"hi, it's {text}.", entity) == [text]


@pytest.mark.parametrize(("entity", "text"), [(e, t) for e, ts in NEGATIVE.items() for t in ts])
def test_regex_rejects(entity: str, text: str) -> None:
    assert extracted_values(text, entity) == []


@pytest.mark.parametrize(("entity", "text"), [(e, t) for e, ts in POSITIVE.items() for t in ts])
def test_identifier_is_only_its_own_entity(entity: str, text: str) -> None:
    assert {name for _, _, name in extract(text)} == {entity}


def test_annotations_are_what_the_regexes_extract() -> None:
    """Every annotated value is extracted exactly, and nothing unannotated is extracted."""
    problems = []
    for intent, examples in EXAMPLES.items():
        for example in examples:
            text, spans = _parse(example)
            for _, _, entity in spans:
                if entity not in ENTITIES:
                    problems.append((intent, example, f"unknown entity {entity}"))
            if set(spans) != extract(text):
                problems.append((intent, example, sorted(extract(text))))
    assert not problems, problems


def test_every_entity_is_annotated_somewhere() -> None:
    # The RegexEntityExtractor only uses regexes named after an annotated entity.
    annotated = {e for ex in EXAMPLES.values() for x in ex for _, _, e in _parse(x)[1]}
    assert annotated == ENTITIES


def test_every_out_of_scope_topic_has_examples_and_an_answer() -> None:
    """The response selector's topics (data/nlu/out_of_scope.yml) each say where to go."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert len(TOPICS) >= 8
    for topic, examples in TOPICS.items():
        assert len(examples) >= 10, topic
        assert f"utter_out_of_scope/{topic}" in domain["responses"], topic


BLIND_SETS = ROOT / "tests" / "blind" / "sets"
COPY_WORDS, COPY_RATIO = 7, 90  # long enough that a match is no common phrase


def _blind_messages() -> list[str]:
    """Every message a blind set's shopper writes (tests/blind/README.md)."""
    import json

    messages = [m["text"] for p in BLIND_SETS.glob("first*/first_messages.json")
                for m in json.loads(p.read_text())]  # fmt: skip
    for path in BLIND_SETS.glob("conv*/conversations.json"):
        for plan in json.loads(path.read_text())["conversations"]:
            messages += list(plan.get("opening") or []) + list(plan.get("after") or [])
            messages += [aside["say"] for aside in plan.get("asides") or []]
            for answer in (plan.get("answers") or {}).values():
                messages += answer if isinstance(answer, list) else [answer]
    return messages


def test_no_training_example_copies_a_blind_message() -> None:
    """The blind sets stay blind: no longer training example is a near-copy of one of theirs."""
    from rapidfuzz import fuzz, process

    blind = [m.lower() for m in _blind_messages() if len(m.split()) >= COPY_WORDS]
    assert len(blind) > 100
    copies = []
    for intent, examples in EXAMPLES.items():
        for example in examples:
            plain = _parse(example)[0].lower()
            if len(plain.split()) < COPY_WORDS:
                continue
            match = process.extractOne(plain, blind, scorer=fuzz.ratio, score_cutoff=COPY_RATIO)
            if match:
                copies.append((intent, plain, match[0]))
    assert copies == []
