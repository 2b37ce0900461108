"""Text -> GarmentSpec: an offline parser for garment words, lengths, sleeves, fit, features,
colours and numbers with units; an LLM through the same client when asked."""

from __future__ import annotations

import logging
import re
from typing import Any

from ..categories import BODY, height_cm, length_class, measurements_from_categories
from ..errors import UserError
from ..fabric import FIBRE_WORDS, MATERIAL_WORDS, colour_words, material_fabric
from ..garments import TYPES, has_part, is_top, primary_length
from ..spec import GARMENT_TYPES, MEASUREMENTS, SIZES, GarmentSpec
from .words import (
    FABRIC_WORDS,
    FEATURE_WORDS,
    FIT_WORDS,
    LENGTH_WORDS,
    NECKLINE_WORDS,
    SILHOUETTE_WORDS,
    SLEEVE_WORDS,
    TYPE_WORDS,
    WEARER_WORDS,
    find_numbers,
    normalise,
)

log = logging.getLogger(__name__)
BACKENDS = ("offline", "llm", "auto")
MAX_TEXT = 2000
_NEG = r"(?:no|without|minus|remove|removed|drop|sans)\s+(?:the\s+|a\s+|an\s+|any\s+)?"


def _words(t: str) -> list[tuple[str, int]]:
    return [(m.group(0), m.start()) for m in re.finditer(r"[a-z0-9/]+(?:-[a-z0-9]+)*", t)]


def find_types(t: str) -> list[tuple[str, dict[str, Any], int]]:
    """Garment words in order of appearance: [(type, implied attributes, position)]."""
    found = []
    end = -2
    for w, pos in _words(t):
        if w in TYPE_WORDS and not (
            w == "hooded" and re.search(r"hooded\s+\w*\s*(jacket|coat|top|dress)", t)
        ):
            typ, implied = TYPE_WORDS[w]
            if found and re.fullmatch(r"[\s-]*", t[end:pos]):
                # "sweater vest", "shirt dress": the last noun names the garment; a modifier of
                # the same type keeps what it implies ("polo shirt" has short sleeves, a collar)
                prev_t, prev_implied, _ = found.pop()
                implied = {**prev_implied, **implied} if prev_t == typ else implied
            found.append((typ, implied, pos))
            end = pos + len(w)
    return found


def sleeves_in(t: str) -> str | None:
    if re.search(r"\b(sleeveless|strapless|no[\s-]sleeves?|without\s+sleeves|tank)\b", t):
        return "none"
    m = re.search(r"\b([a-z0-9/-]+)[\s-]+sleeve[sd]?\b", t)
    if m:
        w = m.group(1).removesuffix("-length")
        if w in SLEEVE_WORDS:
            return SLEEVE_WORDS[w]
        if w.endswith("-length") or w in ("elbow",):
            return "elbow"
    return None


# "long" / "short" in front of the garment's noun, up to three other words between ("a long flared summer
# dress"), none of them about sleeves ("a long-sleeved dress" says nothing about its length)
_BEFORE_NOUN = r"\b{adj}\s+(?:(?!sleeve)[a-z-]+\s+){{0,3}}(?:{nouns})\b"


def length_in(t: str, garment_type: str) -> str | None:
    for w, _ in _words(t):
        if w in LENGTH_WORDS and LENGTH_WORDS[w]:
            v = LENGTH_WORDS[w]
            if not is_top(garment_type) and v in ("cropped", "hip"):
                v = "midi" if has_part(garment_type, "pants") else "mini"
            if is_top(garment_type) and v not in ("cropped", "hip"):
                v = {"mini": "cropped", "knee": "long", "midi": "long", "maxi": "long", "ankle": "long"}[v]
            return v
    if re.search(_BEFORE_NOUN.format(adj="long", nouns="dress|skirt|gown|coat|pants|trousers"), t):
        return ("ankle" if has_part(garment_type, "pants") else "maxi" if has_part(garment_type, "skirt")
                else "long")
    if re.search(_BEFORE_NOUN.format(adj="short", nouns="dress|skirt"), t):
        return "mini"
    return None


def wearer_in(t: str) -> str | None:
    """"male" or "female" when the text says who the garment is for ("men's jacket", "ladies' blouse")."""
    found = {WEARER_WORDS[w] for w, _ in _words(t) if w in WEARER_WORDS}
    return found.pop() if len(found) == 1 else None


