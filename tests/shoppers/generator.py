"""Conversation plans for simulated shoppers, generated from templates and a seed.

Each plan holds the shopper's facts (an order of the catalogue, its e-mail, what is missing and
how many, a description), how the shopper writes, the repair behaviours to inject and where, the
category, and the expected outcome. Orders, line names, quantities, packages, pickups and
existing claims come from the catalogue file the suite plays (by default the demo's,
supportdesk/catalogues/demo.json), read at run time, so a scenario added to a catalogue is
covered by itself and a scenario that is absent is skipped.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from supportdesk.catalogue import read_catalogue
from supportdesk.catalogue_records import Catalogue, OrderRecord
from supportdesk.demo import DEMO_CATALOGUE
from supportdesk.models import utcnow
from supportdesk.money import share_cents, to_cents
from supportdesk.policy import policy_from_env
from tests.shoppers import phrases as P

CATEGORIES = [
    "story_first",
    "all_facts",
    "typos_noise",
    "buttons",
    "quantity_words",
    "free_text_description",
    "short_description",
    "correction",
    "cancellation",
    "digression",
    "chitchat",
    "completion",
    "cannot_handle",
    "handoff",
    "ship_to_store",
    "already_claimed",
    "privacy",
    "tracking_only",
]
PER_CATEGORY = 20  # 18 categories x 20 = 360 conversations for --all


# ---------------------------------------------------------------------------- catalogue facts
@dataclass
class LineFacts:
    line_id: str
    name: str
    ordered: int
    unit_cents: int
    tax_cents: int
    claimable: int  # received by the store and not claimed yet (on a fresh support desk)
    in_transit: int
    claimed: int
    forms: list[str]  # what a shopper calls it: "phone case", "case"


@dataclass
class PackageFacts:
    carrier: str
    tracking_number: str
    lines: dict[str, int]
    received: bool


@dataclass
class OrderFacts:
    order_number: str
    scenario: str
    email: str
    customer: str  # customer name
    tracking_numbers: list[str]
    lines: list[LineFacts]
    packages: list[PackageFacts]
    picked_up: bool
    store_name: str
    store_address: str
    store_hours: str
    customer_claims: int  # claims the customer already has on a fresh desk (refund policy)

    def line(self, line_id: str) -> LineFacts:
        return next(line for line in self.lines if line.line_id == line_id)

    @property
    def all_received(self) -> bool:
        return all(p.received for p in self.packages)

    @property
    def none_received(self) -> bool:
        return not any(p.received for p in self.packages)

    @property
    def claim_ready(self) -> bool:
        """Picked up, with units that can still be claimed: where claims are expected."""
        return self.picked_up and any(line.claimable for line in self.lines)

    def private_terms(self) -> list[str]:
        """What nobody may read before proving they are this order's customer."""
        street = self.store_address.split(",")[0]
        return [
            *self.tracking_numbers,
            *(line.name for line in self.lines),
            self.store_name,
            self.store_address,
            street,
        ]

    def package_of(self, line_id: str) -> PackageFacts:
        return next(p for p in self.packages if line_id in p.lines and p.received)


def load_orders(catalogue: Path = DEMO_CATALOGUE) -> list[OrderFacts]:
    """The catalogue's orders as shoppers know them, on a support desk that loaded only it."""
    data = read_catalogue(catalogue, utcnow())
    claims_by_customer = Counter(order.customer for order in data.orders for _ in order.claims)
    return [_order_facts(order, data, claims_by_customer[order.customer]) for order in data.orders]


