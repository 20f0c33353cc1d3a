"""Matching what customers call the missing items to the order's lines."""

from __future__ import annotations

import pytest

from actions.common import client
from actions.items import (
    Line,
    by_measure,
    clips,
    each_counted,
    head_word,
    match_items,
    match_segment,
    means_everything,
    order_lines,
    parse_quantity,
)
from tests.actions.conftest import (
    JORDAN_EMAIL,
    JORDAN_SPLIT,
    MAYA_CLAIMED_ORDER,
    MAYA_EMAIL,
    MAYA_ORDER,
)

HEADPHONES = Line("STS-4829-1307-L1", "Wireless Over-Ear Headphones", 1, 1, 0)
CASE = Line("STS-4829-1307-L2", "Clear Phone Case", 2, 2, 0)
CABLE = Line("STS-4829-1307-L3", "USB-C Charging Cable (3-pack)", 1, 1, 0)
MAYA_LINES = [HEADPHONES, CASE, CABLE]


def matched(text: str) -> list[tuple[str, int | None, bool]]:
    return [(w.line.name, w.quantity, w.everything) for w in match_items(text, MAYA_LINES)]


def test_order_lines_of_a_picked_up_order(shared_desk) -> None:
    assert order_lines(client().lookup_order(MAYA_ORDER, MAYA_EMAIL)) == MAYA_LINES


def test_order_lines_leave_out_what_is_in_transit(shared_desk) -> None:
    lines = order_lines(client().lookup_order(JORDAN_SPLIT, JORDAN_EMAIL))
    assert [(line.name, line.claimable, line.in_transit) for line in lines] == [
        ("Stainless Steel Water Bottle", 2, 0),
        ("Non-Slip Yoga Mat", 0, 1),
    ]


def test_order_lines_leave_out_what_is_already_claimed(shared_desk) -> None:
    lines = order_lines(client().lookup_order(MAYA_CLAIMED_ORDER, MAYA_EMAIL))
    assert [(line.name, line.ordered, line.claimable) for line in lines] == [
        ("Matte Lipstick, Rosewood", 2, 2),
        ("Makeup Brush Set", 1, 0),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the headphones", [("Wireless Over-Ear Headphones", None, False)]),
        ("headphones", [("Wireless Over-Ear Headphones", None, False)]),
        ("2 phone cases", [("Clear Phone Case", 2, False)]),
        ("two phone cases", [("Clear Phone Case", 2, False)]),
        ("the phone case", [("Clear Phone Case", None, False)]),
        ("both phone cases", [("Clear Phone Case", 2, True)]),
        ("all the phone cases", [("Clear Phone Case", None, True)]),
        ("the usb cable", [("USB-C Charging Cable (3-pack)", None, False)]),
        ("Clear Phone Case", [("Clear Phone Case", None, False)]),
        (
            "1 phone case and the cable",
            [("Clear Phone Case", 1, False), ("USB-C Charging Cable (3-pack)", None, False)],
        ),
        (
            "headphones, 1 case",
            [("Wireless Over-Ear Headphones", None, False), ("Clear Phone Case", 1, False)],
        ),
    ],
)
def test_what_customers_type_matches_the_lines(text: str, expected: list) -> None:
    assert matched(text) == expected


def test_the_3_of_a_3_pack_is_not_a_quantity() -> None:
    assert matched("the USB-C Charging Cable (3-pack)") == [
        ("USB-C Charging Cable (3-pack)", None, False)
    ]


@pytest.mark.parametrize("text", ["a toaster", "the", "", "it was missing"])
def test_text_naming_no_line_matches_nothing(text: str) -> None:
    assert matched(text) == []


@pytest.mark.parametrize(
    ("text", "quantity"),
    [
        ("1", 1),
        ("2", 2),
        ("one", 1),
        ("both", 2),
        ("just one", 1),
        ("7", 7),
        ("none", None),
        ("one of my 2 hdmi cables is missing", 1),
        ("3 out of the 4 towels", 3),
        ("the cylinders came in the other box", None),  # a box, not a unit
        ("I picked it up the other day", None),
        ("the other glove", 1),
        ("the thinnest aluminum one isn't there", None),  # "one" points at a thing
        ("the box had one", 1),
        ("second pair of gloves not there", 1),  # an ordinal, no count of two
        ("the second pair of gloves was not there", 1),
        ("the second glove wasn't there", 1),
        ("the other gloves were not there", None),
        ("yes, the one pair of gloves", 1),  # a pair is the unit
    ],
)
def test_quantities(text: str, quantity: int | None) -> None:
    assert parse_quantity(text) == quantity