def features_in(t: str) -> dict[str, bool]:
    feats: dict[str, bool] = {}
    for word, name in FEATURE_WORDS.items():
        if re.search(rf"\b{_NEG}{word}\b", t) or re.search(rf"\b{word}less\b", t):
            feats[name] = False
        elif re.search(rf"\b{word}\b", t) and name not in feats:
            feats[name] = True
    return feats


def own_clause(t: str, types: list[tuple[str, dict[str, Any], int]]) -> str:
    """The part of the text that describes its first garment: all of it, or in an outfit ("jeans
    with a red shirt") the clause round that garment's word, so the shirt's colour is not the jeans'."""
    if len(types) < 2:
        return t
    pos = types[0][2]
    cuts = [(m.start(), m.end()) for m in re.finditer(r"[,;&]|\b(?:and|with|under|over|plus)\b", t)]
    start = max((e for s, e in cuts if e <= pos), default=0)
    return t[start:min((s for s, _ in cuts if s > pos), default=len(t))]


def material_in(t: str, knit: bool) -> str | None:
    """The fabric preset the (normalised) text names: "denim", "tweed", "satin", "jersey"; a fibre
    alone names one by the garment's knit or woven ("cotton": shirting, in a knit jersey; "wool":
    suiting, in a knit none)."""
    if re.search(r"\bsweatshirt\s+(?:fabric|material|cloth)\b", t):
        return "fleece"
    words = [w for w, _ in _words(t)]
    for w in words:
        if w in MATERIAL_WORDS:
            return MATERIAL_WORDS[w]
    fibre = next((FIBRE_WORDS[w] for w in words if w in FIBRE_WORDS), None)
    return fibre and fibre[knit]


def colour_in(t: str, material: str | None = None) -> tuple[str | None, list[str]]:
    """(the garment's colour as '#rrggbb', every colour word) in the (normalised) text: the first
    colour word, "light" / "dark" before it shading it; "denim" is a colour only when it is not the
    material (the preset's own colour is denim's)."""
    found = colour_words(t)
    pick = next((h for w, h in found if MATERIAL_WORDS.get(w) is None or MATERIAL_WORDS[w] != material), None)
    return pick, [w for w, _ in found]


def parse_offline(text: str) -> tuple[str, dict[str, Any]]:
    """(garment type, {"attributes", "features", "measurements", "size", "colours", "others", "warnings"})."""
    t = normalise(text)
    types = find_types(t)
    if not types:
        raise UserError(
            "text: no garment type found; mention one of "
            + ", ".join(GARMENT_TYPES)
            + " (or a word like t-shirt, jeans, coat, blouse, gown, shorts)"
        )
    gtype, implied, _ = types[0]
    others = [ty for ty, _, _ in types[1:] if ty != gtype]
    attrs: dict[str, Any] = {k: v for k, v in implied.items() if k in ("length", "sleeves", "silhouette")}
    feats: dict[str, Any] = {k: v for k, v in implied.items() if k.startswith("has_") or k in ("fit", "fabric")}
    meas: dict[str, float] = dict(implied.get("measurements", {}))
    if (s := sleeves_in(t)) is not None:
        attrs["sleeves"] = s
    if (ln := length_in(t, gtype)) is not None:
        attrs["length"] = ln
    for w, _ in _words(t):
        if w in SILHOUETTE_WORDS:
            sil = SILHOUETTE_WORDS[w]
            attrs["silhouette"] = (
                "wide-leg"
                if has_part(gtype, "pants") and sil == "flared"
                else "A-line"
                if not has_part(gtype, "pants") and sil == "wide-leg"
                else sil
            )
        if w in FIT_WORDS:
            feats["fit"] = FIT_WORDS[w]
        if w in FABRIC_WORDS:
            feats["fabric"] = FABRIC_WORDS[w]
        if w in NECKLINE_WORDS:
            attrs["neckline"] = NECKLINE_WORDS[w]
    feats.update(features_in(t))
    knit = feats.get("fabric", TYPES[gtype].defaults.get("fabric")) == "knit"
    own = own_clause(t, types)
    if material := material_in(own, knit):
        feats.update(material=material, fabric=material_fabric(material))
    if colour := colour_in(own, material)[0]:
        feats["color"] = colour
    colours = colour_in(t)[1]
    size = None
    m = re.search(r"\bsize\s+(" + "|".join(s.lower() for s in SIZES) + r")\b", t)
    if m:
        size = m.group(1).upper()
    else:
        for word, sz in (
            ("extra small", "XS"),
            ("extra large", "XL"),
            ("small", "S"),
            ("medium", "M"),
            ("large", "L"),
        ):
            if re.search(rf"\b(in|size)\s+{word}\b", t):
                size = sz
                break
    numbers = find_numbers(t, gtype)
    meas.update(measurements_from_categories(gtype, attrs | {"has_cuffs": feats.get("has_cuffs")}, size or "M"))
    warnings = []
    for name, cm, _ in numbers:
        f = MEASUREMENTS[name]
        if not f.lo <= cm <= f.hi:
            raise UserError(
                f"measurements.{name}: {cm:g} cm is out of range {f.lo:g}..{f.hi:g} cm "
                f'(from the text; units: cm, mm, in, inches, ")'
            )
        meas[name] = round(cm, 1)
    prim = primary_length(gtype)
    # a skirt or leg length the text states decides the length class
    if prim != "bodice_length" and prim in meas and any(n == prim for n, _, _ in numbers):
        attrs["length"] = length_class(BODY["waist"] + meas[prim] / height_cm(size or "M"))
    return gtype, {
        "attributes": attrs,
        "features": feats,
        "measurements": meas,
        "size": size,
        "colours": colours,
        "others": others,
        "warnings": warnings,
        "explicit": [n for n, _, _ in numbers],
        "wearer": wearer_in(t),
    }