def _order_facts(order: OrderRecord, data: Catalogue, customer_claims: int) -> OrderFacts:
    store = data.store(order.store)
    names = [line.name for line in order.lines]
    packages = [
        PackageFacts(p.carrier, p.tracking_number, dict(p.units), p.received)
        for p in order.packages
    ]
    claimed: Counter[str] = Counter()
    for claim in order.claims:
        claimed.update(claim.units)
    lines = []
    for line in order.lines:
        in_transit = sum(p.lines.get(line.line_id, 0) for p in packages if not p.received)
        lines.append(
            LineFacts(
                line_id=line.line_id,
                name=line.name,
                ordered=line.quantity,
                unit_cents=line.unit_price_cents,
                tax_cents=line.tax_cents,
                claimable=max(0, line.quantity - in_transit - claimed[line.line_id]),
                in_transit=in_transit,
                claimed=claimed[line.line_id],
                forms=P.item_forms(line.name, names),
            )
        )
    return OrderFacts(
        order_number=order.order_number,
        scenario=order.scenario or order.order_number,
        email=order.customer,
        customer=data.customer(order.customer).name,
        tracking_numbers=[p.tracking_number for p in order.packages],
        lines=lines,
        packages=packages,
        picked_up=order.picked_up_at is not None,
        store_name=store.name,
        store_address=store.address,
        store_hours=store.opening_hours,
        customer_claims=customer_claims,
    )


def refund_cents(order: OrderFacts, items: dict[str, int]) -> int:
    """The support desk's refund for these units on a fresh desk: price plus the tax share."""
    total = 0
    for line_id, quantity in items.items():
        line = order.line(line_id)
        already = line.claimed
        tax = share_cents(line.tax_cents, already + quantity, line.ordered) - share_cents(
            line.tax_cents, already, line.ordered
        )
        total += line.unit_cents * quantity + tax
    return total


def goes_to_review(order: OrderFacts, items: dict[str, int]) -> bool:
    """Above the automatic approval limit. (Runs are scheduled so that the customer never has
    enough recent claims to trigger the policy's other reason for a review.)"""
    limit = to_cents(policy_from_env().auto_approve_limit)
    return refund_cents(order, items) > limit


# ---------------------------------------------------------------------------- plans
@dataclass
class Behaviour:
    """A repair move the shopper makes when the bot asks for `at` (a requested slot)."""

    kind: str  # digression | chitchat | cannot_handle | handoff | handoff_again | cancellation
    at: str
    text: str
    detail: str = ""  # digression: where_package | bot | hours


