"""Changes to the chosen items: added, taken off, one more, only these."""

from __future__ import annotations

import pytest

from actions.corrections import apply_changes, item_changes
from actions.items import Line

HEADPHONES = Line("L1", "Wireless Over-Ear Headphones", 1, 1, 0)
CASE = Line("L2", "Clear Phone Case", 2, 2, 0)
CABLE = Line("L3", "USB-C Charging Cable (3-pack)", 1, 1, 0)
LINES = [HEADPHONES, CASE, CABLE]
ONE_CASE = [{"line_id": "L2", "name": "Clear Phone Case", "quantity": 1}]


def changed(text: str, chosen=ONE_CASE):
    result = apply_changes(chosen, text, LINES)
    if result is None:
        return None
    kept, unsettled = result
    return [i["line_id"] for i in kept], [(w.line.line_id, w.quantity) for w in unsettled]


def test_an_item_added() -> None:
    assert changed("no, hold on, the charger was missing as well") == (["L2"], [("L3", 1)])


def test_one_more_of_an_item_already_chosen() -> None:
    assert changed("and one of the cases too") == ([], [("L2", 2)])


def test_not_this_item_but_that_one() -> None:
    assert changed("not the case, the headphones") == ([], [("L1", 1)])


def test_only_replaces_the_choice() -> None:
    assert changed("actually only the cable") == ([], [("L3", 1)])


def test_an_item_taken_off() -> None:
    assert changed("the case was there after all") == ([], [])


def test_words_without_items_change_nothing() -> None:
    assert changed("yes") is None
    assert changed("ok file it please") is None


def test_what_the_correction_says_arrived_comes_off() -> None:
    text = "no sorry, my mistake - the case is there, it's the cable that's missing"
    assert changed(text) == ([], [("L3", 1)])


def test_an_item_named_in_a_sentence_about_something_else_is_not_added() -> None:
    assert changed("one pack was stuck under the headphones box") is None
    assert changed("and the headphones") == (["L2"], [("L1", 1)])


def test_take_an_item_off_in_so_many_words() -> None:
    assert changed("no, take the case off, found it in the other bag") == ([], [])


def test_words_that_frame_a_correction_are_not_a_story() -> None:
    assert changed("actually just one case") == ([], [("L2", 1)])
    assert changed("sorry I meant the headphones please") == ([], [("L1", 1)])


def test_an_item_named_as_a_place_is_not_added() -> None:
    assert changed("it was under the headphones") is None
    assert changed("found it behind the cable box, the headphones are missing") == (
        ["L2"],
        [("L1", 1)],
    )


def test_an_item_said_to_be_here_comes_off_and_a_place_is_no_item() -> None:
    spatulas = Line("K1", "Silicone Spatula Set (3-pc)", 1, 1, 0)
    towels = Line("K2", "Linen Dish Towels 4-pack", 2, 2, 0)
    chosen = [{"line_id": "K1", "name": spatulas.name, "quantity": 1}]
    text = (
        "no wait, sorry - the spatulas are here, they were under the towels. "
        "what's missing is one pack of the dish towels"
    )
    kept, unsettled = apply_changes(chosen, text, [spatulas, towels])
    assert kept == [] and [(w.line, w.quantity) for w in unsettled] == [(towels, 1)]


@pytest.mark.parametrize(
    "text",
    [
        "no wait, sorry, I had it wrong. the tires are here, they were wrapped around the pump. "
        "it's the 2 inner tubes that are missing",
        "the tires are fine, they were taped to the pump. the 2 inner tubes are missing",
    ],
)
def test_what_an_item_was_wrapped_around_or_taped_to_is_a_place(text: str) -> None:
    tires = Line("B1", "Hybrid Tire 700x38c", 2, 2, 0)
    tubes = Line("B2", "Presta Inner Tube 700x35-43c", 2, 2, 0)
    floor = Line("B3", "Floor Pump with Gauge", 1, 1, 0)
    mini = Line("B4", "Mini Pump", 1, 1, 0)
    chosen = [{"line_id": "B1", "name": tires.name, "quantity": 2}]
    kept, unsettled = apply_changes(chosen, text, [tires, tubes, floor, mini])
    assert kept == [] and [(w.line, w.quantity) for w in unsettled] == [(tubes, 2)]