@pytest.mark.parametrize("text", ["everything", "All of it", "the whole order", "all of them"])
def test_everything(text: str) -> None:
    assert means_everything(text)


@pytest.mark.parametrize("text", ["the phone case", "all the phone cases", "both"])
def test_not_everything(text: str) -> None:
    assert not means_everything(text)


TOWELS = [
    Line("T1", "Cotton Bath Towel, Grey", 2, 2, 0),
    Line("T2", "Cotton Hand Towel, Grey", 2, 2, 0),
    Line("T3", "Bamboo Bath Mat", 1, 1, 0),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I got the headphones but the cable wasnt there", ["USB-C Charging Cable (3-pack)"]),
        ("the bag was missing the phone cases", ["Clear Phone Case"]),
        ("it wasnt in teh bag", []),
        ("hedphones and the charger never came", ["Wireless Over-Ear Headphones",
                                                  "USB-C Charging Cable (3-pack)"]),
        ("only the headphones were inside", []),
        ("hi, where is my order", []),
    ],
)  # fmt: skip
def test_in_a_story_only_what_is_said_to_be_missing_counts(text: str, expected: list) -> None:
    assert [w.line.name for w in match_items(text, MAYA_LINES, story=True)] == expected


def test_a_plural_alone_does_not_say_how_many() -> None:
    assert matched("the phone cases") == [("Clear Phone Case", None, False)]


def test_typos_need_the_first_letter_and_one_slip() -> None:
    assert [name for name, *_ in matched("hedphones")] == ["Wireless Over-Ear Headphones"]
    assert [name for name, *_ in matched("one of the cses")] == ["Clear Phone Case"]
    assert matched("am I talking to a real person") == []  # "real" is not "clear"
    assert match_items("hang on", TOWELS) == []  # "hang" is a word, not a slip of "hand"
    towels = [w.line.name for w in match_items("1 baht towel", TOWELS)]
    assert towels[0] == "Cotton Bath Towel, Grey"


def test_phone_is_not_headphones() -> None:
    assert "Wireless Over-Ear Headphones" not in [name for name, *_ in matched("the phone one")]


def test_words_that_fit_two_lines_keep_both_as_alternatives() -> None:
    (wanted,) = match_items("the grey towels", TOWELS)
    assert {wanted.line.name, *(a.name for a in wanted.alternatives)} == {
        "Cotton Bath Towel, Grey",
        "Cotton Hand Towel, Grey",
    }
    (bath,) = match_items("the bath towels", TOWELS)
    assert bath.line.name == "Cotton Bath Towel, Grey" and not bath.ambiguous


def test_the_grey_one_is_no_quantity() -> None:
    (wanted,) = match_items("the grey one", TOWELS)
    assert wanted.quantity is None


def test_the_numbers_of_a_name_are_no_quantity() -> None:
    blocks = [Line("B1", "Building Blocks Set (500 pcs)", 1, 1, 0)]
    assert [(w.line.name, w.quantity) for w in match_items("the building blocks", blocks)] == [
        ("Building Blocks Set (500 pcs)", None)
    ]
    assert parse_quantity("a few") is None


def test_a_word_before_the_order_describes_the_order_not_an_item() -> None:
    from actions.items import Line, match_segment, mentions_items

    bed = Line("G1", "Raised Garden Bed Kit", 1, 1, 0)
    gloves = Line("G2", "Garden Gloves, Women's M", 1, 1, 0)
    assert not mentions_items("some stuff is missing from my garden order", [bed, gloves])
    assert match_segment("the garden gloves", [bed, gloves]).line == gloves
    assert match_segment("the garden bed from the order", [bed, gloves]).line == bed


def test_a_word_of_letters_and_digits_names_its_line() -> None:
    kit = Line("K1", "LED Light Kit for Lunar Base", 1, 1, 0)
    cells = Line("K2", "9V Batteries 4-pack", 2, 2, 0)
    found = match_segment("one of the 9v packs", [kit, cells])
    assert found is not None and (found.line, found.quantity) == (cells, 1)
    tv = Line("T1", "Smart TV 4K, 55 in", 1, 1, 0)
    mount = Line("T2", "Wall Mount for TVs", 1, 1, 0)
    assert match_segment("the 4k one", [tv, mount]).line == tv
    assert match_segment("the 8k one", [tv, mount]) is None


