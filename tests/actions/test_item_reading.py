"""Which lines a message says are missing, and which it says arrived (actions/item_reading.py)."""

from __future__ import annotations

import pytest

from actions.item_reading import read_items, tells_of_missing_goods
from actions.items import Line

SPEAKER = Line("L1", "Portable Bluetooth Speaker", 1, 1, 0)
BATTERIES = Line("L2", "AA Batteries (24-pack)", 1, 1, 0)
BOOTS = Line("L3", "Kids' Rain Boots, Size 11", 2, 2, 0)
JACKET = Line("L4", "Men's Rain Jacket", 1, 1, 0)
ORDER = [SPEAKER, BATTERIES, BOOTS, JACKET]
VACUUM = Line("V1", "Cordless Stick Vacuum", 1, 1, 0)
FILTERS = Line("V2", "Vacuum Replacement Filters (2-pack)", 1, 1, 0)


def missing(text: str, lines: list[Line] = ORDER, answering: bool = False) -> set[str]:
    return {want.line.line_id for want in read_items(text, lines, answering).missing}


def received(text: str, lines: list[Line] = ORDER, answering: bool = False) -> set[str]:
    return {line.line_id for line in read_items(text, lines, answering).received}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I ordered the speaker, the batteries, boots for my kid and a jacket for me, got home "
         "and the jacket is nowhere", {"L4"}),
        ("the speaker was not there", {"L1"}),
        ("no boots in the bag", {"L3"}),
        ("I got everything except the boots", {"L3"}),
        ("the speaker and the batteries weren't there", {"L1", "L2"}),
        ("I got the speaker but the batteries were missing", {"L2"}),
        ("bag had the batteries and the jacket, no speaker", {"L1"}),
        ("hi, picked up my order yesterday and the jacket was msising", {"L4"}),
        ("they forgot to put the speaker in", {"L1"}),
        ("the speaker wasn't there, and I'm also one battery short", {"L1", "L2"}),
        ("we're a jacket short", {"L4"}),
        ("the jacket is a bit short", set()),  # its fit
    ],
)  # fmt: skip
def test_a_story_puts_only_what_it_says_is_missing_on_the_missing_side(text, expected):
    assert missing(text) == expected


def test_what_arrived_goes_on_the_received_side():
    assert missing("The vacuum itself is not in the box, only the filters", [VACUUM, FILTERS]) == {
        "V1"
    }
    assert received("The vacuum itself is not in the box, only the filters", [VACUUM, FILTERS]) == {
        "V2"
    }
    assert received("only the speaker was in there", answering=True) == {"L1"}
    assert missing("only the speaker was in there", answering=True) == set()
    assert received("everything except the boots was missing", answering=True) == {"L3"}
    assert received("the speaker wasn't missing after all") == {"L1"}


def test_bare_names_are_missing_only_as_an_answer():
    assert missing("the speaker and the batteries", answering=True) == {"L1", "L2"}
    assert missing("the speaker and the batteries") == set()


def test_a_list_between_two_cues_is_not_guessed():
    """'I got the X, the Y and the Z weren't there': Y could be either, so it is not missing."""
    text = "I got the speaker, the batteries and the boots weren't there"
    assert missing(text) == {"L3"}
    assert "L2" not in missing(text)


def test_a_button_name_with_commas_and_numbers_is_one_item():
    reading = read_items("Kids' Rain Boots, Size 11", ORDER, answering=True)
    assert [(w.line.line_id, w.quantity) for w in reading.missing] == [("L3", None)]
    reading = read_items("one of the boots", ORDER, answering=True)
    assert [(w.line.line_id, w.quantity) for w in reading.missing] == [("L3", 1)]


def test_everything_missing_is_said_as_such():
    assert read_items("the bag was empty, nothing was in it", ORDER).everything_missing
    assert not read_items("the bag had everything but the speaker", ORDER).everything_missing


@pytest.mark.parametrize(
    "text",
    [
        "my ship to store order came without everything",
        "part of my order wasn't in the bag",
        "hello, my order is incomplete",
        "not everything was in the bag",
        "some stuff was missing from my pickup",
    ],
)
def test_a_partial_order_is_not_everything_missing(text):
    reading = read_items(text, ORDER)
    assert not reading.everything_missing and not reading.missing


def test_only_in_an_answer_restricts_what_is_missing():
    assert missing("just one pair of boots", answering=True) == {"L3"}
    assert missing("only the jacket", answering=True) == {"L4"}


def test_a_sentence_that_starts_with_its_own_clause_does_not_govern_a_list():
    text = "picked up my order yesterday, the speaker and the batteries are missing"
    assert missing(text) == {"L1", "L2"}
    text = "hello, order number STS 4829 1307, my speaker and my jacket are missing"
    assert missing(text) == {"L1", "L4"}


def test_only_right_after_a_cue_belongs_to_it():
    assert missing("hey i'm missing just one pair of boots from the order i picked up") == {"L3"}
    assert missing("there's no sign of just one pair of boots and the jacket") == {"L3", "L4"}


def test_only_contrasts_a_missing_clause_only_when_that_clause_names_its_item():
    assert missing("the two pairs of boots and just one jacket", answering=True) == {"L3", "L4"}


def test_a_decimal_is_no_full_stop():
    sizes = [Line("S1", "Men's Trail Runner, Size 10.5", 1, 1, 0), JACKET]
    reading = read_items("the trail runner, size 10.5. and the jacket", sizes, answering=True)
    assert [(w.line.line_id, w.quantity) for w in reading.missing] == [("S1", None), ("L4", None)]


def test_a_verb_about_the_order_says_nothing_about_the_items():
    text = "hi, i'm missing the jacket and 2 of the batteries from the order i picked up today"
    reading = read_items(text, ORDER)
    assert {w.line.line_id: w.quantity for w in reading.missing} == {"L4": None, "L2": 2}
    assert received("the bag had the batteries and the jacket, no speaker") == {"L2", "L4"}


@pytest.mark.parametrize(
    "text",
    [
        "my sons cleats wernt in the bag",
        "got one lamp instead of two",
        "all I got was the shirt and the belt",
        "the charger is missing",
        "only the case came",
        "the order isn't complete",
        "we are short a towel",
        "they did not include the lid",
        "ordered 6, got 3",
        "Receipt lists 5 items, bag had 4.",
        "there was supposed to be a charger in my order and there wasn't",
        "got home and the two phone cases weren't insdie",
        "got 1 rubber bone but I paid for 2",
        "my bath towels are short",
        "the tent footprint wasn't with my tent",
        "the rug came but the cushions didnt, same order",  # the verb left out
        "Bag from the store had the tent only.",  # the restriction after what came
        "the lizard hide you didn't pack",
        "nothing missing except the lid",  # an exception to the denial
        "nothing's missing but the lid",
    ],
)
def test_a_shortfall_in_any_words_the_grammar_knows(text: str) -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall(text)


@pytest.mark.parametrize(
    "text",
    [
        "the lamp shade arrived bent",
        "I want to talk about the staff",
        "the box got wet",
        "The dress I picked up doesn't fit",
        "dented pan in my order, not happy",
        "how do i cancel an order that hasnt been picked up",
        "I ordered 2 and got 2 but one is broken",
        "got 2 mugs and I paid for 2",
        "I wanted to come by but I didn't, sorry",
        "I have a question about pickup only",
        "Nothing's wrong with the order, I just need the paperwork",  # a fault denied
        "no problem with the order, thanks",
        "it shipped on monday but nothing since",  # news denied, not goods
        "got an email saying shipped but nothing from the store",  # no word from the store
        "no update on my order for a week",
        "is the charger at the store or not",  # a question's tag, not a denial
        "Do you have the black leather half chaps in size 5 in stock?",  # "half" of a name
        "my order was all there but the shirt has a hole in it",  # all came: not "all I got"
        "before I forget - how long does a refund take to show up on my card?",  # I forget
        "I forgot my password",
        "hmm actually nothing's missing. I just don't like the sencha, can I return it?",
        "nothing is missing after all, both spools came",
        "the eyepiece I got is 2 inch and my focuser only takes 1.25",  # what a thing takes
        "I just meant to order black",
        "actually it's not about anything missing. the printer works fine but it's way louder "
        "than I expected and I just want to return it",
        "there isn't anything missing",
        "nothing is missing, but I want to return it",
        "can you write me a short poem about candles for my etsy shop",  # a length
        "do you ship to home or is it only ship to store",  # what the store does
        "it hasn't got to the store yet",  # the order's way
        "actually forget the missing thing, I'd rather send it all back",  # let go
        "never mind about the missing charger",
        "ah ok no worries, thanks anyway!",  # manners after "no"
    ],
)
def test_no_shortfall_where_nothing_is_short(text: str) -> None:
    from actions.item_reading import tells_of_shortfall

    assert not tells_of_shortfall(text)


