"""Deciding a claim's lines from one message: picked, or inferred and confirmed (item_choice)."""

from __future__ import annotations

import pytest

from actions.item_choice import choose_items
from actions.items import Line

CHARGER = Line("C1", "Phone Charger", 1, 1, 0)
CABLE = Line("C2", "Charging Cable", 1, 1, 0)
PAD = Line("C3", "Wireless Charger Pad", 1, 1, 0)
SOCKS = Line("C4", "Wool Socks (3 pairs)", 2, 2, 0)
TRANSIT = Line("C5", "Camping Lantern", 1, 0, 1)
ORDER = [CHARGER, CABLE, PAD, SOCKS, TRANSIT]


def picked(text: str, answering: bool) -> tuple[set[str], bool]:
    choice = choose_items(text, ORDER, answering)
    return {w.line.line_id for w in choice.wanted}, choice.inferred


def test_an_answer_is_taken_as_picked():
    assert picked("the cable and the socks", answering=True) == ({"C2", "C4"}, False)
    assert picked("Wireless Charger Pad", answering=True) == ({"C3"}, False)


def test_a_story_only_makes_candidates_to_confirm():
    text = "I ordered a charger, a cable and socks but the socks weren't in the bag"
    assert picked(text, answering=False) == ({"C4"}, True)


def test_what_arrived_leaves_the_rest_as_candidates_to_confirm():
    lines, inferred = picked("only the phone charger and the cable came", answering=True)
    assert lines == {"C3", "C4"}  # the lantern is still on its way: never a candidate
    assert inferred


FLATCARS = Line("F1", "HO 50ft Flatcar with Log Load", 3, 3, 0)
CABOOSE = Line("F2", "HO Caboose, Santa Fe", 1, 1, 0)


def test_what_arrived_with_a_count_short_claims_only_that_many():
    text = "ordered 3 of the log flatcars and only 2 were in the box. the caboose was fine."
    [wanted] = choose_items(text, [FLATCARS, CABOOSE], answering=False).wanted
    assert (wanted.line, wanted.quantity) == (FLATCARS, 1)  # not all 3


def test_what_arrived_with_no_count_leaves_every_unit_of_the_rest():
    [wanted] = choose_items("the caboose was fine", [FLATCARS, CABOOSE], answering=False).wanted
    assert (wanted.line, wanted.quantity) == (FLATCARS, 3)


def test_everything_means_every_claimable_line():
    lines, inferred = picked("all of it", answering=True)
    assert lines == {"C1", "C2", "C3", "C4"} and not inferred
    lines, inferred = picked("the bag was completely empty", answering=False)
    assert lines == {"C1", "C2", "C3", "C4"} and inferred


def test_nothing_named_chooses_nothing():
    assert picked("it was a gift for my brother", answering=False) == (set(), False)
    assert picked("the bag was ripped", answering=True) == (set(), False)


def test_no_candidates_from_what_arrived_when_it_fits_several_lines():
    """'Only the trail runners came' with two sizes on the order: which ones? Ask instead."""
    small = Line("S1", "Men's Trail Runner, 10.5", 1, 1, 0)
    large = Line("S2", "Men's Trail Runner, 11", 1, 1, 0)
    vest = Line("S3", "Hydration Vest 5L", 1, 1, 0)
    choice = choose_items("only the trail runners were in the box", [small, large, vest], False)
    assert choice.wanted == ()
    choice = choose_items("only the size 11 trail runners were in it", [small, large, vest], False)
    assert {w.line.line_id for w in choice.wanted} == {"S1", "S3"} and choice.inferred


def test_everything_except_an_item_that_fits_several_lines_is_never_every_line():
    oil = Line("O1", "Synthetic Motor Oil 5W-30, 5 qt", 2, 2, 0)
    item_filter = Line("O2", "Oil Filter PH7317", 1, 1, 0)
    pan = Line("O3", "Oil Drain Pan, 15 qt", 1, 1, 0)
    funnel = Line("O4", "Funnel Set, 3-piece", 1, 1, 0)
    lines = [oil, item_filter, pan, funnel]
    choice = choose_items("everything except the oil and drain pan", lines, answering=True)
    # "the oil" is the motor oil (the line whose head it names), not the filter or the pan for
    # it: the rest, never all four, and confirmed before any refund
    assert {w.line.line_id for w in choice.wanted} == {"O2", "O4"} and choice.inferred
    vague = choose_items("everything except the oil stuff", lines, answering=True)
    assert len(vague.wanted) < len(lines)


def test_an_answer_naming_a_line_only_by_what_it_is_for_is_confirmed():
    """'the wireless charger' fits the pad only by its kind: the shopper confirms the pad."""
    assert picked("the wireless charger", answering=True) == ({"C3"}, True)
    assert picked("the charger pad", answering=True) == ({"C3"}, False)


def test_a_story_naming_a_line_only_by_whom_it_is_for_ends_nothing():
    """ "my kid's stuff is missing" does not say that the Kids' Backpack on its way is missing:
    the items are asked. "my kid's school order" is the order, named by whom it is for: no
    line is proposed for it, on its way or not (precision first)."""
    on_its_way = Line("K1", "Kids' Backpack, 16-inch", 1, 0, 1)
    notebook = Line("K2", "Composition Notebook", 3, 3, 0)
    text = "some stuff is missing from my kid's school order"
    assert choose_items(text, [on_its_way, notebook], False).wanted == ()
    at_the_store = Line("K1", "Kids' Backpack, 16-inch", 1, 1, 0)
    assert picked(text, answering=False) == (set(), False)  # nothing of ORDER named
    assert choose_items(text, [at_the_store, notebook], False).wanted == ()
    named = choose_items("my kid's backpack is missing", [at_the_store, notebook], False)
    assert [w.line.line_id for w in named.wanted] == ["K1"]


