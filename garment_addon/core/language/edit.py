"""Chat-style edits of a spec: "make the sleeves longer", "10 cm shorter", "add a hood", "make it a dress".

Offline rules first; an LLM (core.vlm client) for instructions the rules do not cover when one
is configured. The result always goes through core.spec.make_spec, so an edit that breaks a
range or a relation is rejected with the field named.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from typing import Any

from ..categories import measurements_from_categories
from ..errors import UserError
from ..fabric import PRESETS, check_color, material_fabric
from ..garments import has_bodice, has_part
from ..spec import (
    FEATURES,
    FITS,
    GARMENT_TYPES,
    LOOK_FEATURES,
    MEASUREMENTS,
    SIZE_TABLE,
    SLEEVE_ABOVE_CAP,
    GarmentSpec,
    clamp_relations,
    default_measurements,
    make_spec,
)
from .parse import colour_in, find_types, length_in, material_in, sleeves_in
from .words import (
    FABRIC_WORDS,
    FEATURE_WORDS,
    FIT_WORDS,
    SILHOUETTE_WORDS,
    find_numbers,
    normalise,
    primary_length,
    to_cm,
)

log = logging.getLogger(__name__)
BACKENDS = ("offline", "llm", "auto")
STEP_CM = 5.0  # "longer"/"shorter" without an amount
BIG_STEP_CM = 10.0  # "much longer"
BODY_KEYS = (
    "bust",
    "waist",
    "hip",
    "neck",
    "shoulder_width",
    "back_waist_length",
    "bicep",
    "wrist",
    "thigh",
    "knee",
    "ankle",
)
HELP = (
    "try e.g. 'make the sleeves longer', '10 cm shorter', 'add a hood', 'remove the pockets', "
    "'make it looser', 'make it sleeveless', 'knee length', 'make it a dress', 'bust 96 cm'"
)

_AMOUNT = re.compile(
    r"(?:by\s+)?(?P<num>\d+(?:[.,]\d+)?)\s*(?P<unit>cm|mm|centimet(?:er|re)s?|inches|inch|in\b|\"|”)"
)


class _Edit:
    """A spec dict being edited, with a log of the changes."""

    def __init__(self, spec: GarmentSpec):
        self.d = copy.deepcopy(spec.to_dict())
        self.t = spec.garment_type
        self.changes: list[str] = []
        self.asked: set[str] = set()  # measurements the instruction set

    @property
    def m(self) -> dict[str, float]:
        return self.d["measurements"]

    def set(self, name: str, value: float, why: str) -> None:
        self.asked.add(name)
        old = self.m.get(name)
        self.m[name] = round(float(value), 2)
        if name == "pant_length":
            self.m.pop("inseam", None)  # re-derived from pant_length - rise
        if name in ("inseam",):
            self.m.pop("pant_length", None)
        self.changes.append(
            f"{name}: {old:g} -> {value:g} cm ({why})" if old is not None else f"{name} = {value:g}"
        )

    def fabric(self, material: str | None, fabric: str | None) -> None:
        """A new fabric preset (it decides knit or woven), or a new knit / woven alone (a material
        that is not one goes: a denim shirt made knit is no longer denim)."""
        feats = self.d["features"]
        if material:
            self.feature("material", material)
            fabric = material_fabric(material)
        elif fabric and feats.get("material") and material_fabric(feats["material"]) != fabric:
            self.changes.append(f"material: {feats.pop('material')} -> none (not a {fabric})")
        if fabric:
            self.feature("fabric", fabric)

    def feature(self, name: str, value: Any) -> None:
        old = self.d["features"].get(name)
        self.changes.append(f"{name}: {old} -> {value}" if old != value else f"{name}: already {value}")
        self.d["features"][name] = value


def _target_length(t: str, instr: str, garment_type: str) -> str:
    """Which length an instruction talks about: sleeves, the skirt, the legs or the bodice."""
    if re.search(r"\bsleeve", t):
        return "sleeve_length"
    if re.search(r"\b(inseam|inside leg)\b", t):
        return "inseam"
    if re.search(r"\b(leg|legs|pants|trousers|jeans)\b", t) and has_part(garment_type, "pants"):
        return "pant_length"
    if re.search(r"\b(skirt|hem|dress)\b", t) and has_part(garment_type, "skirt"):
        return "skirt_length"
    if re.search(r"\b(bodice|top|body|torso)\b", t) and has_bodice(garment_type):
        return "bodice_length"
    if re.search(r"\bneckline|neck\b", t) and has_bodice(garment_type):
        return "neckline_depth"
    return primary_length(garment_type)


def _amount(t: str) -> float | None:
    m = _AMOUNT.search(t)
    return to_cm(m.group("num"), m.group("unit")) if m else None


def _first_word(t: str, table: dict[str, str], skip: tuple[str, ...] = ()) -> str | None:
    """What the instruction's first word found in ``table`` (and not in ``skip``) stands for."""
    return next((table[w] for w in re.findall(r"[a-z-]+", t) if w in table and w not in skip), None)


