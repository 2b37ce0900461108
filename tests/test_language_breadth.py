"""What users type: 30 descriptions and 30 edits through the offline parser (table-driven)."""

from __future__ import annotations

import pytest

from garment_addon.core.language import edit_spec, parse_text

# (description, garment type, {attribute, feature or measurement: expected}); floats are cm (+-0.5)
DESCRIPTIONS = [
    ("cropped boxy hoodie with a kangaroo pocket", "hoodie",
     {"length": "cropped", "fit": "loose", "has_pockets": True, "has_hood": True}),
    ("high-waisted wide-leg trousers, 32 inch inseam", "pants", {"silhouette": "wide-leg", "inseam": 81.3}),
    ("a sleeveless black midi dress", "dress", {"sleeves": "none", "length": "midi", "sleeve_length": 0.0}),
    ("long-sleeved white button-up shirt with a collar", "shirt", {"sleeves": "long", "has_collar": True}),
    ("denim jacket with pockets", "jacket", {"has_pockets": True}),
    ("floor-length evening gown", "dress", {"length": "maxi"}),
    ("pleated mini skirt", "skirt", {"length": "mini"}),
    ("oversized crewneck sweatshirt", "shirt", {"fit": "loose", "sleeves": "long"}),
    ("knee-length pencil skirt", "skirt", {"length": "knee", "silhouette": "fitted"}),
    ('slim fit jeans 30" inseam', "pants", {"fit": "fitted", "inseam": 76.2}),
    ("a fitted v-neck t-shirt with short sleeves", "shirt", {"sleeves": "short", "neckline": "v-neck"}),
    ("puffer vest", "vest", {"sleeve_length": 0.0}),
    ("tank top", "shirt", {"sleeves": "none"}),
    ("maxi dress with 3/4 sleeves", "dress", {"sleeves": "elbow", "length": "maxi"}),
    ("cargo shorts", "pants", {"length": "mini"}),
    ("bermuda shorts", "pants", {"length": "knee"}),
    ("a zip-up hoodie without pockets", "hoodie", {"has_pockets": False}),
    ("wrap dress with elbow-length sleeves, size S", "dress", {"sleeves": "elbow", "size": "S"}),
    ("linen trousers, waist 80 cm, 100 cm long", "pants", {"waist": 80.0, "pant_length": 100.0}),
    ("turtleneck sweater", "shirt", {"sleeves": "long"}),
    ("cardigan with long sleeves", "jacket", {"sleeves": "long"}),
    ("sweater vest", "vest", {"sleeve_length": 0.0}),
    ("shirt dress with short sleeves", "dress", {"sleeves": "short"}),
    ("palazzo pants", "pants", {"silhouette": "wide-leg"}),
    ("a-line skirt 60 cm long", "skirt", {"silhouette": "A-line", "skirt_length": 60.0}),
    ("polo shirt", "shirt", {"sleeves": "short", "has_collar": True}),
    ("sundress with spaghetti straps", "dress", {"sleeves": "none"}),
    ("raincoat with a hood", "jacket", {"has_hood": True}),
    ("culottes", "pants", {"silhouette": "wide-leg", "length": "midi"}),
    ("leggings", "pants", {"silhouette": "fitted", "fit": "fitted"}),
]


def _value(spec, key):
    if key == "size":
        return spec.size
    if key in spec.measurements:
        return spec.measurements[key]
    if key in spec.features:
        return spec.features[key]
    return spec.metadata["attributes"].get(key)


@pytest.mark.parametrize(("text", "garment_type", "want"), DESCRIPTIONS, ids=[d[0][:40] for d in DESCRIPTIONS])
def test_descriptions(text, garment_type, want):
    spec = parse_text(text)
    assert spec.garment_type == garment_type
    for key, v in want.items():
        got = _value(spec, key)
        assert got == pytest.approx(v, abs=0.5) if isinstance(v, float) else got == v, (key, got)


BASES = {
    "shirt": "a regular t-shirt with short sleeves",
    "dress": "a knee-length A-line dress with short sleeves",
    "hoodie": "a hoodie",
    "pants": "straight trousers",
    "skirt": "a midi skirt",
    "jacket": "a wool blazer",
}
# (base, instruction, {key: expected}); a float is cm, a "+N"/"-N" string a change in cm
EDITS = [
    ("dress", "make it 3 inches shorter", {"skirt_length": "-7.62"}),
    ("hoodie", "remove the hood", {"has_hood": False}),
    ("shirt", "add cuffs", {"has_cuffs": True}),
    ("dress", "change to a skirt", {"garment_type": "skirt"}),
    ("shirt", "lengthen the sleeves to the wrist", {"sleeve_length": 58.0}),
    ("shirt", "make it looser", {"fit": "loose"}),
    ("dress", "make it sleeveless", {"sleeve_length": 0.0}),
    ("shirt", "shorten the sleeves", {"sleeve_length": 15.0}),  # stops at cap height + 3
    ("dress", "make it floor length", {"skirt_length": 92.4}),
    ("pants", "make the legs wider", {"ankle": "+8"}),
    ("pants", "turn them into shorts", {"pant_length": 37.0}),
    ("shirt", "add a collar", {"has_collar": True}),
    ("dress", "deeper neckline", {"neckline_depth": "+3"}),
    ("skirt", "make it a mini", {"skirt_length": 37.0}),
    ("shirt", "make the sleeves 5 cm longer", {"sleeve_length": "+5"}),
    ("pants", "2 inches longer", {"pant_length": "+5.08"}),
    ("hoodie", "no pockets", {"has_pockets": False}),
    ("shirt", "crop it", {"bodice_length": 49.6}),
    ("dress", "more flare", {"flare": "+5"}),
    ("pants", "make it tighter", {"fit": "fitted"}),
    ("shirt", "long sleeves please", {"sleeve_length": 61.0}),  # onto the hand, as a default long sleeve
    ("dress", "size L", {"size": "L"}),
    ("shirt", "make it a v-neck", {"neckline_depth": 18.0}),
    ("jacket", "make it a v-neck", {"neckline_depth": "+0"}),  # its lapels' V stays at the waist
    ("pants", "inseam 30 inches", {"inseam": 76.2}),
    ("dress", "make the skirt 10 cm longer", {"skirt_length": "+10"}),
    ("shirt", "elbow length sleeves", {"sleeve_length": 34.8}),
    ("dress", "take it in at the waist", {"fit": "fitted"}),
    ("hoodie", "make it cropped", {"bodice_length": 49.6}),
    ("pants", "make them ankle length", {"pant_length": 95.8}),
    ("shirt", "change it into a dress", {"garment_type": "dress"}),
]


@pytest.mark.parametrize(("base", "instruction", "want"), EDITS, ids=[f"{b}: {i}" for b, i, _ in EDITS])
def test_edits(base, instruction, want):
    before = parse_text(BASES[base])
    after = edit_spec(before, instruction)
    for key, v in want.items():
        got = after.garment_type if key == "garment_type" else _value(after, key)
        if isinstance(v, str) and v[0] in "+-":
            assert got - _value(before, key) == pytest.approx(float(v), abs=0.05), (key, got)
        elif isinstance(v, float):
            assert got == pytest.approx(v, abs=0.5), (key, got)
        else:
            assert got == v, (key, got)