@pytest.mark.parametrize(
    "text",
    [
        "the vacuum was not included",
        "my bag was short two things",
        "the kettle wasn't in my box",
        "ordered 6, got 3",
        "my order was incomplete",
        "the msising lamp",
        "I ordered deck screws and post caps. The post caps weren't in there.",
        "opened the box and the track pack wasn't in it",
        "hope you're having a nice day. my rolled oats didn't make it into my bag",
        "so one of my bath towels didn't make it lol",
        "the tent footprint wasn't with my tent",
        "the stitch markers weren't in my yarn order",
        "i think u forgot to pack the cushions",
        "got the table and 2 chairs. where are the other 2?",
        "the desk lamp isn't here. what happened?",
        "the box said 4 candles but only 3 were in it",
        "u forgot to add the gift card to my bag",
        "there was no blender in the box I picked up",
        "forget it, the lamp is missing",  # "forget it" lets go of nothing named missing
        "picked everything up but the garden hose wasnt there",
        "the chiar mat wasnt in my pakage",  # a slip of a container word
        "only received one of the two toasters",
        "got 2 out of 3 lamps",
        "None of the boxwoods were in my delivery!",
        "small problem with my order, the valve caps weren't in it",  # "it": the order
        "only 3 of the 5 gallons of paint were in the bag",  # a restricted part of a count
        "the clerk handed me a bag with just the descaling solution, where is the rest?",
        "i ordered 12 bags of mulch and they loaded 8",  # a count the store gave
    ],
)
def test_goods_said_to_be_missing(text: str) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert tells_of_missing_goods(text)


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my password",
        "lost my receipt, can you send it again",
        "I didn't get the discount at checkout",
        "the package wasn't there when I went to the store",
        "can't log in to my account",
        "my order didn't come yet",
        "the coupon code isn't in there anymore",
        "my order number wasn't in it",
        "I can't make it to the store today",
        "sorry, I couldn't make it before closing",
        "I was not with him when he picked it up",
        "my order didn't make it to the store",
        "I forgot to add a coupon",
        "only 2 of my 3 packages came",  # the packages' way, not goods left out
        "my order shipped but no tracking link was in it",  # nothing that comes in a box
        "I got an email, where is my other order?",
        "my order isn't here yet",
        "forgot to add my voucher, can you apply it",
        "I only have 2 days to pick it up",
        "no receipt in the bag",
        "my husband wasn't there to pick it up",
        "the second box isn't there",
        "received 1 of my 2 packages so far",
        "got 3 of the 3 shelves, thanks",
        "it all came without any problems",
        "my order arrived without a receipt",
        "I picked up my order but no sign of my package",
        "my order has shipped but not arrived",
        "the package has arrived but not the second one",
    ],
)
def test_lost_forgotten_or_late_is_no_missing_goods(text: str) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert not tells_of_missing_goods(text)


def test_a_clause_ending_in_was_or_were_says_what_arrived() -> None:
    charger = Line("C1", "Phone Charger 20W USB-C", 1, 1, 0)
    cable = Line("C2", "Charging Cable USB-C to Lightning, 1m", 2, 2, 0)
    pad = Line("C3", "Wireless Charger Pad 15W", 1, 1, 0)
    reading = read_items("no cables in the box, the pad was", [charger, cable, pad])
    assert [w.line for w in reading.missing] == [cable]
    assert reading.received == (pad,)


CHARGER = Line("C1", "Phone Charger 20W USB-C", 1, 1, 0)
CABLES = Line("C2", "Charging Cable USB-C to Lightning 1m", 2, 2, 0)
PAD = Line("C3", "Wireless Charger Pad 15W", 1, 1, 0)
CHARGING = [CHARGER, CABLES, PAD]


@pytest.mark.parametrize(
    "text",
    [
        "the charging cables are missing from my order. not the charger, the cables",
        "not the charger but the cable is missing",
    ],
)
def test_not_the_x_sets_x_aside(text: str) -> None:
    assert missing(text, CHARGING) == {"C2"}


def test_not_the_x_in_an_answer_leaves_the_other_item() -> None:
    assert missing("the cable, not the charger", CHARGING, answering=True) == {"C2"}
    assert missing("not the charger, the cables", CHARGING, answering=True) == {"C2"}


def test_only_n_of_a_line_leaves_the_rest_missing() -> None:
    mittens = Line("M1", "Wool Mittens, Kids M", 2, 2, 0)
    jacket = Line("M2", "Kids' Winter Jacket, Size 6", 1, 1, 0)
    story = "the jacket was there but only ONE pair of mittens (I ordered 2)"
    reading = read_items(story, [mittens, jacket])
    assert [(w.line, w.quantity) for w in reading.missing] == [(mittens, 1)]
    assert reading.received == (jacket,)
    assert not read_items("only the jacket came", [mittens, jacket]).missing


def test_an_item_named_as_a_place_is_not_read() -> None:
    bath = Line("T1", "Bath Towel, Charcoal", 4, 4, 0)
    cloths = Line("T2", "Washcloth 6-pack, Charcoal", 1, 1, 0)
    reading = read_items("I found one more folded inside the washcloths", [bath, cloths])
    assert not reading.names_items


def test_everything_except_a_list_puts_the_whole_list_on_the_received_side() -> None:
    vest = Line("R1", "Hydration Vest 5L", 1, 1, 0)
    poles = Line("R2", "Trekking Poles (Pair), Carbon", 1, 1, 0)
    lamp = Line("R3", "Headlamp 400-Lumen", 1, 1, 0)
    text = "everything except the shoes and the vest. so the poles and the headlamp"
    reading = read_items(text, [vest, poles, lamp], answering=True)
    assert {w.line for w in reading.missing} == {poles, lamp}
    assert reading.received == (vest,)


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("I got the boots and the vest. That's it.", True),
        ("the sheets were in the box but the small ones weren't. I'm amara@example.org", True),
        ("that's it, thanks", False),
        ("The dress doesn't fit. I'm annoyed", False),
    ],
)
def test_a_shortfall_is_read_sentence_by_sentence(text: str, short: bool) -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall(text) is short


TENT = Line("P1", "2-Person Backpacking Tent", 1, 1, 0)
FOOTPRINT = Line("P2", "Tent Footprint", 1, 1, 0)


@pytest.mark.parametrize(
    "text",
    [
        "the tent footprint wasn't with my tent",
        "the footprint didn't come with the tent",
        "the tent came but not the footprint",
        "I got the tent and not the footprint",
    ],
)
def test_what_came_with_a_missing_item_is_not_missing(text: str) -> None:
    from actions.item_reading import tells_of_shortfall

    assert missing(text, [TENT, FOOTPRINT]) == {"P2"}
    assert tells_of_shortfall(text)


def test_a_compound_typed_in_two_words_is_read_as_one() -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall("hii my ordr came with out the hedlamp and the bateries")
    assert missing("came with out the speaker") == {"L1"}


@pytest.mark.parametrize(
    ("text", "came"),
    [("I only got one of the three", True), ("just 1 came", True), ("one is missing", False)],
)
def test_a_count_of_what_came(text: str, came: bool) -> None:
    from actions.item_reading import counts_what_came

    assert counts_what_came(text) is came


