"""GarmentSpec: defaults, aliases, proportional scaling and one-line validation errors."""

import pytest

from garment_addon.core.spec import (
    GARMENT_TYPES,
    MEASUREMENTS,
    SIZE_TABLE,
    SpecError,
    make_spec,
    range_text,
)

SEED_DRESS = {
    "garment_type": "dress",
    "measurements": {"bust": 90, "waist": 72, "hip": 96, "shoulder_width": 40, "bodice_length": 42,
                     "sleeve_length": 25, "skirt_length": 55, "neckline_depth": 12, "neckline_width": 8,
                     "bicep": 28, "wrist": 17, "cap_height": 12, "flare": 8},
    "features": {"has_collar": False, "has_cuffs": False, "has_pockets": False, "has_hood": False,
                 "fit": "fitted"},
}


@pytest.mark.parametrize("t", GARMENT_TYPES)
def test_every_type_gets_every_measurement(t):
    spec = make_spec({"garment_type": t})
    assert set(spec.measurements) == set(MEASUREMENTS)
    for k, v in spec.measurements.items():
        f = MEASUREMENTS[k]
        assert f.lo <= v <= f.hi, (k, v)
    assert spec.features["fit"] in ("fitted", "regular", "loose")


@pytest.mark.parametrize("alias,canonical", [("blouse", "shirt"), ("T-Shirt", "shirt"), ("jeans", "pants"),
                                             ("trousers", "pants"), ("blazer", "jacket"), ("coat", "jacket"),
                                             ("top", "shirt"), ("dresses", "dress")])
def test_aliases(alias, canonical):
    assert make_spec({"garment_type": alias}).garment_type == canonical


def test_tshirt_alias_implies_short_sleeves_unless_given():
    assert make_spec({"garment_type": "t-shirt"}).m["sleeve_length"] == 20
    assert make_spec({"garment_type": "t-shirt", "measurements": {"sleeve_length": 50}}).m["sleeve_length"] == 50


def test_seed_dress_is_kept_exactly():
    spec = make_spec(SEED_DRESS)
    for k, v in SEED_DRESS["measurements"].items():
        assert spec.m[k] == v
    assert spec.features == {**SEED_DRESS["features"], "fabric": "woven", "has_bib": False}


def test_defaults_scale_with_the_given_bust():
    small = make_spec({"garment_type": "shirt", "size": "M", "measurements": {"bust": 80}})
    base = make_spec({"garment_type": "shirt", "size": "M"})
    ratio = 80 / SIZE_TABLE["M"]["bust"]
    assert small.m["shoulder_width"] == pytest.approx(base.m["shoulder_width"] * ratio)
    assert small.m["bicep"] == pytest.approx(base.m["bicep"] * ratio)
    assert small.m["hip"] < base.m["hip"]


def test_size_is_inferred_from_bust():
    assert make_spec({"garment_type": "dress", "measurements": {"bust": 118}}).size == "XXL"
    assert make_spec({"garment_type": "dress", "size": "xs"}).size == "XS"


def test_pants_keep_length_equal_rise_plus_inseam():
    s = make_spec({"garment_type": "pants", "measurements": {"pant_length": 100, "rise": 26}})
    assert s.m["inseam"] == pytest.approx(74)
    s = make_spec({"garment_type": "pants", "measurements": {"inseam": 70, "rise": 28}})
    assert s.m["pant_length"] == pytest.approx(98)
    s = make_spec({"garment_type": "pants", "measurements": {"inseam": 70, "pant_length": 97}})
    assert s.m["rise"] == pytest.approx(27)