def test_a_number_with_or_without_its_thousands_comma_is_one_number() -> None:
    low = Line("D1", "Vitamin D3 1,000 IU Softgels, 120-ct", 1, 1, 0)
    high = Line("D2", "Vitamin D3 4,000 IU Softgels, 90-ct", 1, 1, 0)
    assert match_segment("the 4000 IU one", [low, high]).line == high
    assert match_segment("the 1000 iu bottle", [low, high]).line == low


def test_a_word_in_its_ing_form_supports_a_match() -> None:
    wrap = Line("W1", "Gift Wrap Roll, Blue Stripe", 2, 2, 0)
    tissue = Line("W2", "Tissue Paper, White", 3, 3, 0)
    assert match_segment("the striped wrapping paper", [wrap, tissue]).line == wrap
    assert match_segment("the tissue paper", [wrap, tissue]).line == tissue
    # alone, a verb in -ing or -ed names nothing: "the other one rolled under the seat"
    assert match_segment("the other one rolled under the seat", [wrap, tissue]) is None
    assert match_segment("it was rolling around in the box", [wrap, tissue]) is None


def test_a_noun_supports_a_match_of_its_ing_form() -> None:
    tubing = Line("T1", "PTFE Tubing 2m (1.9mm ID)", 2, 2, 0)
    coupler = Line("T2", "Bowden Tube Coupler Fittings (10-pack)", 1, 1, 0)
    assert match_segment("one of the two PTFE tubes", [tubing, coupler]).line == tubing
    assert match_segment("the bowden coupler", [tubing, coupler]).line == coupler


def test_parts_keep_a_name_with_and_in_it_whole() -> None:
    from actions.items import parts

    kit = Line("N1", "Nuts & Bolts Assortment, 200 pcs", 1, 1, 0)
    assert parts("the nuts and bolts and the drill bits", [kit]) == [
        "the nuts_and_bolts",
        "the drill bits",
    ]
    assert match_segment("the nuts_and_bolts", [kit]).line == kit
    assert parts("the nuts and bolts") == ["the nuts", "bolts"]  # no lines, no names to keep


def test_a_word_that_only_describes_another_line_names_the_line_it_heads() -> None:
    laptop = Line("P1", "Laptop 15.6in Ryzen 7, 16GB/512GB", 1, 1, 0)
    sleeve = Line("P2", "Laptop Sleeve 15in", 1, 1, 0)
    found = match_segment("the laptop", [laptop, sleeve])
    assert (found.line, found.alternatives) == (laptop, ())
    assert match_segment("the laptop sleeve", [laptop, sleeve]).line == sleeve
    # a word that describes a noun in both names decides nothing: still ask which one
    seeds = Line("P3", "Heirloom Tomato Seed Collection", 2, 2, 0)
    trays = Line("P4", "Seed-Starting Trays, 10-pack", 1, 1, 0)
    found = match_segment("no seed packets in the box", [seeds, trays])
    assert {found.line, *found.alternatives} == {seeds, trays}


def test_a_size_no_other_line_has_names_its_line() -> None:
    from actions.items import Line, match_segment

    short = Line("H1", "HDMI Cable 2m", 2, 2, 0)
    long = Line("H2", "HDMI Cable 3m", 1, 1, 0)
    found = match_segment("the 3m", [short, long])
    assert found is not None and found.line == long
    assert match_segment("the 4m", [short, long]) is None


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("Laptop Sleeve 15 in", "sleeve"),
        ("Men's Trail Runner, 10.5", "runner"),
        ("UltraBook Pro 15.6-inch, 16GB", "ultrabook"),
        ("Charging Cable USB-C 2m", "cable"),
        ("Wool Socks (3 pairs)", "socks"),
        ("Board Game: Ticket to Anywhere", "game"),
        ("Dog Food - Chicken 5kg", "food"),
        ("T-Shirt, Blue", "shirt"),
        ("Bath Towel Set", "towel"),
        ("Pet Camera with Treat Tosser", "camera"),
        ("GPS Watch 'Summit Pro' 47mm", "watch"),  # a model's name in quotes says which one
        ("Headlamp 'Beacon 250'", "headlamp"),
        ("Men's Trail Runner 'Switchback', 10.5", "runner"),
    ],
)
def test_the_head_word_says_what_the_line_is(name: str, head: str) -> None:
    assert head_word(name) == head