def test_what_an_item_is_for_is_not_the_item() -> None:
    blower = Line("B1", "Cordless Leaf Blower 40V", 1, 1, 0)
    battery = Line("B2", "40V Battery 4.0Ah", 2, 2, 0)
    reading = read_items("both batteries for my blower are missing", [blower, battery])
    assert [(w.line, w.quantity) for w in reading.missing] == [(battery, 2)]
    assert missing("the blower is missing", [blower, battery]) == {"B1"}


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("Why is my order short? I paid for 3 shirts and there's 2", True),
        ("i ordered 4 chairs and there were 3 boxes", True),
        ("I ordered 6 cans of paint and the store gave me 4", True),
        ("I ordered 3 and 3 came", False),
        ("ONE 12 inch sub came, I paid for two subs", True),  # the count before its verb
        ("ordered a set of 4 plates got 2", True),
        ("i ordred 10 things got 7", True),
        ("I ordered it on the 3rd and got 2 emails", False),
        ("ordered 2 12 in subs, one came", True),  # "12 in": a size, not a count
        ("ordered 3 days ago, 2 packages came", False),  # "3 days": a time
        ("I paid for 2 and both came", False),
        ("the staff just ignored me", False),  # "just" of a manner, not of what came
        ("lol sorry my cat just walked across the keyboard", False),
        ("the bag only contained the lid", True),
        ("only red came", True),
        ("can i just show the email on my phone when I pick up", False),  # "just" softens
        ("can I just talk to someone? this is taking forever", False),
        ("why did you only send one?", True),
        ("they could only find one of my bags", True),
        ("box has the spigot but not the bucket", True),  # what came held one, not the other
        ("the box had a receipt but no tracking number", False),
        ("I ordered sts 6671 2038 and got 2 items", False),
        ("hi i collected my order and im short 2 items", True),
        ("You guys shorted me on my order", True),
        ("they said nothing's there. order 9930-2781", True),
        ("Just want to say the staff at the store were amazing, thanks!", False),
        ("can my sister pick up my order instead of me", False),
        ("how do i return something i bought online", False),
        ("some of the items are missing", True),
        ("half my stuff isn't here", True),
        ("wrong contents - i got the bag but its short the snow brush", True),  # short of it
    ],
)
def test_a_count_that_came_below_the_count_due(text: str, short: bool) -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall(text) is short


def test_everything_but_an_item_is_everything_except_it() -> None:
    seed = Line("S1", "Bird Seed Mix, 20 lb", 1, 1, 0)
    feeder = Line("S2", "Hummingbird Feeder", 1, 1, 0)
    assert missing("Everything came but the bird seed.", [seed, feeder]) == {"S1"}
    assert missing("Everything looked fine but the feeder was missing", [seed, feeder]) == {"S2"}


def test_every_item_of_a_list_after_a_leading_cue_is_missing() -> None:
    ring = Line("J1", "Sterling Silver Stacking Ring, Size 7", 1, 1, 0)
    boxes = Line("J2", "Jewelry Gift Box, Small", 2, 2, 0)
    studs = Line("J3", "14K Gold Stud Earrings, 5mm", 1, 1, 0)
    text = "missing from my pickup: the stacking ring, the gift boxes and the gold studs"
    assert missing(text, [ring, boxes, studs]) == {"J1", "J2", "J3"}


LAPTOP = Line("P1", "UltraBook Pro 15.6-inch, 16GB", 1, 1, 0)
SLEEVE = Line("P2", "Laptop Sleeve 15 in", 1, 1, 0)
MOUSE = Line("P3", "Wireless Mouse", 1, 1, 0)
HUB = Line("P4", "USB-C Hub 7-in-1", 1, 1, 0)
COMPUTER = [LAPTOP, SLEEVE, MOUSE, HUB]


def test_a_thing_named_by_what_another_is_for_is_not_that_other() -> None:
    """The sleeve came; "the laptop" it is for is another line, not the sleeve."""
    text = "the laptap wasnt in the bag!!! ony the sleve and mouse and hub"
    assert missing(text, COMPUTER) == set()
    assert received(text, COMPUTER) == {"P2", "P3", "P4"}


def test_only_after_a_sentence_of_absence_is_what_came() -> None:
    assert received("The mouse isn't here. Only the hub and the sleeve.", COMPUTER) == {"P4", "P2"}
    assert missing("The mouse isn't here. Only the hub and the sleeve.", COMPUTER) == {"P3"}


def test_a_line_named_only_by_what_it_is_for_is_partly_named() -> None:
    assert read_items("the laptop", COMPUTER, answering=True).partly_named == ("P2",)
    assert read_items("the sleeve", COMPUTER, answering=True).partly_named == ()


def test_the_in_of_a_compound_is_no_cue_of_arrival() -> None:
    monitor = Line("B1", "Baby Monitor, 5 in Video", 1, 1, 0)
    adapter = Line("B2", "Baby Monitor Power Adapter", 1, 1, 0)
    pad = Line("B3", "Wireless Charging Pad", 1, 1, 0)
    text = "the plug-in power adapter for the monitor. the charging pad is here"
    assert missing(text, [monitor, adapter, pad], answering=True) == {"B2"}
    assert received(text, [monitor, adapter, pad], answering=True) == {"B3"}


def test_also_and_too_carry_what_was_just_said() -> None:
    assert missing("the speaker is missing and also one of the boots") == {"L1", "L3"}
    assert received("the jacket came, the batteries too") == {"L4", "L2"}


def test_a_shopper_who_cannot_get_to_the_store_tells_of_no_shortfall() -> None:
    from actions.item_reading import tells_of_shortfall

    assert not tells_of_shortfall("I can't get to the store until next week, will they keep it?")
    assert not tells_of_shortfall("I cant make it this week")
    assert tells_of_shortfall("didnt get it")


def test_a_bare_item_between_cues_of_both_sides_is_not_missing_even_as_an_answer() -> None:
    """ "no cables in the box, charger and pad were": the charger is more likely there."""
    cable = Line("C1", "Charging Cable USB-C to Lightning, 1m", 2, 2, 0)
    charger = Line("C2", "Phone Charger 20W USB-C", 1, 1, 0)
    pad = Line("C3", "Wireless Charger Pad 15W", 1, 1, 0)
    text = "no cables in the box, charger and pad were"
    assert missing(text, [cable, charger, pad], answering=True) == {"C1"}
    assert received(text, [cable, charger, pad], answering=True) == {"C3"}


def test_an_answer_set_off_by_a_comma_from_what_came_is_the_answer() -> None:
    """ "the trail ones, the road shoes came fine": a comma alone starts a clause of its own;
    "and" joins the list that the cue after it governs."""
    trail = Line("S1", "Men's Trail Runner, 10.5", 1, 1, 0)
    road = Line("S2", "Men's Road Running Shoe, 10.5", 1, 1, 0)
    socks = Line("S3", "Performance Running Socks 6-pack", 1, 1, 0)
    shoes = [trail, road, socks]
    assert missing("the trail ones, the road shoes came fine", shoes, answering=True) == {"S1"}
    assert received("the trail ones, the road shoes came fine", shoes, answering=True) == {"S2"}
    assert missing("the trail ones and the road shoes came fine", shoes, answering=True) == set()
    assert missing("the trail ones, the road shoes came fine", shoes) == set()  # a story: no


def test_a_cue_after_a_list_governs_it_even_when_its_subject_is_not_on_the_order() -> None:
    socks = Line("S3", "Performance Running Socks 6-pack", 1, 1, 0)
    laces = Line("S4", "Replacement Shoelaces, 45in, Black", 1, 1, 0)
    assert missing("the socks and the laces came fine", [socks, laces], answering=True) == set()
    assert missing("the socks, everything else was there", [socks, laces], answering=True) == {"S3"}