def test_a_common_word_one_letter_off_a_name_is_no_item() -> None:
    bath = Line("T1", "Bath Towel, Charcoal", 4, 4, 0)
    hand = Line("T2", "Hand Towel, Charcoal", 4, 4, 0)
    chosen = [{"line_id": "T1", "name": bath.name, "quantity": 3}]
    assert apply_changes(chosen, "hang on, so it's only 2 missing, not 3", [bath, hand]) is None


def test_an_opening_no_that_answers_the_bot_is_no_negation() -> None:
    leash = Line("D1", "Reflective Dog Leash, 6 ft", 1, 1, 0)
    shoes = Line("D2", "Men's Trail Runner, 10.5", 1, 1, 0)
    hoodie = Line("D3", "Dog Hoodie, M", 2, 2, 0)
    chosen = [{"line_id": "D1", "name": leash.name, "quantity": 1}]
    text = (
        "no sorry - the leash was actually there, it was under the hoodies. "
        "it's the trail runners that are missing"
    )
    kept, unsettled = apply_changes(chosen, text, [leash, shoes, hoodie])
    assert kept == [] and [w.line for w in unsettled] == [shoes]
    still = apply_changes(chosen, "the leash was not there", [leash, shoes, hoodie])
    assert still is not None and [w.line for w in still[1]] == [leash]


def test_what_was_meant_replaces_the_choice() -> None:
    assert changed("sorry, I said the case but I meant the headphones") == ([], [("L1", 1)])


def test_what_was_meant_besides_adds() -> None:
    assert changed("I mean, the headphones are missing too") == (["L2"], [("L1", 1)])


def test_an_item_between_a_missing_and_a_received_cue_is_not_added() -> None:
    """ "No cables in the box, charger and pad were": the charger is on neither side."""
    lines = [
        Line("C1", "Phone Charger 20W USB-C", 1, 1, 0),
        Line("C2", "Charging Cable USB-C to Lightning, 1m", 2, 2, 0),
        Line("C3", "Wireless Charger Pad 15W", 1, 1, 0),
    ]
    chosen = [{"line_id": "C2", "name": lines[1].name, "quantity": 2}]
    kept, unsettled = apply_changes(chosen, "no cables in the box, charger and pad were", lines)
    assert kept == chosen and unsettled == []
    _, added = apply_changes(chosen, "and the charger", lines)
    assert [want.line.line_id for want in added] == ["C1"]


def test_only_one_of_two_packs_at_the_summary_keeps_the_line_at_one() -> None:
    kit = Line("K1", "LED Light Kit for Lunar Base", 1, 1, 0)
    cells = Line("K2", "9V Batteries 4-pack", 2, 2, 0)
    chosen = [
        {"line_id": "K1", "name": kit.name, "quantity": 1},
        {"line_id": "K2", "name": cells.name, "quantity": 2},
    ]
    text = "only ONE of the 9V packs is missing, the other was there. so the LED kit + one 9V pack"
    kept, unsettled = apply_changes(chosen, text, [kit, cells])
    assert kept == []
    assert sorted((w.line.line_id, w.quantity) for w in unsettled) == [("K1", 1), ("K2", 1)]


def test_what_a_package_held_changes_nothing_on_the_claim() -> None:
    """ "I meant the UPS one ... the fedex one was only the headphones": the other box's
    contents, told while correcting the package; never a line said to be missing."""
    chosen = [{"line_id": "L3", "name": CABLE.name, "quantity": 1}]
    text = "sorry, wrong box - I meant the UPS one. the fedex one was only the headphones"
    assert changed(text, chosen) in (None, (["L3"], []))