@dataclass
class Plan:
    id: str
    category: str
    seed: int
    order_number: str  # the order the shopper verifies (their own)
    email: str  # the right e-mail for it
    goal: str  # claim | tracking | explain | cancel | give_up
    # {"say": text} or {"tap": "/intent"} (a button's payload), with "kind" when it is a repair
    # move that is checked like a behaviour (a request for a person at the start).
    opening: list[dict[str, str]]
    items: list[dict[str, Any]] = field(default_factory=list)  # what the shopper reports
    items_text: str = ""  # the answer when asked which items are missing
    named_in_opening: list[str] = field(default_factory=list)  # order_number, email, items
    quantity_explicit: dict[str, bool] = field(default_factory=dict)
    quantity_answers: dict[str, str] = field(default_factory=dict)  # line_id -> answer
    order_answers: list[str] = field(default_factory=list)
    email_answers: list[str] = field(default_factory=list)
    tracking_answer: str = "yes"  # yes | typed | spaced | button | deny_then_typed
    descriptions: list[str] = field(default_factory=list)
    confirm: str = "yes"
    correction: dict[str, Any] | None = None  # at the summary: text, final items, removed names
    behaviours: list[Behaviour] = field(default_factory=list)
    after: list[str] = field(default_factory=list)  # said once the goal is reached
    buttons: bool = False
    give_up: str = ""  # said when the shopper runs out of e-mail addresses to try
    foreign_orders: list[str] = field(default_factory=list)  # other customers' orders named
    expected: dict[str, Any] = field(default_factory=dict)

    @property
    def final_items(self) -> list[dict[str, Any]]:
        return self.correction["final_items"] if self.correction else self.items

    @property
    def orders_touched(self) -> list[str]:
        return [self.order_number, *self.foreign_orders]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Builder:
    """Builds the plans of one category; every random choice comes from one seeded Random."""

    def __init__(self, orders: list[OrderFacts], rng: random.Random) -> None:
        self.orders = orders
        self.rng = rng
        self.by_number = {o.order_number: o for o in orders}

    # -- small pieces
    def pick(self, options: list[Any]) -> Any:
        return self.rng.choice(options)

    def some_units(self, line: LineFacts) -> int:
        return self.rng.randint(1, line.claimable)

    def choose_items(self, order: OrderFacts, most: int = 2) -> list[dict[str, Any]]:
        lines = [line for line in order.lines if line.claimable]
        count = 1 if len(lines) == 1 or self.rng.random() < 0.65 else min(most, len(lines))
        chosen = self.rng.sample(lines, count)
        return [
            {"line_id": line.line_id, "name": line.name, "quantity": self.some_units(line)}
            for line in sorted(chosen, key=lambda line: line.line_id)
        ]

    def phrase_item(self, line: LineFacts, quantity: int, vague: bool = False) -> tuple[str, bool]:
        """The words for `quantity` units of a line, and whether they say how many."""
        form = self.pick(line.forms)
        plural = P.pluralize(form)
        if line.ordered == 1:
            return self.pick([f"the {form}", f"my {form}", f"the {line.name.lower()}"]), True
        if quantity == line.ordered:
            options = [f"{quantity} {plural}"]
            if quantity > 2:
                options.append(f"all {quantity} {plural}")
            if quantity == 2:
                options += [f"both {plural}", f"the two {plural}"]
            if vague:
                return f"the {plural}", False
            return self.pick(options), True
        if quantity == 1:
            if vague:
                return f"the {form}", False
            return self.pick([f"one of the {plural}", f"just one {form}", f"1 {form}"]), True
        return f"{quantity} of the {plural}", True

    def describe(self, order: OrderFacts, items: list[dict[str, Any]], vague: bool = False):
        parts, explicit = [], {}
        for item in items:
            text, said = self.phrase_item(order.line(item["line_id"]), item["quantity"], vague)
            parts.append(text)
            explicit[item["line_id"]] = said
        plural = len(items) > 1 or any(
            order.line(i["line_id"]).ordered > 1 and i["quantity"] > 1 for i in items
        )
        return P.join_phrases(parts), explicit, plural

    def quantity_word(self, line: LineFacts, quantity: int) -> str:
        if quantity == line.claimable and quantity == 2:
            return self.pick(["both", "all of them", "2", "two"])
        if quantity == line.claimable:
            return self.pick(["all of them", str(quantity)])
        if quantity == 1:
            return self.pick(["just one", "1", "one", "only one"])
        return str(quantity)

    def story(self, order: OrderFacts, items, vague: bool = False, greet: bool = True):
        text, explicit, plural = self.describe(order, items, vague)
        template = self.pick(P.STORIES)
        story = template.format(
            greet=self.pick(P.GREETINGS) if greet else "",
            when=self.pick(P.WHEN),
            items=text,
            be_neg="weren't" if plural else "wasn't",
            be="are" if plural else "is",
        )
        return " ".join(story.split()), explicit, text

    def description(self, order: OrderFacts, items) -> str:
        line = order.line(items[0]["line_id"]) if items else order.lines[0]
        return self.pick(P.DESCRIPTIONS).format(item=f"the {self.pick(line.forms)}")

    def email_text(self, email: str) -> str:
        return self.pick(P.EMAIL_STYLES).format(email=email)

    def order_text(self, order: OrderFacts, variants: list[str] | None = None) -> str:
        return P.order_variant(order.order_number, self.pick(variants or ["canonical"]))

    def expectation(self, order: OrderFacts, items, handoffs: int = 0, **more) -> dict[str, Any]:
        claim = {i["line_id"]: i["quantity"] for i in items} if items is not None else None
        review = bool(claim) and goes_to_review(order, claim)
        return {
            "claim": claim,
            "handoffs": max(handoffs, 1 if review else 0),
            "review": review,
            **more,
        }

    # -- the common shape of a claim conversation
    def claim_plan(self, pid: str, category: str, seed: int, order: OrderFacts) -> Plan:
        items = self.choose_items(order)
        text, explicit, _ = self.describe(order, items, vague=self.rng.random() < 0.3)
        plan = Plan(
            id=pid,
            category=category,
            seed=seed,
            order_number=order.order_number,
            email=order.email,
            goal="claim",
            opening=[{"say": self.pick(P.TASK_OPENERS)}],
            items=items,
            items_text=text,
            quantity_explicit=explicit,
            order_answers=[self.order_text(order, P.ORDER_VARIANTS[:2])],
            email_answers=[self.email_text(order.email)],
            tracking_answer=self.pick(["yes", "yes", "yes", "typed"]),
            descriptions=[self.description(order, items)],
            confirm=self.pick(P.CONFIRM),
            after=[self.pick(P.THANKS)] if self.rng.random() < 0.5 else [],
        )
        for item in items:
            line = order.line(item["line_id"])
            plan.quantity_answers[item["line_id"]] = self.quantity_word(line, item["quantity"])
        plan.expected = self.expectation(order, items)
        return plan

    def tracking_plan(self, pid: str, category: str, seed: int, order: OrderFacts) -> Plan:
        plan = Plan(
            id=pid,
            category=category,
            seed=seed,
            order_number=order.order_number,
            email=order.email,
            goal="tracking",
            opening=[{"say": self.pick(P.TRACKING_OPENERS)}],
            order_answers=[self.order_text(order, P.ORDER_VARIANTS)],
            email_answers=[self.email_text(order.email)],
            after=[self.pick(P.THANKS)],
        )
        plan.expected = self.expectation(order, None, tracking_shown=True)
        return plan