def test_variants_in_brackets_name_each_line() -> None:
    """ "Both sleeping bags (regular and long)": the regular one and the long one."""
    lines = [
        Line("B1", "Summit 20°F Mummy Bag, Regular", 1, 1, 0),
        Line("B2", "Summit 20°F Mummy Bag, Long", 1, 1, 0),
        Line("B3", 'Self-Inflating Sleeping Pad, 2" Thick', 2, 2, 0),
    ]
    reading = read_items("both sleeping bags (regular and long) and the two pads", lines, True)
    assert {(w.line.line_id, w.quantity) for w in reading.missing} == {
        ("B1", None),
        ("B2", None),
        ("B3", 2),
    }


def test_in_before_a_size_or_colour_says_which_one_not_that_it_came() -> None:
    lines = [
        Line("S1", "Men's Road Running Shoe, 10.5", 1, 1, 0),
        Line("S2", "Socks 6-pack", 1, 1, 0),
    ]
    assert [
        w.line.line_id for w in read_items("the running shoes in 10.5", lines, True).missing
    ] == ["S1"]
    assert [line.line_id for line in read_items("the socks were in the box", lines).received] == [
        "S2"
    ]


def test_a_line_named_surely_once_stays_sure_when_named_again_in_fewer_words() -> None:
    hardback = Line("B1", "Novel: 'The Cedar House' (Hardcover)", 1, 1, 0)
    paperback = Line("B2", "Novel: 'The Cedar House' (Paperback)", 1, 1, 0)
    other = Line("B3", "Cookbook: 'Night Market' – Paperback", 1, 1, 0)
    text = "the Cedar House paperback. the hardcover came, it's the paperback that's gone"
    reading = read_items(text, [hardback, paperback, other], answering=True)
    assert [(w.line.line_id, w.alternatives) for w in reading.missing] == [("B2", ())]
    assert [line.line_id for line in reading.received] == ["B1"]


def test_what_restates_an_except_list_is_the_missing_side() -> None:
    text = "everything except the batteries and the jacket - so the speaker and the boots"
    assert missing(text, answering=True) == {"L1", "L3"}
    assert received(text, answering=True) == {"L2", "L4"}
    text = "all but the speaker, i.e. the batteries and the jacket"
    assert missing(text, answering=True) == {"L2", "L4"}


@pytest.mark.parametrize(
    "text",
    [
        "the shirt has a hole in it",
        "the curtains are too short, wrong size",
        "the lamp doesn't work",
        "half the balloons were popped",
        "the sandals are falling apart, the sole is peeling off",
        "the girth is too short for my horse, can I get a longer one instead?",  # no count
        "my regulator hose split after one dive, can I get a replacement",
        "the water bottle leaks from the lid",
        "I want a refund for the bike because the gears don't shift right",
        "the lid won't close properly",
        "paint tubes leaked all over the box",  # "paint" is no slip of "ain't"
        "the keyboard has a dead key straight out of the box, I want a refund",
        "the battery was dead",
        "The case of paper I picked up was soaked, half the reams are wet",
        "the paint pots arrived completely dried out, unusable. order STS-7130-5582",
    ],
)
def test_goods_that_came_wrong_are_damage_not_missing(text: str) -> None:
    from actions.item_reading import tells_of_damage, tells_only_of_damage

    assert tells_of_damage(text) and tells_only_of_damage(text)


@pytest.mark.parametrize(
    "text",
    [
        "my order was split into two packages and one is missing",
        "the split ring set",
        "the box doesn't look right, only 3 of the 4 mugs",  # no working order
        "my order isn't there anymore?",
        "the tracking link in the email doesn't work",  # online, not goods
        "the promo code is broken",
        "ordered the paint set + a wet palette last tuesday, nothing yet",  # a kind of goods
    ],
)
def test_a_split_shipment_or_a_fault_online_is_no_damage(text: str) -> None:
    from actions.item_reading import tells_of_damage

    assert not tells_of_damage(text)


def test_a_name_with_and_in_it_is_one_item_not_a_list() -> None:
    grinders = Line("K1", "Salt and Pepper Grinder Set", 1, 1, 0)
    tray = Line("K2", "Bamboo Serving Tray", 1, 1, 0)
    text = "the salt and pepper set wasn't there, the tray was"
    reading = read_items(text, [grinders, tray])
    assert [w.line for w in reading.missing] == [grinders]
    assert reading.received == (tray,)


def test_after_but_a_list_belongs_to_the_clause_it_is_in() -> None:
    """ "Picked up the speaker but the boots and the jacket weren't there": the boots too."""
    text = "Picked up my speaker today but the boots and the jacket weren't there"
    assert missing(text) == {"L3", "L4"}
    assert received(text) == {"L1"}
    # without the contrast, a list between two sides is on neither: not sure, so not missing
    assert missing("I got the speaker, the boots and the jacket weren't there") == {"L4"}


def test_a_package_that_was_only_an_item_held_that_item() -> None:
    assert received("the fedex one was only the speaker") == {"L1"}
    assert received("the box was just the batteries") == {"L2"}
    assert missing("the box was just the batteries") == set()


LAMPS = [
    Line("F", "Brass Arc Floor Lamp, 80 in.", 1, 1, 0),
    Line("T", "Marble Base Table Lamp", 1, 1, 0),
    Line("B", "Edison LED Bulb ST64, 2-pack", 2, 2, 0),
    Line("D", "Dimmer Switch, Single-Pole - White", 1, 1, 0),
]
CHARMS = [
    Line("J", "Initial Charm 'J', Gold-Fill", 1, 1, 0),
    Line("M", "Initial Charm 'M', Gold-Fill", 1, 1, 0),
    Line("C", 'Gold-Fill Charm Necklace Chain, 16"', 1, 1, 0),
]


def counted(text: str, lines: list[Line]) -> dict[str, int | None]:
    return {want.line.line_id: want.quantity for want in read_items(text, lines).missing}


def test_a_count_of_things_is_no_count_of_the_first_one() -> None:
    text = "Two things missing from my lamp order: the dimmer switch and one pack of the bulbs"
    assert counted(text, LAMPS) == {"D": None, "B": 1}


def test_an_item_found_in_another_items_box_came() -> None:
    text = "actually the dimmer was in the table lamp box, I just found it"
    assert received(text, LAMPS) == {"D"}
    assert missing(text, LAMPS) == set()


def test_words_that_share_one_head_name_a_line_each() -> None:
    assert missing("the J and M initial charms are missing", CHARMS) == {"J", "M"}
    assert missing("the J charm is missing", CHARMS) == {"J"}


def test_both_after_a_list_is_all_of_each() -> None:
    assert counted("the speaker and the batteries are both missing", ORDER) == {
        "L1": None,
        "L2": None,
    }


@pytest.mark.parametrize(
    ("text", "left_out"),
    [
        ("None of the boxwoods were in my delivery!", True),
        ("the cable wasnt in the box", True),
        ("no blender in the box", True),
        ("my package is missing", False),  # the package itself, lost on its way
        ("my order is not in the store yet", False),
        ("none of my emails were in my inbox", False),
    ],
)
def test_goods_left_out_of_a_container(text: str, left_out: bool) -> None:
    from actions.item_reading import tells_of_goods_left_out

    assert tells_of_goods_left_out(text) is left_out


def test_the_two_of_two_lines_that_came_names_both() -> None:
    """ "Only the two monsteras ... were in my box. No pots.": both monsteras came, and the
    pots the shopper means are not the monsteras' own ("6 in pot")."""
    deliciosa = Line("P1", "Monstera deliciosa, 6 in pot", 1, 1, 0)
    adansonii = Line("P2", "Monstera adansonii, 4 in pot", 1, 1, 0)
    planter = Line("P3", "Ceramic Planter, 8 in, Matte White", 1, 1, 0)
    lines = [deliciosa, adansonii, planter]
    text = "Only the two monsteras and the two bags of soil were in my box. No pots."
    reading = read_items(text, lines)
    assert set(reading.received) == {deliciosa, adansonii}
    assert reading.missing == ()


