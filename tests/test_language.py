"""Offline text parser and chat-style edits."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from garment_addon.core.errors import UserError
from garment_addon.core.language import edit_spec, parse_text
from garment_addon.core.spec import SpecError, make_spec
from headless.cli import main


def test_the_issue_example():
    s = parse_text("a knee-length A-line dress with short sleeves")
    assert s.garment_type == "dress"
    assert s.metadata["attributes"] == {"length": "knee", "silhouette": "A-line", "sleeves": "short"}
    assert 45 < s.measurements["skirt_length"] < 65 and 15 < s.measurements["sleeve_length"] < 30
    assert s.measurements["flare"] > 4


@pytest.mark.parametrize(
    "text, gtype, checks",
    [
        ("red skirt 60cm long, pencil", "skirt", {"skirt_length": 60.0, "flare": 1.0}),
        ("bust 92 cm loose hoodie with pockets", "hoodie", {"bust": 92.0}),
        ("blue wide leg jeans 100 cm long, waist 30 inches", "pants", {"pant_length": 100.0, "waist": 76.2}),
        ('trousers with a 30" inseam', "pants", {"inseam": 76.2}),
        ("a 45 cm long skirt", "skirt", {"skirt_length": 45.0}),
        ("maxi gown, sleeveless", "dress", {"sleeve_length": 0.0}),
        ("a shirt with 2 inch cuffs and 3/4 sleeves", "shirt", {"cuff_height": 5.1}),
        ("a blazer, chest 100cm", "jacket", {"bust": 100.0}),
    ],
)
def test_numbers_units_and_aliases(text, gtype, checks):
    s = parse_text(text)
    assert s.garment_type == gtype
    for k, v in checks.items():
        assert s.measurements[k] == pytest.approx(v, abs=0.11), k


def test_features_fit_colours_and_outfits():
    s = parse_text("an oversized navy hoodie without pockets, size L, and black jeans")
    assert s.garment_type == "hoodie" and s.size == "L"
    assert s.features == {**s.features, "has_hood": True, "has_pockets": False, "fit": "loose"}
    assert s.metadata["colours"] == ["navy", "black"] and s.metadata["others"] == ["pants"]
    s = parse_text("slim long-sleeved shirt with a collar and cuffs")
    assert s.features["fit"] == "fitted" and s.features["has_collar"] and s.features["has_cuffs"]
    assert s.metadata["attributes"]["sleeves"] == "long" and s.measurements["sleeve_length"] > 50
    assert (
        parse_text("midi skirt").measurements["skirt_length"]
        > parse_text("mini skirt").measurements["skirt_length"] + 25
    )


@pytest.mark.parametrize("size", ["S", "M", "XXL"])
def test_long_sleeves_in_words_are_the_types_own_long_sleeve(size):
    """"long sleeves" is the default long sleeve (onto the hand) at every size, a cuffed one ends at the
    wrist, and "to the wrist" is the wrist: the words had cut a default shirt's 61 cm sleeve to 58."""
    own = make_spec({"garment_type": "shirt", "size": size}).m["sleeve_length"]
    said = parse_text(f"a shirt with long sleeves in size {size}").m["sleeve_length"]
    assert said == pytest.approx(own, abs=0.1)
    cuffed = parse_text(f"a shirt with long sleeves and cuffs in size {size}")
    assert cuffed.m["sleeve_length"] == pytest.approx(make_spec(
        {"garment_type": "shirt", "size": size, "features": {"has_cuffs": True}}).m["sleeve_length"], abs=0.1)
    short = parse_text(f"a shirt with short sleeves in size {size}")
    assert edit_spec(short, "long sleeves").m["sleeve_length"] == pytest.approx(own, abs=0.1)
    assert edit_spec(short, "sleeves to the wrist").m["sleeve_length"] < own - 2


@pytest.mark.parametrize(
    "text, preset",
    [
        ("men's denim jacket size L", "male"),
        ("a mens button-down shirt", "male"),
        ("Ladies' wool coat", "female"),
        ("womens wide leg trousers", "female"),
        ("a denim jacket", None),
        ("matching shirts for a man and a woman", None),  # both named: the panel's body stays
    ],
)
def test_who_the_garment_is_for_picks_the_mannequin(text, preset):
    """"men's jacket" drafted for the female mannequin, its fronts lapping the women's way and its chest
    shaped for a bust, before the parser read who the garment is for."""
    s = parse_text(text)
    assert s.metadata.get("body_preset") == preset
    if preset == "male":  # the male chest: no full-bust length over a high bust
        assert s.measurements["high_bust"] == s.measurements["bust"]


@pytest.mark.parametrize(
    "text, length",
    [
        ("a long flared summer dress with short sleeves", "maxi"),
        ("a long black wool coat", "long"),
        ("a short black dress", "mini"),
        ("a long-sleeved dress", None),
        ("a long sleeve summer dress", None),
        ("capri pants", "midi"),  # was full length
    ],
)
def test_long_or_short_before_the_garment_is_its_length(text, length):
    """"a long flared summer dress" was knee length: only "long dress" next to each other counted, and
    "long" in front of sleeves must still say nothing about the length."""
    assert parse_text(text).metadata["attributes"].get("length") == length