def _claim_orders(orders: list[OrderFacts]) -> list[OrderFacts]:
    return [o for o in orders if o.claim_ready]


# ---------------------------------------------------------------------------- categories
def story_first(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "story_first", seed, order)
    story, explicit, plan.items_text = b.story(order, plan.items, vague=b.rng.random() < 0.3)
    if b.rng.random() < 0.4:
        plan.opening = [{"say": b.pick(["hi", "hello", "hey"])}, {"say": story}]
    else:
        plan.opening = [{"say": story}]
    plan.named_in_opening = ["items"]
    plan.quantity_explicit = explicit
    return plan


def all_facts(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "all_facts", seed, order)
    text, explicit, plural = b.describe(order, plan.items)
    message = b.pick(P.ALL_FACTS).format(
        order=b.order_text(order, P.ORDER_VARIANTS),
        email=order.email,
        items=text,
        be_neg="weren't" if plural else "wasn't",
        be="are" if plural else "is",
        when=b.pick(P.WHEN),
    )
    plan.opening = [{"say": " ".join(message.split())}]
    plan.named_in_opening = ["order_number", "email", "items"]
    plan.quantity_explicit = explicit
    plan.items_text = text  # the same words when asked again
    return plan


def typos_noise(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "typos_noise", seed, order)
    if b.rng.random() < 0.5:
        story, explicit, plan.items_text = b.story(order, plan.items, greet=False)
        plan.opening = [{"say": P.noisy(P.typo(story, b.rng), b.rng)}]
        plan.named_in_opening = ["items"]
        plan.quantity_explicit = explicit
    else:
        plan.opening = [{"say": P.noisy(P.typo(b.pick(P.TASK_OPENERS), b.rng), b.rng)}]
        plan.items_text = P.typo(plan.items_text, b.rng)
    plan.order_answers = [b.order_text(order, P.ORDER_VARIANTS[1:])]
    email = order.email if b.rng.random() < 0.5 else order.email.upper()
    plan.email_answers = [b.pick(["  {e} ", "{e}.", "its {e}", "{e}"]).format(e=email)]
    plan.tracking_answer = b.pick(["spaced", "spaced", "typed", "yes"])
    plan.descriptions = [P.typo(plan.descriptions[0], b.rng, 2)]
    plan.confirm = b.pick(["yess", "YES", "yes pls", "yep", "ya go ahead"])
    return plan