BIG_BUNNY = Line("B1", 'Plush Bunny, 14"', 1, 1, 0)
SMALL_BUNNY = Line("B2", 'Plush Bunny, 8"', 2, 2, 0)


@pytest.mark.parametrize(
    ("text", "line", "quantity"),
    [
        ("the 8 inch bunnies", "B2", None),  # "-ies" is "-y"; an inch mark is "in"
        ('2 of the 8" bunnies', "B2", 2),  # 8" is a size, never a count
        ("the 14 inch one", "B1", None),
        ('Plush Bunny, 8"', "B2", None),
    ],
)
def test_sizes_in_inch_marks(text: str, line: str, quantity: int | None) -> None:
    found = match_segment(text, [BIG_BUNNY, SMALL_BUNNY])
    assert found is not None
    assert (found.line.line_id, found.quantity) == (line, quantity)
    assert found.line.name in {BIG_BUNNY.name, SMALL_BUNNY.name}  # the order's own name


def test_a_plural_in_ies_is_its_singular_both_ways() -> None:
    cookie = Line("K1", "Oat Cookie Tin", 1, 1, 0)
    battery = Line("K2", "Spare Battery", 1, 1, 0)
    assert match_segment("the cookies", [cookie, battery]).line == cookie
    assert match_segment("the batteries", [cookie, battery]).line == battery


def test_a_common_word_is_no_slip_of_a_name() -> None:
    """ "I'd rather go back to the store" names no black balloons."""
    black = Line("K3", "Latex Balloons, 50-pack, Black", 1, 1, 0)
    assert match_segment("I'd rather just go back to the store", [black]) is None
    assert match_segment("the blak ones", [black]).line == black  # a slip of a name word


def test_a_short_word_that_drops_a_consonant_is_a_word_of_its_own() -> None:
    """ "my bad" is no "band"; "cse" is still a case, with its vowel dropped."""
    band = Line("B1", "Pull-Up Assist Band, Heavy", 1, 1, 0)
    assert match_segment("my bad", [band]) is None
    assert match_segment("the bnd", [band]).line == band
    cell = Line("B2", "Salt Chlorine Generator Cell, 40K Gal", 1, 1, 0)
    assert match_segment("the cel", [cell]).line == cell  # a double letter typed once


@pytest.mark.parametrize(
    ("text", "line_id"),
    [
        ("the long foam roller", "R2"),
        ("short foam roller", "R1"),
        ("the foam roller", None),  # no measure said: still either
    ],
)
def test_a_measure_word_picks_among_lines_alike_but_for_a_number(text, line_id) -> None:
    short = Line("R1", "Foam Roller 18 in", 1, 1, 0)
    long = Line("R2", "Foam Roller 36 in", 1, 1, 0)
    found = match_segment(text, [short, long])
    if line_id is None:
        assert found.ambiguous
    else:
        assert found.line.line_id == line_id and not found.ambiguous


def test_a_measure_word_alone_picks_unless_the_names_have_it() -> None:
    small = Line("S1", "T-Shirt, Small", 1, 1, 0)
    large = Line("S2", "T-Shirt, Large", 1, 1, 0)
    assert by_measure("the large one", [small, large]) is None
    short = Line("R1", "Foam Roller 18 in", 1, 1, 0)
    long = Line("R2", "Foam Roller 36 in", 1, 1, 0)
    assert by_measure("the smaller one", [short, long]) == short  # an answer to "which one?"


def test_a_count_of_every_unit_of_the_lines_it_fits_names_each() -> None:
    six = Line("C1", "Ceramic Planter, 6 in, Matte White", 1, 1, 0)
    eight = Line("C2", "Ceramic Planter, 8 in, Matte White", 1, 1, 0)
    both = match_segment("the two white ceramic planters", [six, eight])
    assert {(w.line.line_id, w.quantity) for w in each_counted(both, "the two planters")} == {
        ("C1", 1),
        ("C2", 1),
    }
    pair = match_segment("the planter pair", [six, eight])
    assert pair.quantity == 2 and pair.ambiguous
    assert each_counted(pair, "the planter pair") == [pair]  # a pair is one thing


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("immersion blender", "Immersion Blender, 2-Speed"),  # the blender, not its whisk
        (
            "the stick blender - the immersion one, not the countertop one",
            "Immersion Blender, 2-Speed",
        ),
        ("the whisk", "Whisk Attachment for Immersion Blender"),
    ],
)
def test_words_that_fit_lines_equally_pick_the_one_whose_head_they_name(
    text: str, name: str
) -> None:
    lines = [
        Line("B1", "Immersion Blender, 2-Speed", 1, 1, 0),
        Line("B2", "Countertop Blender, 48 oz", 1, 1, 0),
        Line("B3", "Whisk Attachment for Immersion Blender", 1, 1, 0),
    ]
    found = match_segment(text, lines)
    assert found is not None and found.line.name == name and not found.ambiguous