def test_two_word_garment_names():
    assert parse_text("a navy boiler suit").garment_type == "jumpsuit"  # was "no garment type found"


def test_bad_text_names_the_field():
    with pytest.raises(UserError, match="^text: no garment type"):
        parse_text("something nice for summer")
    with pytest.raises(UserError, match=r"measurements.bust: 500 cm is out of range 60..160"):
        parse_text("dress with bust 500 cm")
    with pytest.raises(UserError, match="backend"):
        parse_text("dress", backend="psychic")


@pytest.fixture()
def dress():
    return parse_text("a knee-length A-line dress with short sleeves and pockets")


@pytest.mark.parametrize(
    "instruction, key, delta",
    [
        ("make the sleeves longer", "sleeve_length", 5.0),
        ("10 cm shorter", "skirt_length", -10.0),
        ("2 inches longer sleeves", "sleeve_length", 5.08),
        ("make it much longer", "skirt_length", 10.0),
        ("shorten the skirt by 30 mm", "skirt_length", -3.0),
        ("deeper neckline", "neckline_depth", 3.0),
        ("more flared", "flare", 5.0),
    ],
)
def test_relative_edits(dress, instruction, key, delta):
    out = edit_spec(dress, instruction)
    assert out.measurements[key] == pytest.approx(dress.measurements[key] + delta, abs=0.02)
    changed = {k for k in out.measurements if abs(out.measurements[k] - dress.measurements[k]) > 0.01}
    assert changed == {key}, changed
    assert out.metadata["edits"][-1]["instruction"] == instruction


def test_feature_fit_type_and_sleeveless_edits(dress):
    assert edit_spec(dress, "make it sleeveless").measurements["sleeve_length"] == 0
    assert edit_spec(dress, "add a hood").features["has_hood"] is True
    assert edit_spec(dress, "remove the pockets").features["has_pockets"] is False
    assert edit_spec(dress, "make it looser").features["fit"] == "loose"
    assert edit_spec(edit_spec(dress, "make it looser"), "tighter").features["fit"] == "regular"
    jacket = edit_spec(dress, "make it a jacket")
    assert jacket.garment_type == "jacket" and jacket.measurements["bust"] == dress.measurements["bust"]
    assert edit_spec(dress, "maxi length").measurements["skirt_length"] > 85
    assert edit_spec(dress, "bust 100 cm").measurements["bust"] == 100
    pants = parse_text("jeans")
    assert (
        edit_spec(pants, "5 cm shorter").measurements["pant_length"] == pants.measurements["pant_length"] - 5
    )
    assert edit_spec(pants, "wider legs").measurements["ankle"] > pants.measurements["ankle"]


@pytest.mark.parametrize("text,fabric", [
    ("a white t-shirt", "knit"),
    ("grey sweater with cuffs", "knit"),
    ("a jersey wrap dress", "knit"),
    ("linen blouse with short sleeves", "woven"),
    ("a blouse", "woven"),
    ("fleece hoodie", "knit"),
    ("a hoodie", "knit"),
])
def test_fabric_words(text, fabric):
    assert parse_text(text).features["fabric"] == fabric


@pytest.mark.parametrize("text,material,fabric,color", [
    ("denim overalls", "denim", "woven", None),  # denim's own blue: the preset's colour
    ("navy wool blazer", "wool_suiting", "woven", "#1f2a48"),
    ("red silk dress", "silk", "woven", "#b3222c"),
    ("black denim jeans", "denim", "woven", "#232325"),
    ("a light blue cotton shirt", "cotton_shirting", "woven", "#8da7d2"),
    ("cotton t-shirt", "jersey", "knit", None),  # cotton in a knit is jersey
    ("a grey wool sweater", None, "knit", "#8c8c8e"),  # knitted wool is not suiting
    ("a charcoal tweed coat", "wool_suiting", "woven", "#393b40"),
    ("stretch denim jeans", "denim", "woven", None),
    ("a jersey wrap dress", "jersey", "knit", None),
    ("a blouse in sweatshirt fabric", "fleece", "knit", None),
    ("a dress", None, "woven", None),
    ("jeans with a red silk shirt", None, "woven", None),  # an outfit: the shirt's words are the shirt's
    ("a white linen shirt, size L, and black jeans", "cotton_shirting", "woven", "#f0efea"),
])
def test_material_and_colour_words(text, material, fabric, color):
    s = parse_text(text)
    assert (s.material, s.fabric, s.color) == (material, fabric, color)


def test_material_and_colour_edits(dress):
    red = edit_spec(dress, "make it red denim")
    assert (red.material, red.fabric, red.color) == ("denim", "woven", "#b3222c")
    knit = edit_spec(red, "make it in jersey")
    assert (knit.material, knit.fabric, knit.color) == ("jersey", "knit", "#b3222c")
    woven = edit_spec(knit, "make it woven")  # jersey is no woven: the material goes, the colour stays
    assert (woven.material, woven.fabric, woven.color) == (None, "woven", "#b3222c")
    skirt = edit_spec(red, "make it a skirt")  # what it is made of and its colour carry over
    assert (skirt.garment_type, skirt.material, skirt.color) == ("skirt", "denim", "#b3222c")
    assert edit_spec(dress, "make it dark green").color == "#1a4320"