def test_a_verb_in_the_story_of_a_correction_names_no_line() -> None:
    """ "the other one rolled under the seat" says nothing of a roll: both lines stay."""
    rolls = Line("R1", "Parchment Paper Roll, 45 ft", 1, 1, 0)
    oil = Line("R2", "Extra Virgin Olive Oil 1L", 2, 2, 0)
    chosen = [
        {"line_id": "R2", "name": oil.name, "quantity": 2},
        {"line_id": "R1", "name": rolls.name, "quantity": 1},
    ]
    text = (
        "actually no - only one bottle of olive oil is missing, the other one rolled under "
        "the car seat. so 1 oil and 1 parchment"
    )
    kept, unsettled = apply_changes(chosen, text, [rolls, oil])
    assert kept == []
    assert sorted((w.line.line_id, w.quantity) for w in unsettled) == [("R1", 1), ("R2", 1)]


def test_too_belongs_to_the_part_that_says_it() -> None:
    """ "only ONE of the cases ... and the cable is missing too": one case, not one more."""
    chosen = [{"line_id": "L2", "name": CASE.name, "quantity": 2}]
    text = (
        "no wait, it's only ONE of the two cases, the other was there. and the cable is missing too"
    )
    assert changed(text, chosen) == ([], [("L2", 1), ("L3", 1)])
    assert changed("and one more case", ONE_CASE) == ([], [("L2", 2)])


def test_a_count_put_right_with_what_came_is_the_new_count() -> None:
    fans = Line("L4", "Case Fan 140mm", 3, 3, 0)
    one_fan = [{"line_id": "L4", "name": "Case Fan 140mm", "quantity": 1}]
    text = "hang on, I just counted again, it's 2 fans missing not 1. only one fan in there"
    kept, unsettled = apply_changes(one_fan, text, [*LINES, fans])
    assert kept == []
    assert [(w.line.line_id, w.quantity) for w in unsettled] == [("L4", 2)]


ROWER = Line("F1", "Rowing Machine R-500", 1, 1, 0)
GUN = Line("F2", "Massage Gun Mini", 1, 1, 0)
SHORT_ROLLER = Line("F3", "Foam Roller 18 in", 1, 1, 0)
LONG_ROLLER = Line("F4", "Foam Roller 36 in", 1, 1, 0)
GYM = [ROWER, GUN, SHORT_ROLLER, LONG_ROLLER]


def test_a_claimed_line_named_as_a_place_is_not_taken_off() -> None:
    """ "found one of the pillows stuck under the steps": the count, not the pillows, changes."""
    cover = Line("H1", "Hot Tub Cover 84 x 84 in, Charcoal", 1, 1, 0)
    steps = Line("H2", "Spa Steps with Storage", 1, 1, 0)
    pillow = Line("H3", "Hot Tub Headrest Pillow", 2, 2, 0)
    chosen = [{"line_id": "H3", "name": pillow.name, "quantity": 2}]
    text = (
        "Oh wait, hold on. My son just found one of the pillows stuck under the steps in the "
        "box. So only 1 is missing, sorry!"
    )
    assert apply_changes(chosen, text, [cover, steps, pillow]) is None


HEAVY_BAND = Line("B1", "Pull-Up Assist Band, Heavy", 1, 1, 0)
LIGHT_BAND = Line("B2", "Pull-Up Assist Band, Light", 1, 1, 0)
BAND_KIT = Line("B3", "Resistance Band Set (5 levels)", 1, 1, 0)
KNIVES = Line("A1", "Palette Knife Set, 5-piece", 1, 1, 0)
OIL = Line("A2", "Linseed Oil, Refined 250ml", 1, 1, 0)