@pytest.mark.parametrize(
    ("text", "received"),
    [
        ("not in the box, just the suit, gloves and sliders", {"R1", "R3"}),
        ("it wasnt there, only the suit", {"R1"}),
        ("I am missing stuff, just the gloves", set()),  # "stuff" is named: no contrast
    ],
)
def test_only_after_a_denial_of_an_unnamed_thing_is_what_came(text: str, received) -> None:
    suit = Line("R1", "One-Piece Leather Race Suit, EU 52", 1, 1, 0)
    protector = Line("R2", "Back Protector, CE Level 2, Size L", 1, 1, 0)
    gloves = Line("R3", "Race Gloves, Size XL", 1, 1, 0)
    reading = read_items(text, [suit, protector, gloves])
    assert {line.line_id for line in reading.received} == received
    assert reading.missing == ()


def test_a_name_that_goes_on_into_a_longer_name_is_the_longer_line() -> None:
    azul = Line("Z1", "Azul", 1, 1, 0)
    pavilion = Line("Z2", "Azul: Summer Pavilion", 1, 1, 0)
    keychain = Line("Z3", "Meeple Keychain, Blue", 1, 1, 0)
    lines = [azul, pavilion, keychain]
    text = "two things are missing: Azul Summer Pavilion and the blue meeple keychain."
    assert {w.line.line_id for w in read_items(text, lines).missing} == {"Z2", "Z3"}
    assert {w.line.line_id for w in read_items("Azul is missing", lines).missing} == {"Z1"}


@pytest.mark.parametrize(
    "text",
    [
        "The receipt in the bag lists a vanilla extract that isn't actually in the bag.",
        "sts60021187 - you forgot the LiPo batteries",
        "The protective cover for my lift chair never came with it.",
    ],
)
def test_goods_left_out_in_other_words(text: str) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert tells_of_missing_goods(text)


@pytest.mark.parametrize(
    "text", ["you forgot my coupon", "my order never came", "I never came with my kids"]
)
def test_no_goods_left_out(text: str) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert not tells_of_missing_goods(text)


def test_goods_said_to_have_come_after_taking_back_did_come() -> None:
    """ "one pair of the school shoes — no wait, sorry, both pairs of shoes are here. It's a
    backpack that's missing": the shoes came; said before the cue, a shortfall stands."""
    shoes = Line("U4", "Girls' School Shoes, Black Leather, Size 5", 2, 2, 0)
    backpack = Line("U5", "Backpack, Maroon, 25L", 2, 2, 0)
    text = (
        "one pair of the school shoes — no wait, sorry, both pairs of shoes are here. "
        "It's a backpack that's missing"
    )
    reading = read_items(text, [shoes, backpack], answering=True)
    assert [w.line.line_id for w in reading.missing] == ["U5"]
    assert reading.received == (shoes,)
    sorry = read_items("Sorry, one pair of shoes is missing, the other pair is here", [shoes])
    assert [(w.line.line_id, w.quantity) for w in sorry.missing] == [("U4", 1)]


def test_a_word_of_the_conversation_is_no_slip_of_an_item() -> None:
    """ "wait, hold on": no Waist 26in skirt."""
    skirt = Line("U2", "Pleated Skirt, Charcoal, Waist 26in", 2, 2, 0)
    blazer = Line("U1", "School Blazer, Maroon, Age 13-14", 2, 2, 0)
    reading = read_items("wait, hold on. it's only ONE blazer missing, not two", [skirt, blazer])
    assert [(w.line.line_id, w.quantity) for w in reading.missing] == [("U1", 1)]


@pytest.mark.parametrize(
    "text",
    [
        "The patio set came without the table! Just the 4 chairs.",
        "the lamp came without its shade",
        "ok colected  my  parcel at the store and there's no sign of the jacket",
        "box has the spigot but not the bucket",
        "the parcel contained 2 mugs but no saucers",
        "the playset came, and now I see the swing seat is not here either",
    ],
)
def test_goods_that_came_without_a_part_tell_of_missing_goods(text: str) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert tells_of_missing_goods(text)


HIVE = [
    Line("S", "Smoker, Stainless 4x7 w/ Guard", 1, 1, 0),
    Line("J", "Hive Tool, J-Hook", 1, 1, 0),
    Line("P", "Smoker Fuel Pellets, 1 lb", 2, 2, 0),
    Line("V", "Ventilated Bee Jacket w/ Fencing Veil, Size M", 1, 1, 0),
]


@pytest.mark.parametrize(
    "text",
    [
        "unpacked everything - the smoker, the pellets, the jacket - but the J-hook hive tool "
        "wasn't in the box anywhere",
        "unpacked the smoker, the pellets and the jacket, but the J-hook hive tool wasn't there",
    ],
)
def test_a_list_before_but_is_never_missing_by_the_clause_after_it(text: str) -> None:
    assert [w.line.line_id for w in read_items(text, HIVE).missing] == ["J"]


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("ordered 3 of the log flatcars and only 2 were in the box", 1),
        ("ONE 12 inch sub came, I paid for two subs", 1),
        ("I ordered 3 bags of the dark roast and not a single one was in there", None),
        ("I ordered two life jackets. The small one was there but the XS wasn't", None),
        ("I ordered 3, 2 were broken", None),  # what broke, not what came
        # a part of the whole, a count put in a place, and a receipt's count
        ("collected my gobo order, 3 of the 5 gobos are in the box", 2),
        ("only 2 of my 4 chairs came", 2),
        ("short shipped. ordered 6 batteries, 4 in the bag", 2),
        ("receipt shows 6 boxes of e6013 but the bag had 4", 2),
        ("ordered piping bags x100 got x50", 50),
        ("2 of the 3 are broken", None),
    ],
)
def test_how_many_fewer_came_than_were_due(text: str, short: int | None) -> None:
    from actions.item_reading import count_short

    assert count_short(text) == short


def test_the_size_missing_and_the_size_that_came_in_words() -> None:
    medium = Line("G1", "Gardening Gloves, Size M", 2, 2, 0)
    large = Line("G2", "Gardening Gloves, Size L", 1, 1, 0)
    reading = read_items("the large ones. the two medium pairs were there", [medium, large], True)
    assert [w.line for w in reading.missing] == [large]
    assert list(reading.received) == [medium]


@pytest.mark.parametrize(
    "text",
    [
        "the box was empty?? just the packaging and a receipt, no ring",
        "got an empty bag at pickup",
        "picked up today, opened it in the car, no charms. where did my charms go",
        "opened the box: no charger either",
        "Opened the box at the counter and there were no sunglasses in it, just the receipt",
    ],
)
def test_an_empty_box_or_a_bare_no_in_a_story_of_the_order_tells_of_missing_goods(text) -> None:
    assert tells_of_missing_goods(text)


@pytest.mark.parametrize(
    "text",
    [
        "do you recycle empty boxes",
        "picked up my order, no receipt",
        "ordered it last week, no idea where it is",
        "Order placed 3/14, pickup store Elm Street. No notification yet. Can you check?",
        "she took the mouse out of the bag already. sorry, no claim needed",
    ],
)
def test_an_empty_word_or_a_no_that_denies_no_goods_tells_of_none(text) -> None:
    assert not tells_of_missing_goods(text)


ELECTRIC_KNIFE = Line("K1", "Cordless Electric Fillet Knife", 1, 1, 0)
SEVEN_INCH = Line("K2", "Fillet Knife, 7 in Flex", 1, 1, 0)
NINE_INCH = Line("K3", "Fillet Knife, 9 in Flex", 1, 1, 0)
KNIVES = [ELECTRIC_KNIFE, SEVEN_INCH, NINE_INCH, Line("K4", "Hard Cooler, 65 qt", 1, 1, 0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("both of the regular knives are gone, only the electric one came", {"K2", "K3"}),
        (
            "the 9 inch is missing too. both of the regular knives are gone, only the electric "
            "one came",
            {"K2", "K3"},
        ),
    ],
)
def test_words_that_fit_a_line_said_to_have_come_speak_of_the_others(
    text: str, expected: set[str]
) -> None:
    reading = read_items(text, KNIVES)
    assert {want.line.line_id for want in reading.missing} == expected
    assert {line.line_id for line in reading.received} == {"K1"}