def test_fabric_edits(dress):
    knit = edit_spec(dress, "make it in jersey")
    assert knit.features["fabric"] == "knit" and knit.measurements == pytest.approx(dress.measurements, abs=1e-3)
    assert edit_spec(knit, "use linen").features["fabric"] == "woven"


def test_bad_edits_are_rejected_with_the_field(dress):
    with pytest.raises(UserError, match="^instruction: could not understand"):
        edit_spec(dress, "zzz qqq")
    with pytest.raises(SpecError, match=r"^measurements.sleeve_length: .* out of range 0..90"):
        edit_spec(dress, "make the sleeves 200 cm longer")
    for bottoms in ("skirt", "jeans"):  # found by `make fuzz`: this was a KeyError
        with pytest.raises(UserError, match="^instruction: no sleeves to make longer or shorter"):
            edit_spec(parse_text(bottoms), "longer sleeves")


def test_cli_text_and_edit(tmp_path, capsys):
    spec = tmp_path / "spec.json"
    assert main(["text", "a knee-length A-line dress with short sleeves", "-o", str(spec)]) == 0
    before = json.loads(spec.read_text())
    assert main(["edit", str(spec), "make the sleeves longer", "-o", str(spec)]) == 0
    after = json.loads(spec.read_text())
    assert after["measurements"]["sleeve_length"] == before["measurements"]["sleeve_length"] + 5
    assert make_spec(after).garment_type == "dress"
    capsys.readouterr()
    bad = tmp_path / "bad.json"
    assert main(["edit", str(spec), "make the sleeves 300 cm longer", "-o", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: measurements.sleeve_length") and not bad.exists()
    assert main(["text", "nothing to see", "-o", str(bad)]) == 2 and not bad.exists()


_WORDS = [
    "dress",
    "skirt",
    "jeans",
    "hoodie",
    "long",
    "short",
    "sleeves",
    "sleeveless",
    "cm",
    "in",
    '"',
    "bust",
    "waist",
    "10",
    "2.5",
    "3/4",
    "no",
    "pockets",
    "hood",
    "longer",
    "shorter",
    "make",
    "it",
    "a",
    "wider",
    "maxi",
    "mini",
    "knee-length",
    "by",
    "mm",
    "size",
    "xl",
    "fitted",
    "looser",
    "collar",
    "red",
    "-5",
    "0",
]


@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12), st.text(max_size=20))
def test_any_text_gives_a_valid_spec_or_a_user_error(words, noise):
    """Whatever is typed, the result is a validated spec or a one-line UserError, never a crash."""
    text = " ".join(words) + " " + noise
    try:
        spec = parse_text(text)
    except UserError as exc:
        assert "\n" not in str(exc)
        spec = parse_text("a dress")
    make_spec(spec.to_dict())
    try:
        edited = edit_spec(spec, text)
    except UserError as exc:
        assert "\n" not in str(exc)
    else:
        make_spec(edited.to_dict())


def test_a_described_jackets_lapels_break_at_the_waist():
    """"A collared jacket" or "a v-neck blazer" describes its lapels: the break point stays the body's
    (back waist length - 1, just above the waist), not a shirt's 8 cm collar or 18 cm V; a shirt's
    collar and V keep theirs (core.categories)."""
    from garment_addon.core.categories import measurements_from_categories

    for text in ("a collared jacket", "a v-neck blazer", "a navy blazer with notched lapels"):
        spec = parse_text(text)
        assert spec.garment_type == "jacket"
        assert spec.m["neckline_depth"] == pytest.approx(spec.m["back_waist_length"] - 1.0), text
    assert "neckline_depth" not in measurements_from_categories("jacket", {"neckline": "collared"})
    assert measurements_from_categories("jacket", {"neckline": "crew"})["neckline_depth"] == 7.0
    assert measurements_from_categories("shirt", {"neckline": "collared"})["neckline_depth"] == 8.0
    assert parse_text("a v-neck shirt").m["neckline_depth"] == 18.0


def test_an_edit_drags_the_measurements_it_constrains_along():
    """What the instruction asks stays as asked; what a relation ties to it follows (core.spec.RELATIONS)."""
    jacket = make_spec({"garment_type": "jacket"})  # bodice 68, neckline 40: 12 cm apart at the least
    short = edit_spec(jacket, "make it 38 cm shorter")
    assert short.m["bodice_length"] == 30 and short.m["neckline_depth"] == pytest.approx(18, abs=0.02)
    assert any(c.startswith("neckline_depth: 40 -> 17.99") for c in short.metadata["edits"][-1]["changes"])
    with pytest.raises(SpecError, match="^measurements.neckline_depth: must be at most"):
        edit_spec(jacket, "bodice 40 cm, neckline 30 cm")  # both asked: the relation is named