@pytest.mark.parametrize(
    ("lines", "claimed", "text", "after"),
    [
        # a "not" beside the line said missing is another line's ("not the X one")
        (
            [BAND_KIT, HEAVY_BAND, LIGHT_BAND],
            ["B1"],
            "no wait, it's the LIGHT band that's missing not the heavy one, my bad. "
            "the heavy one is right here",
            ["B2"],
        ),
        # "not the knives" alone takes the knives off, whatever else is said missing
        (
            [KNIVES, OIL],
            ["A1"],
            "No, sorry — not the knives. I just found them under the packing paper. "
            "It is the linseed oil that is missing.",
            ["A2"],
        ),
        # words that fit a claimed line and another speak of the claimed one
        (GYM, ["F2", "F4"], "the roller showed up", ["F2"]),
        # "just X" keeps X while another line came
        (
            GYM,
            ["F2", "F4"],
            "yes as long as it's just the massage gun, the roller showed up",
            ["F2"],
        ),
        # "scratch X" takes it off
        (
            GYM,
            ["F2", "F4"],
            "oh actually scratch the foam roller, just found it. so only the massage gun is "
            "missing",
            ["F2"],
        ),
    ],
)
def test_what_a_correction_leaves_on_the_claim(lines, claimed, text, after) -> None:
    by_id = {line.line_id: line for line in lines}
    chosen = [{"line_id": i, "name": by_id[i].name, "quantity": 1} for i in claimed]
    kept, unsettled = apply_changes(chosen, text, lines)
    assert [item["line_id"] for item in kept] + [w.line.line_id for w in unsettled] == after
    assert not any(w.ambiguous for w in unsettled)


def test_a_model_number_with_a_leading_zero_is_no_count() -> None:
    """ "only ONE 003 refill is missing, not two": 1 of Refill 003, never 3."""
    refill = Line("R2", "Traveler's Notebook Refill 003, Blank", 3, 3, 0)
    lines = [Line("R1", "Traveler's Notebook Regular", 1, 1, 0), refill]
    chosen = [{"line_id": "R2", "name": refill.name, "quantity": 2}]
    text = "hold on, I found a second one. So only ONE 003 refill is missing, not two."
    kept, unsettled = apply_changes(chosen, text, lines)
    assert [(w.line.line_id, w.quantity) for w in unsettled] == [("R2", 1)]
    assert kept == []


def test_a_claimed_item_found_fitted_into_another_comes_off() -> None:
    """ "the battery was already clipped into the saw … only the charger is missing": the saw
    is where the battery was, and the charger alone stays."""
    saw = Line("S1", '80V Cordless Chainsaw, 18"', 1, 1, 0)
    battery = Line("S2", "80V 5.0Ah Battery", 1, 1, 0)
    charger = Line("S3", "80V Charger", 1, 1, 0)
    chosen = [
        {"line_id": "S2", "name": battery.name, "quantity": 1},
        {"line_id": "S3", "name": charger.name, "quantity": 1},
    ]
    text = (
        "hold on, no. the battery was already clipped into the saw, I missed it. "
        "It's only the charger that's missing."
    )
    kept, unsettled = apply_changes(chosen, text, [saw, battery, charger])
    assert kept == [] and [w.line.line_id for w in unsettled] == ["S3"]


def test_what_is_put_on_something_is_where_it_is() -> None:
    """ "my wife already put it on the bed": no Platform Bed Frame on the claim."""
    frame = Line("M2", "Platform Bed Frame, King, Walnut", 1, 1, 0)
    protector = Line("M3", "Waterproof Mattress Protector, King", 1, 1, 0)
    pillow = Line("M4", "Memory Foam Pillow, King", 2, 2, 0)
    chosen = [{"line_id": "M3", "name": protector.name, "quantity": 1}]
    text = (
        "no hold on. the protector is here, my wife already put it on the bed. what's actually "
        "missing is one of the king pillows. only 1 of the 2 memory foam pillows came"
    )
    kept, unsettled = apply_changes(chosen, text, [frame, protector, pillow])
    assert kept == [] and [(w.line.line_id, w.quantity) for w in unsettled] == [("M4", 1)]