def buttons(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "buttons", seed, order)
    line = b.pick([line for line in order.lines if line.claimable])
    plan.items = [{"line_id": line.line_id, "name": line.name, "quantity": line.claimable}]
    if line.claimable > 1 and b.rng.random() < 0.5:
        plan.items[0]["quantity"] = 1
    plan.items_text = line.name
    plan.quantity_explicit = {line.line_id: False}
    plan.quantity_answers = {line.line_id: str(plan.items[0]["quantity"])}
    plan.opening = [{"say": b.pick(["hi", "hello", "hey there"])}, {"tap": "/report_missing_item"}]
    plan.buttons = True
    plan.tracking_answer = "button"
    plan.descriptions = [b.description(order, plan.items)]
    plan.expected = b.expectation(order, plan.items)
    return plan


def quantity_words(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "quantity_words", seed, order)
    multi = [line for line in order.lines if line.claimable > 1]
    line = b.pick(multi)
    quantity = b.pick([1, line.claimable])
    plan.items = [{"line_id": line.line_id, "name": line.name, "quantity": quantity}]
    form = b.pick(line.forms)
    plural = P.pluralize(form)
    if b.rng.random() < 0.5:
        # Vague at first ("the phone cases"), the quantity comes as a word when asked.
        plan.items_text = f"the {plural}"
        plan.quantity_explicit = {line.line_id: False}
        plan.quantity_answers = {line.line_id: b.quantity_word(line, quantity)}
    else:
        if quantity == 1:
            plan.items_text = b.pick([f"one of the {plural}", f"just one {form}", f"a {form}"])
        else:
            plan.items_text = b.pick([f"both {plural}", f"all of the {plural}", f"2 {plural}"])
        plan.quantity_explicit = {line.line_id: True}
        plan.quantity_answers = {line.line_id: str(quantity)}
    plan.descriptions = [b.description(order, plan.items)]
    plan.expected = b.expectation(order, plan.items)
    return plan


def free_text_description(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "free_text_description", seed, order)
    missing = {i["line_id"] for i in plan.items}
    others = [line for line in order.lines if line.line_id not in missing]
    options = (
        P.TRICKY_DESCRIPTIONS if others else [t for t in P.TRICKY_DESCRIPTIONS if "{" not in t]
    )
    text = b.pick(options)
    if "{other}" in text:
        text = text.format(other=P.pluralize(b.pick(b.pick(others).forms)))
    plan.descriptions = [text]
    return plan


def short_description(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "short_description", seed, order)
    plan.descriptions = [b.pick(P.SHORT_DESCRIPTIONS), b.pick(P.SHORT_SECOND)]
    return plan


def correction(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "correction", seed, order)
    lines = [line for line in order.lines if line.claimable]
    kinds = ["email", "package"]
    if len(lines) > 1:
        kinds += ["add_line", "replace_line", "add_line"]
    if any(line.claimable > 1 for line in lines):
        kinds += ["add_unit", "fewer"]
    kind = b.pick(kinds)
    if kind in ("email", "package"):
        if kind == "email":
            local, domain = order.email.split("@")
            wrong = b.pick([f"{local}@{domain.rsplit('.', 1)[0]}.org", f"x{local}@{domain}"])
            plan.email_answers = [wrong, b.pick(P.EMAIL_CORRECTION).format(email=order.email)]
        else:
            if len(order.packages) != 1:
                plan.tracking_answer = "spaced"
            else:
                plan.tracking_answer = "deny_then_typed"
        plan.correction = None
        plan.behaviours = []
        plan.expected = b.expectation(order, plan.items, correction=kind)
        return plan
    if kind == "add_line":
        first, second = b.rng.sample(lines, 2)
        initial = [(first, 1 if first.claimable == 1 else b.some_units(first))]
        added, _ = b.phrase_item(second, 1 if second.claimable == 1 else second.claimable)
        final = [*initial, (second, 1 if second.claimable == 1 else second.claimable)]
        text = b.pick(P.CORRECT_ADD).format(add=added)
        removed: list[str] = []
    elif kind == "replace_line":
        first, second = b.rng.sample(lines, 2)
        initial = [(first, first.claimable)]
        final = [(second, second.claimable)]
        text = b.pick(P.CORRECT_REPLACE).format(
            old=b.pick(first.forms), new=P.pluralize(second.forms[0])
            if second.claimable > 1 else second.forms[0]
        )  # fmt: skip
        removed = [first.name]
    elif kind == "add_unit":
        line = b.pick([line for line in lines if line.claimable > 1])
        initial = [(line, 1)]
        final = [(line, 2)]
        text = b.pick(["no wait, one more of the {p} too", "actually both {p} were missing"])
        text = text.format(p=P.pluralize(line.forms[0]))
        removed = []
    else:  # fewer
        line = b.pick([line for line in lines if line.claimable > 1])
        initial = [(line, 2)]
        final = [(line, 1)]
        text = b.pick(P.CORRECT_FEWER).format(
            plural=P.pluralize(line.forms[0]), singular=line.forms[0]
        )
        removed = []
    plan.items = [{"line_id": li.line_id, "name": li.name, "quantity": q} for li, q in initial]
    final_items = [{"line_id": li.line_id, "name": li.name, "quantity": q} for li, q in final]
    plan.items_text, plan.quantity_explicit, _ = b.describe(order, plan.items)
    plan.quantity_answers = {i["line_id"]: str(i["quantity"]) for i in plan.items}
    plan.correction = {
        "kind": kind,
        "text": text,
        "final_items": final_items,
        "removed": removed,
        "quantity_answers": {i["line_id"]: str(i["quantity"]) for i in final_items},
    }
    plan.descriptions = [b.description(order, plan.items)]
    plan.expected = b.expectation(order, final_items, correction=kind)
    return plan