def _rules(e: _Edit, instr: str) -> None:
    t = normalise(instr)
    # 1. type change: "make it a dress", "turn it into pants", "change to a jacket"
    m = re.search(
        r"\b(make (?:it|this|them)(?: into)?|(?:turn|change|convert) (?:it |this |them )?(?:in)?to|switch to"
        r"|into)\s+(an?\s+|a pair of\s+)?(?P<rest>.+)",
        t,
    )
    types = find_types(m.group("rest")) if m else []
    if types and types[0][0] != e.t:
        new_t = types[0][0]
        keep = {k: v for k, v in e.m.items() if k in BODY_KEYS}
        # the fit, what it is made of and its colour carry over; the rest is the new type's
        feats = {k: e.d["features"][k] for k in ("fit", "material", "color") if k in e.d["features"]}
        e.d = {
            "garment_type": new_t,
            "size": e.d["size"],
            "measurements": keep,
            "features": feats,
            "metadata": e.d.get("metadata", {}),
        }
        e.changes.append(f"garment_type: {e.t} -> {new_t}")
        e.t = new_t
    if types:  # what the word implies: "shorts" are short pants, "a sundress" has no sleeves
        implied = {k: v for k, v in types[0][1].items() if k in ("length", "sleeves", "silhouette")}
        for name, v in measurements_from_categories(e.t, implied, e.d["size"]).items():
            if e.m.get(name) != v:
                e.set(name, v, ", ".join(implied.values()))
    # "to the wrist", "down to the elbow": a sleeve class, not a step
    reach = re.search(r"\bsleeves?\b.*\bto\s+(?:the\s+)?(wrists?|elbows?|shoulders?)\b", t)
    reach_cls = {"w": "long", "e": "elbow", "s": "none"}[reach.group(1)[0]] if reach else None
    # 2. sleeves: "sleeveless", "short sleeves", "remove the sleeves", "add sleeves"
    if has_bodice(e.t):
        if re.search(r"\b(remove|drop|no|without|cut off)\s+(the\s+)?sleeves\b|\bsleeveless\b", t):
            e.set("sleeve_length", 0.0, "sleeveless")
        elif re.search(r"\badd\s+(some\s+)?sleeves\b", t) and e.m.get("sleeve_length", 0) == 0:
            e.set(
                "sleeve_length",
                measurements_from_categories(e.t, {"sleeves": "short"}, e.d["size"])["sleeve_length"],
                "added sleeves",
            )
        elif (cls := reach_cls or sleeves_in(t)) and (
            reach_cls or not re.search(r"\b(longer|shorter|lengthen|shorten)\b", t)
        ):
            e.set(
                "sleeve_length",
                # "to the wrist" names where it ends, as a cuff does; "long sleeves" go onto the hand
                measurements_from_categories(e.t, {"sleeves": cls, "has_cuffs": bool(reach_cls)
                                                   or e.d["features"].get("has_cuffs")}, e.d["size"])["sleeve_length"],
                f"{cls} sleeves",
            )
    # 3. features: "add a hood", "remove the pockets", "with cuffs", "no collar"
    for word, name in FEATURE_WORDS.items():
        if re.search(
            rf"\b(remove|drop|no|without|take off|delete)\s+(the\s+|a\s+|an\s+|any\s+)?{word}\b", t
        ) or re.search(rf"\b{word}less\b", t):
            e.feature(name, False)
        elif re.search(rf"\b(add|with|put|give it|include)\s+(the\s+|a\s+|an\s+|some\s+)?{word}\b", t):
            e.feature(name, True)
    # 4. fit: "looser", "tighter", "make it fitted"
    fit = e.d["features"].get("fit", "regular")
    i = FITS.index(fit)
    if re.search(r"\b(looser|baggier|roomier|more relaxed|less fitted|bigger|let it out)\b", t):
        e.feature("fit", FITS[min(i + 1, 2)])
    elif re.search(r"\b(tighter|slimmer|more fitted|closer|snugger|less loose|take (?:it|them) in)\b", t):
        e.feature("fit", FITS[max(i - 1, 0)])
    elif fit := _first_word(t, FIT_WORDS, skip=("full", "straight")):
        e.feature("fit", fit)
    # fabric: "make it in jersey", "use linen", "red denim": the preset, and the knit or woven it is
    fabric = _first_word(t, FABRIC_WORDS)
    e.fabric(material_in(t, (fabric or e.d["features"].get("fabric")) == "knit"), fabric)
    # 5. length class: "knee length", "make it maxi", "cropped"
    if not re.search(r"\bsleeve", t) and not re.search(r"\b(longer|shorter|lengthen|shorten)\b", t):
        cls = length_in(t, e.t)
        if cls:
            for name, v in measurements_from_categories(e.t, {"length": cls}, e.d["size"]).items():
                e.set(name, v, cls)
    # 6. relative lengths: "10 cm shorter", "2 inches longer sleeves", "much longer", "shorten the hem"
    longer = re.search(r"\b(longer|lengthen|extend|lower the hem|drop the hem)\b", t)
    shorter = re.search(r"\b(shorter|shorten|raise the hem|take up)\b", t)
    if (longer or shorter) and not reach_cls:
        name = _target_length(t, instr, e.t)
        if name == "neckline_depth":
            name = primary_length(e.t)
        if name == "sleeve_length" and not has_bodice(e.t):
            raise UserError(f"instruction: no sleeves to make longer or shorter on {e.t}; {HELP}")
        amount = _amount(t) or (BIG_STEP_CM if re.search(r"\b(much|a lot|way)\b", t) else STEP_CM)
        cur = e.m.get(name, MEASUREMENTS[name].lo)
        if name == "sleeve_length" and cur == 0 and longer:
            cur = (
                measurements_from_categories(e.t, {"sleeves": "short"}, e.d["size"])["sleeve_length"] - amount
            )
        new = cur + (amount if longer else -amount)
        least = e.m.get("cap_height", 12) + SLEEVE_ABOVE_CAP
        if name == "sleeve_length" and 0 < cur and new < least:
            # shorter than its own cap is no sleeve: stop at the shortest sleeve the cap allows
            new = least
            amount = cur - new
        e.set(name, new, f"{'longer' if longer else 'shorter'} by {amount:g}")
    # 7. neckline: "deeper/lower neckline", "higher neckline", "v-neck"
    if has_bodice(e.t):
        if re.search(r"\b(deeper|lower|plunging)\s+(the\s+)?neck", t):
            e.set("neckline_depth", e.m.get("neckline_depth", 8) + (_amount(t) or 3), "deeper neckline")
        elif re.search(r"\b(higher|shallower|raise the)\s+(the\s+)?neck", t):
            e.set("neckline_depth", e.m.get("neckline_depth", 8) - (_amount(t) or 3), "higher neckline")
        elif re.search(r"\bv-neck\b", t) and e.t == "jacket":
            # a jacket's front is a V already: its lapels open to the break point above the waist,
            # and a shirt's 18 cm V would pull the break up to the bust
            e.changes.append(f"neckline_depth: already a V, {e.m.get('neckline_depth', 0):g} cm to the break point")
        elif re.search(r"\bv-neck\b", t):
            e.set("neckline_depth", 18, "v-neck")
    # 8. width: "more flared", "fuller", "wider legs", "narrower"
    wider = re.search(r"\b(wider|fuller|more flared|more flare|flare it)\b", t)
    narrower = re.search(r"\b(narrower|less flared|less flare|slimmer skirt|straighter)\b", t)
    if (wider or narrower) and has_part(e.t, "skirt"):
        e.set("flare", max(0.0, e.m.get("flare", 6) + (_amount(t) or 5) * (1 if wider else -1)), "flare")
    elif (wider or narrower) and has_part(e.t, "pants"):
        base = SIZE_TABLE.get(e.d["size"], SIZE_TABLE["M"])["ankle"]
        e.set(
            "ankle", max(base, e.m.get("ankle", base) + (_amount(t) or 8) * (1 if wider else -1)), "leg width"
        )
    for w in re.findall(r"[a-z-]+", t):
        if w in SILHOUETTE_WORDS and not (wider or narrower):
            for name, v in measurements_from_categories(
                e.t, {"silhouette": SILHOUETTE_WORDS[w]}, e.d["size"]
            ).items():
                e.set(name, v, SILHOUETTE_WORDS[w])
            break
    # 9. explicit numbers: "bust 96 cm", "set the waist to 70"
    if not (longer or shorter):
        for name, cm, _ in find_numbers(t, e.t):
            e.set(name, cm, "given")
    # 10. colour: "make it red", "in light blue" (the pattern does not depend on it; the render does)
    colour, colours = colour_in(t, e.d["features"].get("material"))
    if colours:
        e.d.setdefault("metadata", {})["colours"] = colours
    if colour:
        e.feature("color", colour)
    # 11. size: "size L"
    m = re.search(r"\bsize\s+(xxl|xl|xs|s|m|l)\b", t)
    if m:
        e.d["size"] = m.group(1).upper()
        e.changes.append(f"size -> {e.d['size']}")