@pytest.mark.parametrize(
    "text", ["not in the box, the other cables were", "the rest of the cables were there"]
)
def test_the_others_of_its_kind_that_came_leave_the_claimed_line(text: str) -> None:
    solar = Line("S3", "Solar Charging Cable (Anderson to MC4), 3m", 1, 1, 0)
    usb = Line("S5", "USB-C Cable 2m", 2, 2, 0)
    car = Line("S4", "12V Car Charging Cable", 1, 1, 0)
    claimed = [{"line_id": "S3", "name": solar.name, "quantity": 1}]
    assert apply_changes(claimed, text, [solar, car, usb]) is None
    found = apply_changes(claimed, "the solar charging cable was there after all", [solar, usb])
    assert found == ([], [])


def test_both_of_them_said_of_the_one_line_added_claims_both() -> None:
    text = "no sorry, the headphones are here. it's the phone cases that are missing, both of them"
    chosen = [{"line_id": "L1", "name": HEADPHONES.name, "quantity": 1}]
    assert changed(text, chosen) == ([], [("L2", 2)])
    assert changed("it's the cable that's missing, all of them", chosen) == (["L1"], [("L3", 1)])


GAUZE = Line("G1", "Double Gauze, Dusty Rose, per yd", 3, 3, 0)
UNIVERSAL = Line("N1", "Universal Machine Needles 90/14, 5-pack", 2, 2, 0)
JERSEY = Line("N2", "Jersey Ballpoint Needles 80/12, 5-pack", 1, 1, 0)


def test_just_some_of_the_claim_replaces_it_whatever_else_is_said_to_have_come() -> None:
    chosen = [
        {"line_id": "N2", "name": JERSEY.name, "quantity": 1},
        {"line_id": "N1", "name": UNIVERSAL.name, "quantity": 2},
    ]
    text = (
        "hmm actually hold on, I just found the jersey pack stuck in the fold of the double "
        "gauze. so just the 2 universal packs please"
    )
    kept, unsettled = apply_changes(chosen, text, [GAUZE, UNIVERSAL, JERSEY])
    assert kept == []  # never the jersey pack
    assert [(w.line, w.quantity) for w in unsettled] == [(UNIVERSAL, 2)]


def test_a_box_named_for_an_item_is_a_place() -> None:
    printer = Line("L1", "K-350 CoreXY 3D Printer Bundle", 1, 1, 0)
    petg = Line("L2", "PETG Filament 1.75mm, 1kg - Clear Blue", 4, 4, 0)
    adds, _ = item_changes("I just found one wedged in the printer box", [printer, petg])
    assert not adds  # not the printer: where a roll was found


def test_a_count_after_a_line_said_missing_is_its_count() -> None:
    roll = Line("L1", "Marley Dance Floor Roll, Black/Gray, 5x10 ft", 1, 1, 0)
    tape = Line("L2", "Marley Tape, Black, 2 in x 36 yd", 2, 2, 0)
    adds, _ = item_changes("It's the marley tape that's missing, both rolls.", [roll, tape])
    assert [(want.line.name, want.quantity) for want in adds] == [(tape.name, 2)]
    adds, _ = item_changes("the marley tape is missing, and the floor roll", [roll, tape])
    assert {want.line.name for want in adds} == {tape.name, roll.name}


def test_a_packing_word_that_came_is_the_claimed_line_holding_it() -> None:
    bags = Line("L1", "Comic Bags, Current Size 100-ct", 2, 2, 0)
    boards = Line("L2", "Comic Backing Boards, Current Size 100-ct", 2, 2, 0)
    silver = Line("L3", "Comic Bags, Silver Age 100-ct", 2, 2, 0)
    lines = [bags, boards, silver]
    text = "the bags are here, it's the backing boards that are missing, both packs of boards"
    adds, removes = item_changes(text, lines, {"L1"})
    assert removes == [bags]
    assert [(want.line, want.quantity) for want in adds] == [(boards, 2)]
    adds, removes = item_changes("the bag was sealed and the boards were missing", lines, {"L1"})
    assert not removes  # a bag told of, not said to have come


