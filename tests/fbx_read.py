"""Just enough of the binary FBX format (7.x) to read each Model's name, type and local transform,
for checking what a game engine will see (Blender's own importer would undo its axis conversion)."""

from __future__ import annotations

import struct
import zlib

_SCALAR = {b"Y": "<h", b"C": "<?", b"I": "<i", b"F": "<f", b"D": "<d", b"L": "<q"}
_ARRAY = {b"f": "f", b"d": "d", b"l": "q", b"i": "i", b"b": "?"}


def _props(data: bytes, pos: int, n: int) -> tuple[list, int]:
    out = []
    for _ in range(n):
        t = data[pos:pos + 1]
        pos += 1
        if t in _SCALAR:
            fmt = _SCALAR[t]
            out.append(struct.unpack_from(fmt, data, pos)[0])
            pos += struct.calcsize(fmt)
        elif t in _ARRAY:
            count, enc, length = struct.unpack_from("<III", data, pos)
            pos += 12
            raw = data[pos:pos + length]
            pos += length
            raw = zlib.decompress(raw) if enc else raw
            out.append(struct.unpack(f"<{count}{_ARRAY[t]}", raw))
        elif t in (b"S", b"R"):
            (length,) = struct.unpack_from("<I", data, pos)
            pos += 4
            out.append(data[pos:pos + length])
            pos += length
        else:
            raise ValueError(f"FBX property type {t!r}")
    return out, pos


def _nodes(data: bytes, pos: int, end: int, wide: bool) -> list[tuple[bytes, list, list]]:
    out = []
    head = "<QQQB" if wide else "<IIIB"
    size = struct.calcsize(head)
    while pos < end:
        node_end, n_props, _, name_len = struct.unpack_from(head, data, pos)
        if node_end == 0:
            break
        pos += size
        name = data[pos:pos + name_len]
        pos += name_len
        props, pos = _props(data, pos, n_props)
        children = _nodes(data, pos, node_end, wide) if pos < node_end else []
        out.append((name, props, children))
        pos = node_end
    return out


def read_models(path) -> list[dict]:
    """[{name, type, translation, rotation, scaling}] of every Model (defaults: 0, 0, 1)."""
    data = open(path, "rb").read()
    assert data.startswith(b"Kaydara FBX Binary"), "not a binary FBX"
    version = struct.unpack_from("<I", data, 23)[0]
    top = _nodes(data, 27, len(data), version >= 7500)
    objects = next(c for n, _, c in top if n == b"Objects")
    models = []
    for name, props, children in objects:
        if name != b"Model":
            continue
        m = {"name": props[1].split(b"\x00")[0].decode(), "type": props[2].decode(),
             "translation": (0.0, 0.0, 0.0), "rotation": (0.0, 0.0, 0.0), "scaling": (1.0, 1.0, 1.0)}
        for cname, _, cc in children:
            if cname != b"Properties70":
                continue
            for _, p, _ in cc:
                key = {b"Lcl Translation": "translation", b"Lcl Rotation": "rotation",
                       b"Lcl Scaling": "scaling"}.get(p[0])
                if key:
                    m[key] = tuple(p[4:7])
        models.append(m)
    return models


def unit_scale(path) -> float:
    """GlobalSettings UnitScaleFactor (cm per file unit)."""
    data = open(path, "rb").read()
    version = struct.unpack_from("<I", data, 23)[0]
    top = _nodes(data, 27, len(data), version >= 7500)
    gs = next(c for n, _, c in top if n == b"GlobalSettings")
    for cname, _, cc in gs:
        if cname == b"Properties70":
            for _, p, _ in cc:
                if p[0] == b"UnitScaleFactor":
                    return float(p[4])
    return 1.0