EDIT_PROMPT = (
    "You edit a garment spec. Spec: {spec}\nInstruction: {instr}\nReply with JSON "
    '{{"garment_type": optional new type, "measurements": {{name: new cm}}, "features": '
    "{{name: value}}}} containing only what changes. Measurement names: {names}. Features: {feats}."
)
EDIT_SCHEMA = {
    "type": "object",
    "properties": {
        "garment_type": {"type": "string", "enum": list(GARMENT_TYPES)},
        "measurements": {"type": "object"},
        "features": {"type": "object"},
    },
}


def _check_edit(ans: dict) -> dict:
    """The LLM's edit answer, or ValueError (it gets one repair request): objects where objects belong."""
    for key in ("measurements", "features"):
        if not isinstance(ans.get(key) or {}, dict):
            raise ValueError(f"{key} must be an object of name -> value")
    return ans


def _llm_edit(e: _Edit, instr: str, client) -> None:
    spec_json = json.dumps({k: e.d[k] for k in ("garment_type", "size", "measurements", "features")})
    ans = client.ask_text(
        EDIT_PROMPT.format(
            spec=spec_json, instr=instr, names=", ".join(MEASUREMENTS), feats=", ".join((*FEATURES, *LOOK_FEATURES))
        ),
        EDIT_SCHEMA,
        "edit",
        _check_edit,
    )
    if ans.get("garment_type") in GARMENT_TYPES and ans["garment_type"] != e.t:
        e.d["measurements"] = {k: v for k, v in e.m.items() if k in BODY_KEYS}
        e.changes.append(f"garment_type: {e.t} -> {ans['garment_type']}")
        e.t = e.d["garment_type"] = ans["garment_type"]
    for k, v in (ans.get("measurements") or {}).items():
        if k in MEASUREMENTS and isinstance(v, int | float) and not isinstance(v, bool):
            e.set(k, float(v), "llm")
    feats = dict(ans.get("features") or {})
    material = feats.pop("material", None)
    if material in PRESETS or "fabric" in feats:  # a material the presets lack is left out
        e.fabric(material if material in PRESETS else None, feats.pop("fabric", None))
    if "color" in feats:
        try:
            e.feature("color", check_color(feats.pop("color")))
        except UserError:
            log.info("edit: the LLM's colour is no colour; left out")
    for k, v in feats.items():
        if k in FEATURES:
            e.feature(k, v)


