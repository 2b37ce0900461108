"""tools/fit_analyze.py: the silhouette's likelihood table mixes home photos and renders alike."""

import numpy as np

from garment_addon.core.garments import PHOTO_TYPES
from tools import fit_analyze as F

K = len(PHOTO_TYPES)


def _counts(real_skirt_reads: int, renders_right: int) -> dict:
    """Outline counts: the silhouette calls every real garment a skirt; it reads every render right."""
    n = {(d, c): np.zeros((K, K)) for d in F.DOMAINS for c in ("worn", "outline", "laid-out")}
    s = PHOTO_TYPES.index("skirt")
    for t in ("shirt", "jacket", "skirt"):
        j = PHOTO_TYPES.index(t)
        n["real", "outline"][s, j] = real_skirt_reads
        n["renders", "outline"][j, j] = renders_right
    return n


def test_many_renders_do_not_outvote_few_home_photos():
    few_real = F.table(_counts(real_skirt_reads=2, renders_right=30))["outline"]
    many_renders = F.table(_counts(real_skirt_reads=2, renders_right=300))["outline"]
    # pooled, 30 renders against 2 photos made a skirt reading 10x more likely for a skirt than a jacket
    ratio = few_real["skirt"]["skirt"] / few_real["skirt"]["jacket"]
    assert ratio < 3.5
    # half and half: ten times the renders do not take the photos' half
    assert abs(few_real["skirt"]["jacket"] - many_renders["skirt"]["jacket"]) < 0.02
    for col in PHOTO_TYPES:  # every column a distribution
        assert abs(sum(few_real[s][col] for s in PHOTO_TYPES) - 1) < 1e-9


def test_a_domain_that_never_saw_the_type_has_no_say():
    n = _counts(real_skirt_reads=5, renders_right=30)
    t = F.table(n)["outline"]
    v = PHOTO_TYPES.index("vest")
    n["renders", "outline"][v, v] = 30  # only renders show vests
    t = F.table(n)["outline"]
    assert t["vest"]["vest"] > 0.8  # not diluted by a home-photo column of smoothing alone


def test_leave_one_out_takes_the_photo_out_of_its_domain():
    n = _counts(real_skirt_reads=1, renders_right=30)
    o = {"truth": "jacket", "type": "skirt", "context": "outline", "real": True}
    alone = F.without(o, n)["outline"]
    # without its one real photo the jacket column is the renders' alone: a skirt reading is unlikely
    assert alone["skirt"]["jacket"] < 0.1 < F.table(n)["outline"]["skirt"]["jacket"]