def test_words_that_fit_several_lines_besides_the_one_that_came_ask_which() -> None:
    (want,) = read_items("the knives are gone, only the electric one came", KNIVES).missing
    assert {want.line.line_id, *(line.line_id for line in want.alternatives)} == {"K2", "K3"}


def test_words_that_fit_several_lines_none_said_to_have_come_stay_unsure() -> None:
    (want,) = read_items("both knives are gone", KNIVES).missing
    assert want.ambiguous


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("so the brush set never made it into my bag when I picked up", True),
        ("one of the towels never made it", True),
        ("my order never made it to the store", False),
        ("we never made it in time", False),
    ],
)
def test_goods_that_never_made_it_into_the_bag(text: str, told: bool) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert tells_of_missing_goods(text) is told


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("you guys left out the gift box for my watch, the one I paid extra for", True),
        ("forgot to put my 10% off code on order STS-2290-1184, can you still add it?", False),
    ],
)
def test_goods_the_store_left_out_and_codes_the_shopper_forgot(text: str, told: bool) -> None:
    from actions.item_reading import tells_of_missing_goods

    assert tells_of_missing_goods(text) is told


def test_a_denial_of_a_look_is_no_shortfall_but_of_a_place_is() -> None:
    from actions.item_reading import tells_of_shortfall

    assert not tells_of_shortfall("the guy on the till didn't even look at me. unacceptable.")
    assert tells_of_shortfall("the lamp isnt even at the store")


def test_what_an_emptied_box_held_came() -> None:
    kettle = Line("L1", "Tetsubin Cast Iron Kettle 1.2L, Arare", 1, 1, 0)
    trivet = Line("L2", "Tetsubin Trivet, Cast Iron", 1, 1, 0)
    reading = read_items("it was empty, just the trivet sitting next to it", [kettle, trivet])
    assert [line.name for line in reading.received] == [trivet.name]
    assert not reading.missing


def test_what_a_half_empty_box_held_came_and_the_rest_is_missing() -> None:
    lines = [
        Line("L1", '1/2" EMT Set-Screw Connector, 25-pack', 2, 2, 0),
        Line("L2", '1/2" EMT Set-Screw Coupling, 25-pack', 2, 2, 0),
        Line("L3", '1/2" One-Hole Strap, 100-pack', 1, 1, 0),
    ]
    text = "UPS box was half empty, just the 2 packs of couplings. no connectors and no straps"
    reading = read_items(text, lines)
    assert [line.name for line in reading.received] == [lines[1].name]
    assert [want.line.name for want in reading.missing] == [lines[0].name, lines[2].name]


@pytest.mark.parametrize(
    "text",
    [
        "I got one of my T5 10.0 UVB tubes but not the second one",
        "got one of the uvb tubes, the other one was missing",
        "got 1 uvb tube, the rest didnt come",
    ],
)
def test_the_others_of_a_count_that_came_are_missing(text: str) -> None:
    tubes = Line("L1", "T5 HO UVB Bulb 10.0, 24 in", 2, 2, 0)
    bulbs = Line("L2", "Basking Bulb 75W", 2, 2, 0)
    reading = read_items(text, [tubes, bulbs])
    assert [(want.line, want.quantity) for want in reading.missing] == [(tubes, 1)]


def test_the_one_line_ordered_by_its_count_is_short_by_what_came() -> None:
    vanilla = Line("L1", "Energy Gel Single, Vanilla", 12, 12, 0)
    raspberry = Line("L2", "Energy Gel Single, Raspberry", 6, 6, 0)
    socks = Line("L3", "No-Show Running Socks, 3-pair, Size S", 3, 3, 0)
    text = "I ordered 12 of the vanilla gels and only got 8. The raspberry ones are all there (6)."
    reading = read_items(text, [vanilla, raspberry, socks])
    assert [(want.line, want.quantity) for want in reading.missing] == [(vanilla, 4)]
    assert reading.received == (raspberry,)
    two = read_items("I ordered 12 gels and 3 socks but got 8", [vanilla, raspberry, socks])
    assert not two.missing  # which line is short is not told


@pytest.mark.parametrize(
    "text",
    [
        "got 1 chamois strip, should have been 2",
        "got 1 chamois strip (should be 2)",
        "hey, my pickup was short — only one chamois strip (ordered 2) and no loop tool",
    ],
)
def test_a_count_that_came_and_the_count_due_told_after_it(text: str) -> None:
    """ "N came, should be M" and a count ordered told in brackets: the line is short by the
    difference, not missing whole."""
    apron = Line("L1", "Canvas Studio Apron, Size L", 1, 1, 0)
    strip = Line("L2", 'Chamois Strip, 36"', 2, 2, 0)
    loop = Line("L3", "Double-Ended Loop Tool, Small", 1, 1, 0)
    reading = read_items(text, [apron, strip, loop])
    assert (strip, 1) in [(want.line, want.quantity) for want in reading.missing]
    assert apron not in [want.line for want in reading.missing]


def test_what_a_thing_is_without_is_part_of_its_name_not_a_cue() -> None:
    with_d3 = Line("L1", "Calcium + D3 Powder, 3 oz", 2, 2, 0)
    without_d3 = Line("L2", "Calcium Powder w/o D3, 3 oz", 1, 1, 0)
    dust = Line("L3", "Multivitamin Dust, 2 oz", 1, 1, 0)
    lines = [with_d3, without_d3, dust]
    answer = read_items("the calcium WITHOUT D3", lines, answering=True)
    assert [want.line for want in answer.missing] == [without_d3]
    story = read_items("Bag only had the two calcium + D3 tubs and the calcium without D3.", lines)
    assert not story.missing and set(story.received) == {with_d3, without_d3}
    mixed = read_items("both D3 tubs are here, it's the one without D3 that's missing", lines)
    assert [want.line for want in mixed.missing] == [without_d3]
    case = Line("L4", "Clear Phone Case", 2, 2, 0)
    counted = read_items("my order came without 2 cases", [*lines, case])  # no name's "without"
    assert [(want.line, want.quantity) for want in counted.missing] == [(case, 2)]


def test_the_second_of_a_line_is_one_and_a_list_head_is_no_count() -> None:
    boom = Line("L1", "Boom Cymbal Stand", 2, 2, 0)
    sleeves = Line("L2", "Cymbal Sleeves (12-pack)", 1, 1, 0)
    text = "everything else: the second boom stand, the cymbal sleeves"
    reading = read_items(text, [boom, sleeves], answering=True)
    assert [(want.line, want.quantity) for want in reading.missing] == [(boom, 1), (sleeves, None)]
    plural = read_items("the other boom stands", [boom, sleeves], answering=True)
    assert [(want.line, want.quantity) for want in plural.missing] == [(boom, None)]


def test_a_unit_of_a_name_is_not_where_the_name_is_said() -> None:
    socks = Line("L1", "No-Show Running Socks, 3-pair, Size S", 3, 3, 0)
    shorts = Line("L2", "Women's Pacer Shorts 3in, Size S", 2, 2, 0)
    reading = read_items("I just found one pair folded under the socks", [socks, shorts])
    assert not reading.missing and not reading.received  # the socks are where it was


EMBER_PACKS = Line("L1", "Collectible Card Game Booster Pack - Ember Set", 12, 12, 0)
EMBER_BOX = Line("L2", "Collectible Card Game Booster Box - Ember Set (36 packs)", 1, 1, 0)


def test_what_was_due_is_no_more_than_ordered() -> None:
    text = "I was supposed to get 12 Ember booster packs and only 7 were in the bag"
    reading = read_items(text, [EMBER_PACKS, EMBER_BOX])
    assert [(want.line, want.quantity) for want in reading.missing] == [(EMBER_PACKS, 5)]


def test_a_clause_in_brackets_is_a_sentence_of_its_own() -> None:
    text = "the loose Ember booster packs (the booster box came)"
    reading = read_items(text, [EMBER_PACKS, EMBER_BOX], answering=True)
    assert [want.line for want in reading.missing] == [EMBER_PACKS]
    assert reading.received == (EMBER_BOX,)