@pytest.mark.parametrize("text", ["the size 11", "the 11s", "size 11 shoes"])
def test_a_size_said_as_such_finds_the_name_that_writes_it_bare(text: str) -> None:
    lines = [
        Line("R1", "Men's Trail Runner, 10.5", 1, 1, 0),
        Line("R2", "Men's Trail Runner, 11", 1, 1, 0),
        Line("R3", "Merino Hiking Socks, 3-pack", 2, 2, 0),
    ]
    found = match_segment(text, lines)
    assert found is not None and found.line.line_id == "R2" and found.quantity is None


def test_a_measure_of_the_name_is_no_count() -> None:
    """ "A few of my 4 cup containers": 4 cup is which container, not how many."""
    lines = [
        Line("C1", "Snap-Lid Container, 1.5 Cup", 6, 6, 0),
        Line("C2", "Snap-Lid Container, 4 Cup", 4, 4, 0),
    ]
    [found] = match_items("a few of my 4 cup containers are missing", lines)
    assert found.line.line_id == "C2" and found.quantity is None
    [counted] = match_items("3 of the 4-cup containers are missing", lines)
    assert counted.quantity == 3


def test_a_word_said_twice_in_a_name_counts_once() -> None:
    bunk = Line("B", "Bunk Bed, Twin over Twin, Espresso", 1, 1, 0)
    mattress = Line("M", 'Twin Mattress, Firm, 8"', 2, 2, 0)
    found = match_segment("a twin matress", [bunk, mattress])
    assert found is not None and found.line == mattress


def test_a_name_inside_a_longer_name_yields_to_the_longer_one() -> None:
    """ "Azul Summer Pavilion" is "Azul: Summer Pavilion", though it holds "Azul"."""
    azul = Line("Z1", "Azul", 1, 1, 0)
    pavilion = Line("Z2", "Azul: Summer Pavilion", 1, 1, 0)
    assert match_segment("Azul Summer Pavilion", [azul, pavilion]).line == pavilion
    assert match_segment("the azul", [azul, pavilion]).line == azul


SUBWOOFER = Line("L1", "12-in Subwoofer, 2-Ohm DVC", 2, 2, 0)
AMPLIFIER = Line("L2", "Monoblock Amplifier, 1500W", 1, 1, 0)
WIRING_KIT = Line("L3", "4 AWG Amp Wiring Kit", 1, 1, 0)
SUB_BOX = Line("L4", "Dual 12-in Sealed Sub Enclosure, Carpeted", 1, 0, 1)
CAR_AUDIO = [SUBWOOFER, AMPLIFIER, WIRING_KIT, SUB_BOX]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("the 12 inch sub", SUBWOOFER),
        ("one sub", SUBWOOFER),
        ("two subs", SUBWOOFER),
        ("the amp", AMPLIFIER),  # the amplifier, not the kit for one
        ("the amp wiring kit", WIRING_KIT),
        ("the enclosure", SUB_BOX),
    ],
)
def test_a_head_word_cut_short_names_its_line_before_a_word_that_only_describes(
    text: str, line: Line
) -> None:
    found = match_segment(text, CAR_AUDIO)
    assert found is not None and (found.line, found.alternatives) == (line, ())


@pytest.mark.parametrize(
    ("word", "name_word"), [("just", "justice"), ("su", "subwoofer"), ("cable", "cables")]
)
def test_a_chat_word_a_short_word_or_another_word_is_no_clipped_name(
    word: str, name_word: str
) -> None:
    assert not clips(word, name_word)