TRIMMER = Line("T1", 'Greenline 40V String Trimmer, 15"', 1, 1, 0)
THIN_LINE = Line("T2", 'Trimmer Line .095", 1 lb Spool', 2, 2, 0)
THICK_LINE = Line("T3", 'Trimmer Line .080", 3 lb Spool', 1, 1, 0)
EARMUFFS = Line("T4", "Safety Earmuffs, NRR 25", 1, 1, 0)
YARD = [TRIMMER, THIN_LINE, THICK_LINE, EARMUFFS]


def _chosen(text: str) -> dict[str, int | None]:
    return {w.line.line_id: w.quantity for w in choose_items(text, YARD, answering=True).wanted}


def test_a_decimal_model_number_names_its_line_and_counts_nothing() -> None:
    assert _chosen(".095 trimmer line") == {"T2": None}


def test_both_kinds_names_both_lines_whole() -> None:
    assert _chosen("both kinds of line and the earmuffs") == {"T2": 2, "T3": 1, "T4": None}


@pytest.mark.parametrize("cut", [":", " -"])
def test_a_list_after_what_is_excepted_says_it_again(cut: str) -> None:
    text = f"everything except the trimmer{cut} both kinds of line and the earmuffs"
    assert "T1" not in _chosen(text)


def test_two_words_of_a_name_in_its_order_pick_that_line() -> None:
    """ "battery box" is the Battery Box, not the Deep Cycle Battery that "battery" fits too."""
    battery = Line("B1", "12V 100Ah AGM Deep Cycle Battery", 1, 1, 0)
    box = Line("B2", "Battery Box with USB & 12V Ports", 1, 1, 0)
    wanted = choose_items("battery box", [battery, box], answering=True).wanted
    assert [(w.line.line_id, w.ambiguous) for w in wanted] == [("B2", False)]


def test_that_is_right_names_no_right_hand_thing() -> None:
    tab = Line("A4", "Finger Tab, Right-Hand, Medium", 1, 1, 0)
    assert choose_items("yes that's right", [tab], answering=True).wanted == ()


def test_two_words_that_are_not_the_head_pick_no_line() -> None:
    """ "short sleeve polo" shares "sleeve polo" with the Long-Sleeve Polo Shirt: no pick."""
    from actions.claim_form import _option_named

    pack = Line("P1", "Polo Shirt 3-pack, White, Age 7-8", 2, 2, 0)
    long_sleeve = Line("P2", "Long-Sleeve Polo Shirt, White, Age 7-8", 1, 1, 0)
    assert _option_named("the white short sleeve polo 3-pack", [pack, long_sleeve]) == pack


FILM = Line("P1", "Instant Film Twin Pack", 3, 3, 0)
CAMERA = Line("P2", "Instant Camera", 1, 1, 0)


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("only got 2 of the 3 film twin packs I ordered", 1),
        ("I got 1 of the 3 film twin packs", 2),
        ("received 2 out of 3 film twin packs, the camera was fine", 1),
    ],
)
def test_a_part_of_the_whole_line_that_came_is_short_the_rest(text: str, short: int) -> None:
    [wanted] = choose_items(text, [FILM, CAMERA], answering=False).wanted
    assert (wanted.line, wanted.quantity) == (FILM, short)  # never the camera, never all 3


def test_a_part_of_a_line_partly_on_its_way_leaves_how_many_to_ask() -> None:
    split = Line("P1", "Instant Film Twin Pack", 3, 2, 1)
    [wanted] = choose_items("got 2 of the 3 film twin packs", [split, CAMERA], False).wanted
    assert (wanted.line, wanted.quantity) == (split, None)


BAGS = Line("B1", "Poop Bags 240-ct", 2, 2, 0)
DISPENSER = Line("B2", "Poop Bag Dispenser", 1, 1, 0)
LEASH = Line("B3", "Nylon Leash, 6 ft", 1, 1, 0)


@pytest.mark.parametrize(("text", "quantity"), [("bags", None), ("the 2 bags", 2)])
def test_a_packing_word_alone_names_the_line_made_of_it(text: str, quantity: int | None) -> None:
    [wanted] = choose_items(text, [BAGS, DISPENSER, LEASH], answering=True).wanted
    assert (wanted.line, wanted.quantity, wanted.alternatives) == (BAGS, quantity, ())


def test_a_packing_word_in_a_story_is_the_packing() -> None:
    assert choose_items("the bag", [BAGS, LEASH], answering=False).wanted == ()
    assert choose_items("the box", [BAGS, LEASH], answering=True).wanted == ()


def test_a_line_short_beside_one_on_its_way_is_still_claimed() -> None:
    darts = Line("D1", "Foam Darts Refill 50-pack", 2, 2, 0)
    target = Line("D2", "Electronic Target Set", 1, 0, 1)
    text = "the target set wasn't in there and only one pack of the 50 darts"
    wanted = choose_items(text, [darts, target], answering=False).wanted
    assert {(w.line, w.quantity) for w in wanted} == {(target, None), (darts, 1)}


def test_a_spec_with_a_slash_is_one_name_not_two_items() -> None:
    romex14 = Line("R1", "Romex 14/2 NM-B Wire, 50ft", 1, 1, 0)
    romex12 = Line("R2", "Romex 12/2 NM-B Wire, 50ft", 1, 1, 0)
    [wanted] = choose_items("the 14/2 Romex", [romex14, romex12], answering=True).wanted
    assert (wanted.line, wanted.quantity, wanted.alternatives) == (romex14, None, ())