def test_an_emoji_ends_a_sentence() -> None:
    kettle = Line("L1", "Collapsible Kettle 1.2L", 1, 1, 0)
    bowl = Line("L2", "Collapsible Washing Bowl", 1, 1, 0)
    towels = Line("L3", "Tea Towel, 2-pack", 1, 1, 0)
    text = (
        "just found the kettle, it was folded up inside the washing bowl \U0001f644 it's the tea "
        "towels that are missing actually, not the kettle"
    )
    reading = read_items(text, [kettle, bowl, towels])
    assert [want.line for want in reading.missing] == [towels]
    assert reading.received == (kettle,)


def test_a_count_that_came_put_right_after_a_not_is_short() -> None:
    from actions.item_reading import count_short, tells_of_shortfall

    assert tells_of_shortfall("the carton i collected had 8 reams not 10")
    assert count_short("the carton i collected had 8 reams not 10") == 2
    assert count_short("I got 3 not 2") is None  # more came than was due


def test_a_count_after_so_is_a_clause_of_its_own() -> None:
    tapers = Line("L1", "Beeswax Taper Candles 12 in., Pair", 3, 3, 0)
    birthday = Line("L2", "Birthday Candles, 24-count", 2, 2, 0)
    text = (
        "only 1 pair of the beeswax tapers came so 2 pairs are missing, and both packs of "
        "birthday candles are missing"
    )
    reading = read_items(text, [tapers, birthday], answering=True)
    assert [(want.line, want.quantity) for want in reading.missing] == [(tapers, 2), (birthday, 2)]


def test_another_size_than_ordered_is_no_shortfall() -> None:
    from actions.item_reading import tells_only_of_damage

    assert tells_only_of_damage("The shoes I picked up are a size 42 but I ordered 43")
    assert not tells_only_of_damage("got the size 10 but I ordered 2 pairs and one is missing")


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("didn't get a pickup email yet, it's been 6 days. order number is STS-7703-1246", False),
        ("I can't get there until next week, how many days do I have to pick up?", False),
        ("it didnt get there", True),
        ("didnt get the text and the lamp wasnt in the box", True),
        ("sts44019872 - 3 items ordered, 1 item received. what happened to the rest", True),
    ],
)
def test_a_message_or_the_shoppers_own_way_denied_is_no_shortfall(text: str, short: bool) -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall(text) is short


def test_a_plural_head_noun_is_no_weak_word() -> None:
    collector = Line("L1", "Heirloom Walnut Chess & Backgammon Collector Set", 1, 1, 0)
    spare = Line("L2", "Weighted Staunton Chess Pieces (Spare Set)", 1, 1, 0)
    reading = read_items("Only packing paper inside, no chess set at all.", [collector, spare])
    assert [want.line for want in reading.missing] == [collector]  # "pieces" is what L2 is


def test_and_not_after_a_set_aside_sets_aside_too() -> None:
    flips = Line("L1", "Men's Flip-Flops, Size 10.5", 1, 1, 0)
    slides = Line("L2", "Men's Slide Sandals, Size 10.5", 1, 1, 0)
    sport = Line("L3", "Men's Sport Sandals, Size 10.5", 1, 1, 0)
    text = "the slides. not the flip flops and not the sport sandals, those were both there"
    reading = read_items(text, [flips, slides, sport], answering=True)
    assert [want.line for want in reading.missing] == [slides]
    assert set(reading.received) == {flips, sport}
    denied = read_items("I got the flip flops and not the sport sandals", [flips, slides, sport])
    assert [want.line for want in denied.missing] == [sport]


@pytest.mark.parametrize(
    "text",
    [
        "I want a refund, my dog hates this food",
        "kibble bag had a hole in it and the food smells stale, can i get a refund",
        "the shampoo barely foams, I want my money back",
        "I changed my mind about the lamp, can I get a refund?",
        "the boots I collected have a split in the sole, can I get a refund?",
        "the mug I picked up has a crack down the side, refund please",
    ],
)
def test_goods_that_came_but_disappoint_are_a_return(text: str) -> None:
    from actions.item_reading import tells_only_of_damage

    assert tells_only_of_damage(text)


def test_a_dislike_beside_a_shortfall_leaves_the_shortfall() -> None:
    from actions.item_reading import tells_only_of_damage

    assert not tells_only_of_damage("the charger was missing and my son hates the case")
    assert not tells_only_of_damage("I hate to complain but the cable was missing")


def test_a_slip_of_from_before_the_order_keeps_its_verb_on_the_order() -> None:
    charger = Line("L1", "Phone Charger 20W", 1, 1, 0)
    pad = Line("L2", "Wireless Charging Pad", 1, 1, 0)
    text = "missing my phone charger and my pad frmo the order i picked up"
    reading = read_items(text, [charger, pad])
    assert [want.line for want in reading.missing] == [charger, pad]


FENDERS = Line("L1", "Boat Fender 6.5 x 23 in", 4, 4, 0)
FENDER_LINE = Line("L2", "Fender Line 3/8 in x 6 ft, 2-pack", 2, 2, 0)
CYLINDERS = Line("L3", "Graduated Cylinder 100 mL", 5, 5, 0)
FLASKS = Line("L4", "Erlenmeyer Flask 250 mL", 10, 10, 0)


def test_a_count_put_right_after_instead_of_is_short() -> None:
    reading = read_items("Hi, I got 2 fenders instead of 4", [FENDERS, FENDER_LINE])
    assert [(want.line, want.quantity) for want in reading.missing] == [(FENDERS, 2)]


def test_what_else_the_box_held_is_where_the_items_were() -> None:
    text = "only 3 cylinders were in the box with the flasks"
    reading = read_items(text, [CYLINDERS, FLASKS])
    assert [(want.line, want.quantity) for want in reading.missing] == [(CYLINDERS, 2)]
    assert not reading.received
    # the box's company is never what is missing
    held = read_items("the box with the flasks had no cylinders", [CYLINDERS, FLASKS])
    assert FLASKS not in [want.line for want in held.missing]


def test_their_typed_for_there_says_the_item_came() -> None:
    spray = Line("L1", "Fake Blood Spray, 4oz", 1, 1, 0)
    gel = Line("L2", "Fake Blood Gel, 2oz", 3, 3, 0)
    reading = read_items("no spray botle, the gel tubes were their tho", [spray, gel])
    assert gel in reading.received
    assert gel not in [want.line for want in reading.missing]


@pytest.mark.parametrize(
    ("text", "short"),
    [
        ("Is the store carrying the rosin solder? I'd rather just walk in and buy it", False),
        ("can I just go pick it up tomorrow", False),
        ("ok, I guess I'll just not pick it up then. thanks", False),
        ("the lid is just not there", True),
        ("just the case came", True),
    ],
)
def test_what_the_shopper_would_rather_do_is_no_shortfall(text: str, short: bool) -> None:
    from actions.item_reading import tells_of_shortfall

    assert tells_of_shortfall(text) is short


def test_a_count_paid_for_beside_another_missing_line_is_still_short() -> None:
    """The shortfall of a count is read in its own clause, whatever other clauses say."""
    axe = Line("L1", "Foam Battle Axe, 36in", 1, 1, 0)
    pouch = Line("L2", "Leather Belt Pouch, Tooled", 2, 2, 0)
    text = "the axe wasn't there. there was only one belt pouch when I paid for two."
    reading = read_items(text, [axe, pouch])
    assert [(want.line, want.quantity) for want in reading.missing] == [(axe, None), (pouch, 1)]