@pytest.mark.parametrize("data,field,needle", [
    ({"garment_type": "robe"}, "garment_type", ", ".join(GARMENT_TYPES)),
    ({"garment_type": 3}, "garment_type", "must be one of"),
    ({"garment_type": "dress", "measurements": {"bust": -5}}, "measurements.bust", range_text("bust")),
    ({"garment_type": "dress", "measurements": {"bust": 1e9}}, "measurements.bust", range_text("bust")),
    ({"garment_type": "dress", "measurements": {"bust": "big"}}, "measurements.bust", range_text("bust")),
    ({"garment_type": "dress", "measurements": {"bust": True}}, "measurements.bust", "number"),
    ({"garment_type": "dress", "measurements": {"bust": float("nan")}}, "measurements.bust", "range"),
    ({"garment_type": "dress", "measurements": {"bsut": 90}}, "measurements.bsut", "did you mean 'bust'"),
    ({"garment_type": "dress", "features": {"fit": "baggy"}}, "features.fit", "fitted, regular, loose"),
    ({"garment_type": "dress", "features": {"has_hood": "yes"}}, "features.has_hood", "true or false"),
    ({"garment_type": "dress", "size": "XXXL"}, "size", "XS, S, M, L, XL, XXL"),
    ({"garment_type": "dress", "measurements": [1, 2]}, "measurements", "object"),
    ({"garment_type": "shirt", "measurements": {"wrist": 35, "bicep": 25}}, "measurements.wrist", "bicep"),
    ({"garment_type": "pants", "measurements": {"inseam": 90, "pant_length": 100, "rise": 25}},
     "measurements.inseam", "rise"),
    # a long inseam on a long rise: the length they make, not a pant_length the user never gave
    ({"garment_type": "shirt", "measurements": {"inseam": 97, "rise": 34.5}}, "measurements.inseam",
     "rise + inseam must be a pant_length in " + range_text("pant_length")),
    ({"garment_type": "dress", "colour": "red"}, "spec.colour", "allowed"),
    ({"garment_type": "dress", "features": {"material": "tweed"}}, "features.material",
     "cotton_shirting, denim, jersey, fleece, silk, wool_suiting"),
    ({"garment_type": "dress", "features": {"material": ["denim"]}}, "features.material", "denim, jersey"),
    ({"garment_type": "dress", "features": {"color": "#12345g"}}, "features.color", "#rrggbb"),
    ({"garment_type": "dress", "features": {"color": 255}}, "features.color", "#rrggbb"),
    ({"garment_type": "dress", "features": {"material": "jersey", "fabric": "woven"}}, "features.fabric",
     "must be knit with features.material jersey"),
    ({"garment_type": "dress", "features": {"colour": "red"}}, "features.colour", "did you mean 'color'"),
    ({"garment_type": "shirt", "measurements": {"sleeve_length": 7, "cap_height": 4, "cuff_height": 7},
      "features": {"has_cuffs": True}}, "measurements.sleeve_length", "at least cap_height + 3 + 2 = 9"),
    ([["garment_type", "dress"]], "spec", "JSON object"),  # a list of pairs is not a spec
    ([], "spec", "JSON object"),
    ("dress", "spec", "JSON object"),
])
def test_bad_input_is_one_line_naming_the_field(data, field, needle):
    with pytest.raises(SpecError) as exc:
        make_spec(data)
    msg = str(exc.value)
    assert msg.startswith(field + ":"), msg
    assert needle in msg
    assert "\n" not in msg


def test_a_default_cuff_shrinks_to_fit_a_short_sleeve():
    """Cuffed short sleeves: the size table's cuff would eat the cap, so the default gives way."""
    s = make_spec({"garment_type": "shirt", "measurements": {"sleeve_length": 20, "cap_height": 12},
                   "features": {"has_cuffs": True}})
    assert s.m["cuff_height"] == pytest.approx(5)
    plain = make_spec({"garment_type": "shirt"})
    long = make_spec({"garment_type": "shirt", "features": {"has_cuffs": True}})
    assert long.m["cuff_height"] == plain.m["cuff_height"] > 5