def edit_spec(
    spec: GarmentSpec | dict, instruction: str, backend: str = "offline", client=None
) -> GarmentSpec:
    """Apply a chat-style instruction; the edit log lands in ``metadata["edits"]``."""
    if backend not in BACKENDS:
        raise UserError(f"backend: must be one of {', '.join(BACKENDS)} (got {backend!r})")
    if not isinstance(instruction, str) or not instruction.strip():
        raise UserError("instruction: empty; " + HELP)
    spec = spec if isinstance(spec, GarmentSpec) else make_spec(spec)
    e = _Edit(spec)
    _rules(e, instruction)
    used = "offline"
    warnings: list[str] = []
    if not e.changes and backend in ("llm", "auto"):
        from ..vlm.client import ask_or_fall_back

        if ask_or_fall_back(backend, lambda llm: _llm_edit(e, instruction, llm) or True, warnings, what="LLM",
                            offline="rules", client=client):
            used = "llm"
    if not e.changes:
        why = f" ({warnings[-1]})" if warnings else ""
        raise UserError(f"instruction: could not understand {instruction.strip()[:80]!r}; {HELP}{why}")
    meta = dict(e.d.get("metadata") or {})
    meta["edits"] = list(meta.get("edits", [])) + [
        {"instruction": instruction, "changes": e.changes, "backend": used}
    ]
    e.d["metadata"] = meta
    _follow(e)
    return make_spec(e.d)


def _follow(e: _Edit) -> None:
    """Move the measurements the edit did not ask for into the relations the asked ones now set
    (core.spec.RELATIONS, as the refinement clamps): a shorter bodice takes its neckline up with
    it. What was asked stays as asked, for make_spec to accept or name."""
    full = default_measurements(e.t, e.d["size"], e.m) | e.m
    for name, v in clamp_relations(full, fixed=e.asked).items():
        if name in e.m and abs(v - full[name]) > 1e-6:
            old = e.m[name]
            e.m[name] = round(v, 2)
            e.changes.append(f"{name}: {old:g} -> {e.m[name]:g} cm (follows {', '.join(sorted(e.asked))})")