def test_a_dimension_alone_names_its_line_and_a_bare_number_the_other() -> None:
    narrow = Line("L1", "Bamboo Roll-Up Blind 48 x 72 in", 2, 2, 0)
    wide = Line("L2", "Bamboo Roll-Up Blind 60 x 72 in", 1, 1, 0)
    text = "they're both 48 wide. so the missing one is the 60 x 72, not a 48. sorry"
    adds, removes = item_changes(text, [narrow, wide], {"L1"})
    assert [want.line for want in adds] == [wide]
    assert removes == [narrow]


def test_a_no_after_wait_answers_the_bot_and_denies_nothing() -> None:
    connector = Line("L1", '3/4" EMT Set-Screw Connector, 25-pack', 1, 1, 0)
    coupling = Line("L2", '3/4" EMT Set-Screw Coupling, 25-pack', 1, 1, 0)
    text = "wait no - it's the couplings that are missing, not the connectors. connectors are here"
    adds, removes = item_changes(text, [connector, coupling], {"L1"})
    assert [want.line for want in adds] == [coupling]
    assert removes == [connector]


def test_the_in_of_a_compound_name_says_nothing_came() -> None:
    plate = Line("L1", "Nylon Wall Plate, 1-Gang Duplex, White, 10-pack", 2, 2, 0)
    cover = Line("L2", "Weatherproof In-Use Cover, 1-Gang", 4, 4, 0)
    text = "can you add one of the in-use covers too? only 3 came and I ordered 4"
    adds, removes = item_changes(text, [plate, cover], {"L1"})
    assert [(want.line, want.quantity) for want in adds] == [(cover, 1)]
    assert not removes


def test_just_as_a_manner_of_telling_counts_nothing_short() -> None:
    tiles = Line("L1", "Interlocking Floor Tiles 24x24in, 6-pack", 2, 2, 0)
    mat = Line("L2", "Rubber Stall Mat 4'x6'", 1, 1, 0)
    text = (
        "no hang on, my wife just told me she already carried one tile pack down to the "
        "basement, so the tiles are fine. it's the rubber stall mat that isn't here"
    )
    adds, removes = item_changes(text, [tiles, mat], {"L1"})
    assert [want.line for want in adds] == [mat]
    assert removes == [tiles]


def test_on_there_is_the_claim_not_where_goods_are() -> None:
    blade = Line("L1", "Shedding Blade", 1, 1, 0)
    tote = Line("L2", "Grooming Tote", 1, 1, 0)
    adds, removes = item_changes(
        "I also need the grooming tote on there, it's missing too", [blade, tote], {"L1", "L2"}
    )
    assert not removes
    adds, removes = item_changes("put the grooming tote on there too", [blade, tote], {"L1"})
    assert [want.line for want in adds] == [tote] and not removes


def test_a_size_told_of_by_its_number_alone_comes_off() -> None:
    wedges = [Line(f"L{n}", f"Wedge {n}°, Raw Finish", 1, 1, 0) for n in (52, 56, 60)]
    text = "no wait sorry, I mixed them up. the 60 is here, it's the 56° that's missing"
    adds, removes = item_changes(text, wedges, {"L60"})
    assert [want.line for want in adds] == [wedges[1]]
    assert removes == [wedges[2]]


def test_a_size_pair_with_a_slash_is_one_size_not_a_list() -> None:
    small = Line("P1", "Adult PFD, Size S/M", 1, 1, 0)
    large = Line("P2", "Adult PFD, Size L/XL", 1, 1, 0)
    kayak = Line("K1", "Inflatable Kayak, 2-Person", 1, 1, 0)
    text = "wait no sorry, only the S/M one is missing. just found the L/XL stuffed under the kayak"
    adds, removes = item_changes(text, [kayak, small, large], {"P1", "P2"})
    assert [want.line for want in adds] == [small]
    assert removes == [large]