def test_a_jackets_break_point_follows_the_back_waist_length():
    """A jacket opens to just above the waist (neckline_depth = back_waist_length + 2 - 3: the front
    runs 2 cm longer over a B cup, more by the full-bust adjustment over a fuller one, the break 3 cm
    above the waist), whatever the size or the given back length; what the user gives stays; a
    cropped jacket still buttons above its hem; a hooded one keeps the type's default (the hood
    takes the neckline)."""
    from garment_addon.core.spec import BREAK_ABOVE_HEM, full_bust_adjustment

    for size, row in SIZE_TABLE.items():
        m = make_spec({"garment_type": "jacket", "size": size}).m
        assert m["neckline_depth"] == pytest.approx(row["back_waist_length"] - 1.0 + full_bust_adjustment(m))
    assert full_bust_adjustment(make_spec({"garment_type": "jacket", "size": "M"}).m) == 0.0
    assert make_spec({"garment_type": "jacket", "measurements": {"back_waist_length": 45}}).m["neckline_depth"] == 44
    b_cup = make_spec({"garment_type": "jacket", "size": "L", "measurements": {"high_bust": 95}}).m
    assert b_cup["neckline_depth"] == SIZE_TABLE["L"]["back_waist_length"] - 1.0
    assert make_spec({"garment_type": "jacket", "measurements": {"neckline_depth": 12}}).m["neckline_depth"] == 12
    cropped = make_spec({"garment_type": "jacket", "measurements": {"bodice_length": 45}}).m
    assert cropped["neckline_depth"] == 45 - BREAK_ABOVE_HEM
    assert make_spec({"garment_type": "jacket", "features": {"has_hood": True}}).m["neckline_depth"] == 20
    again = make_spec(make_spec({"garment_type": "jacket", "size": "L"}).to_dict())  # a saved spec keeps it
    assert again.m["neckline_depth"] == SIZE_TABLE["L"]["back_waist_length"] - 1.0 + full_bust_adjustment(again.m)


def test_material_and_colour_are_optional_features_the_material_deciding_knit_or_woven():
    plain = make_spec({"garment_type": "dress"})
    assert "material" not in plain.features and "color" not in plain.features
    assert plain.material is None and plain.color is None
    jersey = make_spec({"garment_type": "dress", "features": {"material": "jersey", "color": "#AB12Cd"}})
    assert jersey.features["fabric"] == "knit" and jersey.color == "#ab12cd"
    # a type that defaults to knit, made of a woven preset, is woven (its closure, its ease)
    assert make_spec({"garment_type": "hoodie", "features": {"material": "denim"}}).fabric == "woven"
    assert make_spec({"garment_type": "dress", "features": {"color": "navy"}}).color == "#1f2a48"
    assert make_spec({"garment_type": "dress", "features": {"material": None}}).material is None
    assert make_spec(jersey.to_dict()).to_dict() == jersey.to_dict()


def test_round_trip_through_dict():
    spec = make_spec(SEED_DRESS)
    again = make_spec(spec.to_dict())
    assert again.to_dict() == spec.to_dict()


@pytest.mark.parametrize("size", ["S", "M", "XXL"])
def test_trousers_end_at_the_same_place_on_the_male_body(size):
    """The male mannequin's waist is lower (mannequin.PRESETS): its trousers and rise are shorter by
    that much, so the hem stands as high above the floor and the crotch seam as far under the body's
    as on the female body. At 104 cm for both every male hem lay ~2 cm below the floor."""
    from garment_addon.core.body.mannequin import PRESETS, body_for_spec
    from garment_addon.core.spec import MALE_WAIST_DROP

    assert MALE_WAIST_DROP == pytest.approx(PRESETS["female"]["waist"] - PRESETS["male"]["waist"])
    hem, crotch = {}, {}
    for preset in ("female", "male"):
        spec = make_spec({"garment_type": "pants", "size": size, "metadata": {"body_preset": preset}})
        L = body_for_spec(spec).landmarks
        hem[preset] = L["waist"] - spec.m["pant_length"]
        crotch[preset] = L["waist"] - spec.m["rise"] - L["crotch"]
    assert hem["male"] == pytest.approx(hem["female"], abs=0.3) and hem["male"] > -1.0
    assert crotch["male"] == pytest.approx(crotch["female"], abs=0.3)
    given = make_spec({"garment_type": "pants", "measurements": {"pant_length": 100},
                       "metadata": {"body_preset": "male"}})
    assert given.m["pant_length"] == 100  # a given length stays
