"""The blind-set players' own logic: what a turn started, the scores, the batches."""

from __future__ import annotations

from pathlib import Path

from tests.blind.conversations import Played, batches, order_facts, summarize
from tests.blind.first_messages import score, started


def user(text: str = "hi") -> dict:
    return {"event": "user", "text": text}


def test_what_a_first_message_started() -> None:
    assert started([user(), {"event": "active_loop", "name": "claim_form"}], []) == "claim"
    assert started([user(), {"event": "action", "name": "action_show_tracking"}], []) == "track"
    handoff = [user(), {"event": "slot", "name": "handoff_id", "value": 3.0}]
    assert started(handoff, []) == "human"
    offer = [{"buttons": [{"title": "Talk to a person", "payload": "/request_human"}]}]
    assert started([user(), {"event": "action", "name": "action_out_of_scope"}], offer) == (
        "human_offer"
    )
    earlier = [user("first"), {"event": "active_loop", "name": "claim_form"}, user("second")]
    assert started(earlier, []) == "nothing"  # only the latest message's turn counts


def test_scores_count_forms_entered_by_out_of_scope_messages() -> None:
    cases = [
        {"text": "a", "expect": "track"},
        {"text": "b", "expect": "out_of_scope"},
        {"text": "c", "expect": "out_of_scope"},
    ]
    outcomes = [
        {"started": "track", "intent": "check_tracking", "reply": ""},
        {"started": "claim", "intent": "report_missing_item", "reply": ""},
        {"started": "human_offer", "intent": "out_of_scope", "reply": ""},
    ]
    report = score(cases, outcomes)
    assert report["in_scope_rate"] == 1.0
    assert report["out_of_scope_entered_a_form"] == 1
    assert [f["text"] for f in report["failures"]] == ["b"]


def test_conversations_on_one_order_never_share_a_batch() -> None:
    plans = [{"id": str(n), "order": order} for n, order in enumerate("AABAC")]
    for batch in batches(plans):
        orders = [plan["order"] for plan in batch]
        assert len(orders) == len(set(orders))
    assert sum(len(b) for b in batches(plans)) == len(plans)


def test_order_facts_name_lines_by_their_default_ids() -> None:
    catalogue = {
        "orders": [
            {
                "order_number": "STS-1111-2222",
                "lines": [{"name": "Lamp"}, {"name": "Rug", "line_id": "R-9"}],
                "packages": [{"tracking_number": "1Z999AA10123456784"}],
            }
        ]
    }
    facts = order_facts(catalogue)["STS-1111-2222"]
    assert facts["line_ids"] == {"Lamp": "STS-1111-2222-L1", "Rug": "R-9"}
    assert facts["private"] == ["1Z999AA10123456784", "Lamp", "Rug"]


def test_the_summary_counts_money_apart() -> None:
    ok = Played("c1", "terse", "claim", "s1")
    money = Played("c2", "terse", "claim", "s2", money=["claims a line never said missing"])
    third = Played("c3", "typos", "claim", "s3", issues=["turn 4: email asked a third time"])
    summary = summarize([ok, money, third])
    assert summary["passed"] == 1
    assert summary["money_ok_rate"] == round(2 / 3, 4)
    assert summary["asked_a_third_time"] == 1


def test_an_aside_for_a_question_never_asked_comes_at_the_next_one() -> None:
    from tests.blind.conversations import _due

    assert _due("items", "items")
    assert _due("items", "description")  # "which items?" was skipped: said at the next question
    assert not _due("description", "items")  # not before its own question
    assert not _due("start", "email")  # the opening's asides are said once, after the opening


def test_the_status_asked_for_is_the_new_claim_or_an_older_one_as_the_shopper_says() -> None:
    from tests.blind.conversations import Shopper

    def shopper(after: str) -> Shopper:
        plan = {"id": "c1", "answers": {"claim_number": "the one you just made"}, "after": [after]}
        return Shopper(plan, {}, None, None)  # no stack: only the check is used

    mine = [{"claim_number": "CLM-000003"}]
    told = "Claim CLM-000003 (order STS-3917-4406) for 1 × Crayons 64-ct: approved."
    assert shopper("and the status of that claim?")._status_shown(told, mine)
    assert not shopper("and my other claim from last week?")._status_shown(told, mine)
    older = "Claim CLM-000001 (order STS-3917-4406) for 1 × Glue: approved."
    assert shopper("and my other claim from last week?")._status_shown(older, mine)
    filed_only = "Thank you. I've filed claim CLM-000003 for 1 × Crayons 64-ct."
    assert not shopper("and the status of that claim?")._status_shown(filed_only, mine)
    # "that one" of a report made on a different order a while back is the older claim
    other_order = "I reported the monomer missing on a different order a while back. That one?"
    assert shopper(other_order)._status_shown(older, mine)
    assert not shopper(other_order)._status_shown(told, mine)


def test_a_help_center_answer_counts_as_saying_what_is_not_served_here() -> None:
    from tests.blind.conversations import CANT_HERE

    assert CANT_HERE.search("Download it under Orders.\n\nMore in our help center: [Invoices](u)")
    assert CANT_HERE.search("I'm sorry, I don't know the answer to that, and I'd rather not guess.")
    assert not CANT_HERE.search("What is your order number?")


def test_the_task_buttons_a_shopper_taps_are_the_domains() -> None:
    import yaml

    from tests.blind.conversations import TASK_BUTTONS

    domain = yaml.safe_load(Path("domain.yml").read_text(encoding="utf-8"))
    offered = domain["responses"]["utter_how_can_i_help"]
    titles = {b["title"] for variant in offered for b in variant.get("buttons", [])}
    assert set(TASK_BUTTONS.values()) <= titles