def test_just_the_one_is_a_count_of_one_and_the_one_with_points() -> None:
    assert parse_quantity("just the one") == 1
    assert parse_quantity("only the one") == 1
    assert parse_quantity("only the one with the veil") is None


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("the medium raincoat", "Dog Raincoat, Size M"),
        ("the small one", "Dog Raincoat, Size S"),
        ("the gallon shampoo", "Whitening Dog Shampoo, 1 gal"),
    ],
)
def test_sizes_and_units_spelled_out_name_the_line_that_abbreviates_them(text, names) -> None:
    lines = [
        Line("R1", "Dog Raincoat, Size S", 1, 1, 0),
        Line("R2", "Dog Raincoat, Size M", 1, 1, 0),
        Line("S1", "Whitening Dog Shampoo, 1 gal", 1, 1, 0),
        Line("S2", "Whitening Dog Shampoo, 16 oz", 1, 1, 0),
    ]
    options = [line for line in lines if line.name.split(",")[0] in names]
    [wanted] = match_items(text, options)
    assert wanted.line.name == names and not wanted.ambiguous


def test_a_number_pair_of_the_name_is_no_count() -> None:
    from actions.items import match_segment

    needles = Line("N1", "Universal Machine Needles 90/14, 5-pack", 2, 2, 0)
    jersey = Line("N2", "Jersey Ballpoint Needles 80/12, 5-pack", 1, 1, 0)
    assert match_segment("the universal 90/14", [needles, jersey]).quantity is None
    assert match_segment("2 of the 90/14 needles", [needles, jersey]).quantity == 2


def test_a_number_of_the_name_before_a_word_of_the_name_is_no_count() -> None:
    from actions.items import match_segment

    darts = Line("D1", "Foam Darts Refill 50-pack", 2, 2, 0)
    assert match_segment("only one pack of the 50 darts", [darts]).quantity == 1
    cable = Line("C1", "USB Cable 2m", 3, 3, 0)
    assert match_segment("2 cables", [cable]).quantity == 2  # a count of the plural


@pytest.mark.parametrize("text", ["dashcam", "the dash-cam", "both dashcams"])
def test_a_compound_typed_joined_names_its_line(text: str) -> None:
    lines = [Line("C", "12V Dual USB-C Car Charger", 1, 1, 0), Line("D", "Dash Cam 1440p", 1, 1, 0)]
    found = match_segment(text, lines)
    assert found is not None and found.line.line_id == "D" and not found.ambiguous


def test_a_compound_typed_split_names_its_line() -> None:
    lines = [Line("H", "Noise Cancelling Headphones", 1, 1, 0), Line("M", "Phone Mount", 1, 1, 0)]
    found = match_segment("the head phones", lines)
    assert found is not None and found.line.line_id == "H"


BLADES = [
    Line("B22", "Beam Wiper Blade, 22 in", 1, 1, 0),
    Line("B18", "Beam Wiper Blade, 18 in", 1, 1, 0),
    Line("R12", "Rear Wiper Blade, 12 in", 1, 1, 0),
]


@pytest.mark.parametrize(("text", "line_id"), [("the 18", "B18"), ("the 22 one", "B22")])
def test_a_number_pointed_at_is_the_size_in_one_name(text: str, line_id: str) -> None:
    found = match_segment(text, BLADES)
    assert found is not None and found.line.line_id == line_id and found.quantity is None


def test_a_size_pointed_at_after_the_kind_is_no_count() -> None:
    found = match_segment("all the wiper blades - the 22", BLADES)
    assert found is not None and found.line.line_id == "B22" and found.quantity is None


def test_a_line_set_aside_in_brackets_and_a_percentage_are_no_choice_or_count() -> None:
    ten = Line("U1", "T5 HO UVB Bulb 10.0, 24 in", 2, 2, 0)
    six = Line("U2", "T5 HO UVB Bulb 6%, 24 in", 1, 1, 0)
    found = match_segment("the t5 10.0 bulb (not the 6%)", [ten, six])
    assert found.line == ten and not found.alternatives and found.quantity is None


def test_yes_thats_correct_names_no_corrector() -> None:
    corrector = Line("P1", "Spine Corrector Cushion", 1, 1, 0)
    barrel = Line("P2", "Pilates Arc Barrel", 1, 1, 0)
    assert match_segment("yes, that's correct.", [corrector, barrel]) is None
    assert match_segment("the spine corrector", [corrector, barrel]).line == corrector