def _to_spec(gtype: str, parsed: dict[str, Any], text: str, backend: str) -> GarmentSpec:
    from ..vlm.schema import safe_spec

    conf = {
        "garment_type": 0.9,
        **{k: 0.75 for k in parsed["attributes"]},
        **{k: 0.95 for k in parsed["explicit"]},
    }
    meta = {
        "source": text,
        "backend": backend,
        "confidence": conf,
        "attributes": parsed["attributes"],
        "others": parsed["others"],
        "colours": parsed["colours"],
        "warnings": parsed["warnings"],
    }
    if parsed.get("wearer"):
        meta["body_preset"] = parsed["wearer"]
    from ..spec import SpecError, make_spec

    data = {
        "garment_type": gtype,
        "measurements": parsed["measurements"],
        "features": parsed["features"],
        "metadata": meta,
    }
    if parsed.get("size"):
        data["size"] = parsed["size"]
    explicit = set(parsed["explicit"])
    try:
        return make_spec(data)
    except SpecError as exc:
        field = str(exc).split(":")[0].removeprefix("measurements.")
        if field in explicit:  # the user's own number is wrong: say so
            raise
    # a rule-derived value clashed with the user's numbers: drop rule values, keep theirs
    return safe_spec(gtype, parsed["measurements"], parsed["features"], meta)


TEXT_PROMPT = (
    "Turn this garment description into JSON with the keys garment_type, fit, length, sleeves, "
    "silhouette, neckline, has_collar, has_hood, has_cuffs, has_pockets, fabric, material, colour, wearer "
    "(female or male, if the text says who it is for), others and an "
    "optional measurements object in centimetres using these names: {names}. Only include "
    "measurements the text states. Description: {text}"
)


def parse_text(text: str, backend: str = "offline", client=None) -> GarmentSpec:
    """Text -> validated GarmentSpec (``offline`` rules, ``llm`` via the VLM client, ``auto``)."""
    if backend not in BACKENDS:
        raise UserError(f"backend: must be one of {', '.join(BACKENDS)} (got {backend!r})")
    if not isinstance(text, str) or not text.strip():
        raise UserError(
            "text: empty; describe a garment, e.g. 'a knee-length A-line dress with short sleeves'"
        )
    if len(text) > MAX_TEXT:
        raise UserError(f"text: {len(text)} characters; at most {MAX_TEXT} allowed")
    warnings: list[str] = []
    if backend in ("llm", "auto"):
        from ..vlm.client import ask_or_fall_back
        from ..vlm.schema import GARMENT_SCHEMA, answer_to_spec, check_answer

        def ask(llm):
            prompt = TEXT_PROMPT.format(names=", ".join(MEASUREMENTS), text=text)
            ans = llm.ask_text(prompt, GARMENT_SCHEMA, "garment", check_answer)
            spec = answer_to_spec(ans, source=text, model=llm.last_model)
            spec.metadata["backend"] = "llm"
            return spec

        spec = ask_or_fall_back(backend, ask, warnings, what="LLM", offline="parser", client=client)
        if spec is not None:
            return spec
    gtype, parsed = parse_offline(text)
    parsed["warnings"] = warnings + parsed["warnings"]
    return _to_spec(gtype, parsed, text, "offline")