def cancellation(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    if not order.claim_ready:
        plan = b.tracking_plan(pid, "cancellation", seed, order)
        at = "email"
        plan.after = []
    else:
        plan = b.claim_plan(pid, "cancellation", seed, order)
        at = b.pick(["tracking_number", "missing_items", "description", "claim_confirmed", "email"])
        plan.after = [b.pick(P.OK_THANKS)] if b.rng.random() < 0.3 else []
    text = b.pick(P.CANCEL)
    if at == "claim_confirmed":
        text = b.pick(["no, forget it", "no, cancel it", "never mind, don't file it", text])
    plan.behaviours = [Behaviour("cancellation", at, text)]
    plan.goal = "cancel"
    plan.expected = b.expectation(order, None, cancelled_at=at)
    return plan


def digression(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    if not order.claim_ready:
        plan = b.tracking_plan(pid, "digression", seed, order)
        plan.behaviours = [Behaviour("digression", "email", b.pick(P.DIGRESSIONS["bot"]), "bot")]
        return plan
    plan = b.claim_plan(pid, "digression", seed, order)
    at = b.pick(["tracking_number", "missing_items", "description", "claim_confirmed"])
    kind = b.pick(["where_package", "bot", "hours"])
    if b.rng.random() < 0.2:
        at, kind = "email", "bot"  # before verification: nothing about the order may be said
    plan.behaviours = [Behaviour("digression", at, b.pick(P.DIGRESSIONS[kind]), kind)]
    return plan


def chitchat(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    if not order.claim_ready:
        plan = b.tracking_plan(pid, "chitchat", seed, order)
        at = b.pick(["order_number", "email"])
    else:
        plan = b.claim_plan(pid, "chitchat", seed, order)
        at = b.pick(["order_number", "email", "missing_items"])
    plan.behaviours = [Behaviour("chitchat", at, b.pick(P.CHITCHAT))]
    return plan


def completion(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "completion", seed, order)
    plan.after = [b.pick(P.COMPLETION), b.pick(P.THANKS)]
    plan.expected["completion"] = True
    return plan


def cannot_handle(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    if not order.claim_ready:
        plan = b.tracking_plan(pid, "cannot_handle", seed, order)
        at = b.pick(["order_number", "email"])
    else:
        plan = b.claim_plan(pid, "cannot_handle", seed, order)
        at = b.pick(
            ["order_number", "email", "tracking_number", "missing_items", "claim_confirmed"]
        )
    plan.behaviours = [Behaviour("cannot_handle", at, b.pick(P.GIBBERISH))]
    return plan


def handoff(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.claim_plan(pid, "handoff", seed, order)
    ask, again = b.pick(P.HUMAN), b.pick(P.HUMAN_AGAIN)
    where = b.pick(["opening", "tracking_number", "missing_items", "description"])
    if where == "opening":
        plan.opening = [
            {"say": ask, "kind": "handoff"},
            {"say": again, "kind": "handoff_again"},
            *plan.opening,
        ]
        plan.behaviours = []
        plan.expected["handoff_asks"] = 2
    else:
        later = {"tracking_number": "missing_items", "missing_items": "description"}
        plan.behaviours = [Behaviour("handoff", where, ask)]
        if where in later:
            plan.behaviours.append(Behaviour("handoff_again", later[where], again))
        else:
            plan.behaviours.append(Behaviour("handoff_again", "claim_confirmed", again))
    plan.expected["handoffs"] = 1  # also when the claim goes to review: no second handoff
    return plan


def ship_to_store(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    waiting = [line for line in order.lines if line.in_transit]
    line = b.pick(waiting)
    items = [{"line_id": line.line_id, "name": line.name, "quantity": line.in_transit}]
    plan = Plan(
        id=pid,
        category="ship_to_store",
        seed=seed,
        order_number=order.order_number,
        email=order.email,
        goal="explain",
        opening=[],
        items=items,
        order_answers=[b.order_text(order, P.ORDER_VARIANTS)],
        email_answers=[b.email_text(order.email)],
        descriptions=[b.description(order, items)],
        after=[b.pick(P.OK_THANKS)],
    )
    plan.items_text, plan.quantity_explicit, _ = b.describe(order, items)
    if b.rng.random() < 0.6:
        story, plan.quantity_explicit, plan.items_text = b.story(order, items)
        plan.opening = [{"say": story}]
        plan.named_in_opening = ["items"]
    else:
        plan.opening = [{"say": b.pick(P.TASK_OPENERS)}]
    explain = "not_at_store" if order.none_received else "in_transit"
    plan.expected = b.expectation(order, None, explain=explain)
    return plan


def already_claimed(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    line = b.pick([line for line in order.lines if line.claimed and not line.claimable])
    items = [{"line_id": line.line_id, "name": line.name, "quantity": line.claimed}]
    plan = Plan(
        id=pid,
        category="already_claimed",
        seed=seed,
        order_number=order.order_number,
        email=order.email,
        goal="explain",
        opening=[],
        items=items,
        order_answers=[b.order_text(order, P.ORDER_VARIANTS)],
        email_answers=[b.email_text(order.email)],
        descriptions=[b.description(order, items)],
        confirm=b.pick(P.CONFIRM),
        after=[b.pick(P.OK_THANKS)],
    )
    plan.items_text, plan.quantity_explicit, _ = b.describe(order, items)
    if b.rng.random() < 0.5:
        story, plan.quantity_explicit, plan.items_text = b.story(order, items)
        plan.opening = [{"say": story}]
        plan.named_in_opening = ["items"]
    else:
        plan.opening = [{"say": b.pick(P.TASK_OPENERS)}]
    plan.expected = b.expectation(order, None, explain="already_claimed")
    return plan


def privacy(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    others = [o for o in b.orders if o.email != order.email]
    kind = b.pick(["wrong_only", "other_customer", "other_order", "wrong_then_right"])
    if kind == "other_order" and others:
        # The other customer's order typed with one's own e-mail, then one's own order.
        own = b.pick(others)
        plan = b.tracking_plan(pid, "privacy", seed, own)
        plan.order_answers = [
            b.order_text(order, P.ORDER_VARIANTS),
            b.pick(P.OTHER_ORDER).format(order=own.order_number),
        ]
        plan.email_answers = [own.email]
        plan.foreign_orders = [order.order_number]
        plan.expected = b.expectation(own, None, tracking_shown=True, privacy=kind)
        return plan
    if kind == "wrong_then_right":
        plan = b.tracking_plan(pid, "privacy", seed, order)
        plan.email_answers = [b.pick(P.WRONG_EMAILS), order.email]
        plan.expected = b.expectation(order, None, tracking_shown=True, privacy=kind)
        return plan
    if order.claim_ready and b.rng.random() < 0.5:
        plan = b.claim_plan(pid, "privacy", seed, order)
    else:
        plan = b.tracking_plan(pid, "privacy", seed, order)
    if kind == "other_customer" and others:
        other_email = others[0].email
        plan.email_answers = [other_email, b.email_text(other_email)]
    else:
        kind = "wrong_only"
        plan.email_answers = b.rng.sample(P.WRONG_EMAILS, 2)
    plan.goal = "give_up"
    plan.give_up = b.pick(P.GIVE_UP)
    plan.after = []
    plan.expected = b.expectation(order, None, privacy=kind, never_verified=True)
    return plan


def tracking_only(b: Builder, pid: str, seed: int, order: OrderFacts) -> Plan:
    plan = b.tracking_plan(pid, "tracking_only", seed, order)
    if b.rng.random() < 0.3:
        number = b.order_text(order, P.ORDER_VARIANTS)
        plan.opening = [
            {"say": b.pick(["where is order {o}?", "status of {o} please"]).format(o=number)}
        ]
        plan.named_in_opening = ["order_number"]
    return plan  # fmt: skip


BUILDERS = {
    "story_first": (story_first, _claim_orders),
    "all_facts": (all_facts, _claim_orders),
    "typos_noise": (typos_noise, _claim_orders),
    "buttons": (buttons, _claim_orders),
    "quantity_words": (
        quantity_words,
        lambda orders: [o for o in _claim_orders(orders) if any(x.claimable > 1 for x in o.lines)],
    ),
    "free_text_description": (free_text_description, _claim_orders),
    "short_description": (short_description, _claim_orders),
    "correction": (correction, _claim_orders),
    "cancellation": (cancellation, lambda orders: orders),
    "digression": (digression, lambda orders: _claim_orders(orders) * 3 + orders),
    "chitchat": (chitchat, lambda orders: _claim_orders(orders) * 3 + orders),
    "completion": (completion, _claim_orders),
    "cannot_handle": (cannot_handle, lambda orders: _claim_orders(orders) * 3 + orders),
    "handoff": (handoff, _claim_orders),
    "ship_to_store": (
        ship_to_store,
        lambda orders: [o for o in orders if any(x.in_transit for x in o.lines)],
    ),
    "already_claimed": (
        already_claimed,
        lambda orders: [o for o in orders if any(x.claimed and not x.claimable for x in o.lines)],
    ),
    "privacy": (privacy, lambda orders: orders),
    "tracking_only": (tracking_only, lambda orders: orders),
}


def generate(
    seed: int = 0,
    per_category: int = PER_CATEGORY,
    orders: list[OrderFacts] | None = None,
    categories: list[str] | None = None,
) -> list[Plan]:
    """Every category's plans, spread over the orders each category can use."""
    orders = load_orders() if orders is None else orders
    plans: list[Plan] = []
    for category in categories or CATEGORIES:
        build, eligible = BUILDERS[category]
        pool = eligible(orders)
        if not pool:
            continue  # that scenario is not in the demo data
        for n in range(per_category):
            plan_seed = random.Random(f"{seed}:{category}:{n}").randrange(2**31)
            builder = Builder(orders, random.Random(plan_seed))
            plans.append(build(builder, f"{category}-{n:02d}", plan_seed, pool[n % len(pool)]))
    return plans


def stratified_sample(plans: list[Plan], size: int, seed: int) -> list[Plan]:
    """`size` plans, the same number from each category (as far as it divides)."""
    rng = random.Random(seed)
    by_category: dict[str, list[Plan]] = {}
    for plan in plans:
        by_category.setdefault(plan.category, []).append(plan)
    for group in by_category.values():
        rng.shuffle(group)
    chosen: list[Plan] = []
    while len(chosen) < size and any(by_category.values()):
        for category in list(by_category):
            if by_category[category] and len(chosen) < size:
                chosen.append(by_category[category].pop())
    return chosen