@pytest.mark.parametrize("text", ["the 60 degree", "60 deg", "the 60° wedge", "60 degrees"])
def test_degrees_written_out_name_the_line_with_the_mark(text: str) -> None:
    wedges = [Line(f"L{n}", f"Wedge {n}°, Raw Finish", 1, 1, 0) for n in (52, 56, 60)]
    found = match_segment(text, wedges)
    assert found is not None and found.line == wedges[2] and not found.alternatives


def test_a_measures_fraction_is_no_count_and_not_a_single_is_all() -> None:
    half = Line("V2", "Ball Valve, 1/2 in. Full Port, Lead-Free Brass", 2, 2, 0)
    three_quarter = Line("V1", "Ball Valve, 3/4 in. Full Port, Lead-Free Brass", 2, 2, 0)
    found = match_segment("my 1/2 inch ball vavles didnt come in the box", [three_quarter, half])
    assert found is not None and found.line == half and found.quantity is None
    elbow = Line("E1", "Push-Fit Elbow 1/2 in.", 6, 6, 0)
    none_came = match_segment("there was not a single push-fit elbow in it", [elbow])
    assert none_came is not None and none_came.everything


def test_a_count_before_the_items_noun_is_no_size() -> None:
    """ "2 fenders" counts the fenders; it does not point at the "2-pack" fender line."""
    fender = Line("L1", "Boat Fender 6.5 x 23 in", 4, 4, 0)
    fender_line = Line("L2", "Fender Line 3/8 in x 6 ft, 2-pack", 2, 2, 0)
    found = match_items("2 fenders", [fender, fender_line], story=False)
    assert [(want.line, want.quantity) for want in found] == [(fender, 2)]
    paints = Line("L3", "Acrylic Paint Set, 12 Colors", 1, 1, 0)
    big = Line("L4", "Acrylic Paint Set, 24 Colors", 1, 1, 0)
    assert [want.line for want in match_items("the 12 colors set", [paints, big])] == [paints]


def test_words_of_a_mix_up_are_no_slip_of_a_name() -> None:
    """ "I mixed them up" says nothing of the Stand Mixer; "mixing bowl" still names its line."""
    mixer = Line("L1", "Pro 7-Qt Bowl-Lift Stand Mixer, Silver", 1, 1, 0)
    bowl = Line("L2", "Stainless Mixing Bowl, 7-Qt", 1, 1, 0)
    assert match_items("I mixed them up", [mixer, bowl]) == []
    assert [want.line for want in match_items("the mixing bowl", [mixer, bowl])] == [bowl]


def test_a_names_number_after_its_abbreviation_names_the_line_and_counts_nothing() -> None:
    from actions.item_choice import choose_items

    two = Line("V2", "Ballet Class Music, Vol. 2 (CD)", 1, 1, 0)
    three = Line("V3", "Ballet Class Music, Vol. 3 (CD)", 1, 1, 0)
    skirt = Line("S1", "Teacher Wrap Skirt, Black, Adult L", 1, 1, 0)
    for text, line in [("Vol. 2", two), ("vol 3", three), ("the Vol. 3 CD wasn't there", three)]:
        [want] = choose_items(text, [two, three, skirt], answering=True).wanted
        assert (want.line, want.quantity, want.alternatives) == (line, None, ())


def test_an_ordinal_counts_in_words_that_name_no_item_only_with_one() -> None:
    from actions.items import parse_unnamed_count

    assert parse_unnamed_count("haha you're quicker than the last chat I used") is None
    assert parse_unnamed_count("the second time I asked") is None
    assert parse_unnamed_count("just the other one") == 1
    assert parse_unnamed_count("make that 2") == 2


def test_an_apposition_that_picks_one_of_the_lines_reads_as_one_phrase() -> None:
    from actions.items import narrowed_appositions

    cork = Line("L3", "Cork Coaster Set (12-pack)", 1, 1, 0)
    paper = Line("L4", "Beer Coaster Pack, Pulpboard (100)", 2, 2, 0)
    text = "missing is one pack of the paper coasters, the pulpboard ones. can you change it?"
    narrowed = narrowed_appositions(text, [cork, paper])
    assert match_segment(narrowed.split(".")[0], [cork, paper]).line == paper
    # the cable, the long one: one line only, so nothing to tell apart and nothing rewritten
    cable = Line("C1", "Charging Cable 2m", 1, 1, 0)
    assert narrowed_appositions("the cable, the long one", [cable]) == "the cable, the long one"