def test_not_quite_answers_the_bot_and_one_found_of_two_leaves_one() -> None:
    liner = Line("L1", "High Chair Tray Liner", 2, 2, 0)
    chair = Line("C1", "Compact Folding High Chair, Grey", 1, 1, 0)
    text = (
        "Hmm not quite - I just found one of the liners folded under the high chair tray. "
        "So only 1 is missing, not 2"
    )
    adds, removes = item_changes(text, [chair, liner], {"L1"})
    assert [(want.line, want.quantity) for want in adds] == [(liner, 1)]
    assert not removes


def units_after(chosen: list[dict], text: str, lines: list[Line]) -> dict[str, int | None]:
    """Each line on the claim after the change, with its count (None: still to ask)."""
    kept, unsettled = apply_changes(chosen, text, lines)
    return {i["line_id"]: i["quantity"] for i in kept} | {
        w.line.line_id: w.quantity for w in unsettled
    }


def test_a_count_put_right_beside_one_that_came_recounts_the_line() -> None:
    maple = Line("M1", "Maple Board 8/4, 8 in. x 36 in.", 2, 2, 0)
    cherry = Line("C1", "Cherry Board 4/4, 6 in. x 72 in.", 1, 1, 0)
    chosen = [
        {"line_id": "C1", "name": cherry.name, "quantity": 1},
        {"line_id": "M1", "name": maple.name, "quantity": 2},
    ]
    text = (
        "hang on, I recounted in the garage and one maple board IS here. So it's 1 maple and "
        "the cherry, not 2 maple"
    )
    assert units_after(chosen, text, [maple, cherry]) == {"M1": 1, "C1": 1}
    _, unsettled = apply_changes(chosen, "1 maple, not 2", [maple, cherry])
    assert [(w.line, w.quantity) for w in unsettled] == [(maple, 1)]


def test_the_regular_pack_beside_the_insulated_one_is_the_plain_claimed_line() -> None:
    plain = Line("L4", "Rail Joiners, Nickel Silver, Code 83 (48-pack)", 3, 3, 0)
    insulated = Line("L5", "Insulated Rail Joiners, Code 83 (24-pack)", 1, 1, 0)
    turnout = Line("L1", "Turnout, Code 83, #6 Left", 1, 1, 0)
    chosen = [
        {"line_id": "L5", "name": insulated.name, "quantity": 1},
        {"line_id": "L4", "name": plain.name, "quantity": 3},
    ]
    text = (
        "no wait, sorry. I just found two of the regular packs under the turnouts. so it's the "
        "insulated pack and only ONE regular pack"
    )
    assert units_after(chosen, text, [turnout, plain, insulated]) == {"L5": 1, "L4": 1}


def test_hold_on_is_a_pause_not_a_line_that_holds() -> None:
    """ "actually hold on, …" names no "Record Storage Box (Holds 100)"."""
    box = Line("L1", "45 RPM Record Storage Box (Holds 100)", 3, 3, 0)
    adapter = Line("L2", '7" 45 RPM Adapter, Aluminum', 4, 4, 0)
    chosen = [{"line_id": "L2", "name": adapter.name, "quantity": 3}]
    text = "actually hold on, just found another one stuck inside the sleeve pack. so only 2"
    assert apply_changes(chosen, text, [box, adapter]) is None


def test_a_thing_at_hand_named_for_what_it_is_goes_on_no_claim() -> None:
    """ "that bottle is the cedar & bergamot one … both sandalwood oils are missing"."""
    sandalwood = Line("L1", "Sandalwood Beard Oil, 30ml", 2, 2, 0)
    cedar = Line("L2", "Cedar & Bergamot Beard Oil, 30ml", 1, 1, 0)
    chosen = [{"line_id": "L1", "name": sandalwood.name, "quantity": 1}]
    text = (
        "wait no, sorry - I looked again and that bottle is the cedar & bergamot one. there's no "
        "sandalwood at all, so both sandalwood oils are missing, not one"
    )
    assert units_after(chosen, text, [sandalwood, cedar]) == {"L1": 2}