def test_a_dash_between_spaces_before_a_clause_ends_a_sentence() -> None:
    plates = Line("L1", "1x1 Round Plate Pack, Trans-Clear (200 pcs)", 4, 4, 0)
    bins = Line("L2", "Brick Storage Bin 6L, Red", 2, 2, 0)
    text = "the round plates are all here - it's the two red storage bins that are missing"
    reading = read_items(text, [plates, bins])
    assert [(want.line, want.quantity) for want in reading.missing] == [(bins, 2)]
    assert reading.received == (plates,)
    # the dash of a name is no end of a sentence
    text = "the Booster Pack - Ember Set wasn't there"
    ember = read_items(text, [EMBER_PACKS, EMBER_BOX])
    assert [want.line for want in ember.missing] == [EMBER_PACKS]


@pytest.mark.parametrize(
    ("text", "goods"),
    [
        ("i picked up my cleats but where are the socks and sliding shorts?", True),
        ("Got home from the store, opened everything. Where's the catcher's mitt??", True),
        ("the store only gave me the helmet and the hairnet. Where is the body protector??", True),
        ("picked up my order, where is the receipt?", False),  # paperwork, no goods
        ("I picked up part of it, where is my other package", False),  # its way
        ("where are the socks", False),  # nothing in hand yet: the order's way
    ],
)
def test_a_thing_asked_after_with_the_goods_in_hand_is_missing(text: str, goods: bool) -> None:
    assert tells_of_missing_goods(text) is goods


def test_a_no_set_off_by_a_long_dash_is_an_interjection() -> None:
    booties = Line("L1", "Wetsuit Booties 5mm, Size 10.5", 1, 1, 0)
    gloves = Line("L2", "Wetsuit Gloves 3mm, Size L", 1, 1, 0)
    text = (
        "wait no \u2014 the gloves were stuffed inside the wetsuit sleeve, just found them. "
        "only the booties are missing"
    )
    reading = read_items(text, [booties, gloves])
    assert [want.line for want in reading.missing] == [booties]
    assert reading.received == (gloves,)


@pytest.mark.parametrize(
    "text",
    [
        "The pants I picked up are the wrong size, I ordered 32 waist and got 30",
        "one of the wheels i picked up has a chunk missing out of it",
        "I want my money back for the shampoo, it made my scalp itch like crazy",
        "none of the seeds germinated, I want replacements",
        "the bulbs never sprouted",
    ],
)
def test_a_size_or_a_piece_broken_off_is_a_return_not_a_shortfall(text: str) -> None:
    from actions.item_reading import tells_only_of_damage

    assert tells_only_of_damage(text)
    assert not tells_only_of_damage("wrong size shoes and 2 of the 4 socks missing")


def test_the_regular_one_beside_one_named_surely_is_the_other_line() -> None:
    plain = Line("L4", "Rail Joiners, Nickel Silver, Code 83 (48-pack)", 4, 4, 0)
    insulated = Line("L5", "Insulated Rail Joiners, Code 83 (24-pack)", 1, 1, 0)
    for text in [
        "the insulated joiners and the regular rail joiners",
        "the regular rail joiners and the insulated ones",
    ]:
        reading = read_items(text, [plain, insulated], answering=True)
        assert {(w.line, w.alternatives) for w in reading.missing} == {
            (plain, ()),
            (insulated, ()),
        }
    restated = read_items("the rail joiners, the insulated ones", [plain, insulated], True)
    # said again, not the other one: the apposition says which of the rail joiners
    assert [(w.line, w.alternatives) for w in restated.missing] == [(insulated, ())]


def test_hissing_is_no_slip_of_missing() -> None:
    from actions.item_reading import tells_of_shortfall, tells_only_of_damage

    text = "helium tank was dented and hissing when I picked it up, is that safe??"
    assert not tells_of_shortfall(text) and tells_only_of_damage(text)
    assert tells_of_shortfall("the charger is msising")


def test_an_order_named_by_its_goods_is_the_order_not_goods_that_came() -> None:
    engraver = Line("L1", "Laser Engraver Module 10W", 1, 1, 0)
    glasses = Line("L2", "Laser Safety Glasses OD6+", 1, 1, 0)
    bed = Line("L3", "Honeycomb Work Bed 400x400", 1, 1, 0)
    text = "Picked up my laser engraver order yesterday. Only the honeycomb bed was in the box."
    reading = read_items(text, [engraver, glasses, bed])
    assert reading.received == (bed,)


RECORDS = [
    Line("R1", "Talking Heads - Remain in Light (1980 Sire)", 1, 1, 0),
    Line("R2", "Bob Marley & The Wailers - Exodus (1977 Island)", 1, 1, 0),
    Line("R3", "45 RPM Spindle Adapter, Plastic", 3, 3, 0),
]


def test_a_clause_after_and_only_is_a_clause_of_its_own() -> None:
    """ "… is missing and only 1 of the 3 adapters was in the bag": the "only" starts a clause
    of what came, not a restriction of the missing LP ("I'm missing just one" is that)."""
    text = "the Talking Heads LP is missing and only 1 of the 3 spindle adapters was in the bag"
    reading = read_items(text, RECORDS)
    assert {(w.line.line_id, w.quantity) for w in reading.missing} == {("R1", None), ("R3", 2)}
    assert [(w.line.line_id, w.quantity) for w in read_items(
        "I'm missing just one spindle adapter", RECORDS).missing] == [("R3", 1)]  # fmt: skip


def test_a_title_in_a_name_is_no_cue_and_a_bracketed_got_is_a_remark() -> None:
    """ "Remain in Light" names the LP, it says nothing came; "(got 1 of 3)" is a remark."""
    named = read_items("Remain in Light and the spindle adapters", RECORDS, answering=True)
    assert {w.line.line_id for w in named.missing} == {"R1", "R3"}
    counted = read_items("1 talking heads, 2 adapters (got 1 of 3)", RECORDS, answering=True)
    assert {(w.line.line_id, w.quantity) for w in counted.missing} == {("R1", 1), ("R3", 2)}


def test_everything_that_was_not_a_kind_is_everything_except_it() -> None:
    pastes = [Line(f"P{n}", f"{kind} Toothpaste 4.1oz", 4, 4, 0) for n, kind in enumerate("AB")]
    brushes = Line("B1", "Bamboo Toothbrush, Soft 4-pack", 1, 1, 0)
    holder = Line("H1", "Toothbrush Holder, Ceramic", 1, 1, 0)
    lines = [*pastes, brushes, holder]
    text = "the bamboo brushes and the holder, so everything that wasn't toothpaste"
    reading = read_items(text, lines, answering=True)
    assert {w.line.line_id for w in reading.missing} == {"B1", "H1"}


def test_the_goods_named_together_are_the_order_not_the_first_line() -> None:
    """ "picked up my cello stuff" names the order (every line is a cello thing), so "the bow"
    is the object of nothing before it: "the bow and the soft case aren't there"."""
    lines = [
        Line("L1", "Cello Strings Set 4/4 (Larsen)", 1, 1, 0),
        Line("L2", "Cello Bow, Brazilwood 4/4", 1, 1, 0),
        Line("L3", "Cello Soft Case 4/4", 1, 1, 0),
    ]
    text = "picked up my cello stuff at Lakeview, the bow and the soft case aren't there"
    assert {w.line.line_id for w in read_items(text, lines).missing} == {"L2", "L3"}
    spray = [Line("S1", "Cleaning Spray 500ml", 1, 1, 0), Line("S2", "Microfiber Cloth", 1, 1, 0)]
    assert [w.line.line_id for w in read_items("the cleaning stuff is missing", spray).missing] == [
        "S1"
    ]


def test_a_bare_not_after_a_thing_named_sets_the_next_aside() -> None:
    """ "the 50 gallon salt bags not the bucket": the bucket is set aside, as with "but not"."""
    bucket = Line("L1", "Reef Salt Mix, 160-Gallon Bucket", 1, 1, 0)
    bags = Line("L2", "Reef Salt Mix, 50-Gallon Bag", 2, 2, 0)
    for text in ["the 50 galon salt bags not the bucket", "the salt bags, not the bucket"]:
        reading = read_items(text, [bucket, bags], answering=True)
        assert [w.line for w in reading.missing] == [bags], text
    kept = read_items("it's not the bucket that's missing", [bucket, bags])
    assert kept.missing == ()
