"""Build the Blender extension zip: `make extension` / `python tools/build_extension.py`.

Stages blender_manifest.toml + the garment_addon package (+ wheels) into
build/extension/, then runs Blender's own tool (blender_ext.py, shipped inside
the bpy wheel) to build dist/garment_addon-<version>[-<platform>].zip and to
validate every zip it made.

Wheels: the third-party modules garment_addon imports (found by reading its
import statements) minus what Blender bundles (numpy, requests), pinned to the
versions installed in this venv, downloaded from PyPI per platform with
`pip download --only-binary=:all:` into build/wheels/<platform>/ (a cache: a
second build does not touch the network). A platform whose wheels cannot all
be downloaded is left out, so the manifest only declares platforms that work.

    --platform linux-x64 ...   only these platforms (default: all five)
    --offline                  never touch the network: use cached wheels only
    --no-wheels                pure-Python zip without wheels (tests, CI without PyPI)
    --write-manifest           also write the resulting platforms/wheels lists into
                               the top-level blender_manifest.toml
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.metadata as md
import json
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "garment_addon"
MANIFEST = ROOT / "blender_manifest.toml"
BUILD = ROOT / "build"
STAGE = BUILD / "extension"
WHEEL_CACHE = BUILD / "wheels"
DIST = ROOT / "dist"

# Blender platform -> pip --platform tags (Blender 4.2+ needs glibc 2.28 and macOS 11.2);
# pip does not widen a given tag to older ones, so list the older ones too.
_LINUX = ["manylinux_2_28_{}", "manylinux_2_27_{}", "manylinux_2_17_{}", "manylinux2014_{}"]
PLATFORMS: dict[str, list[str]] = {
    "linux-x64": [t.format("x86_64") for t in _LINUX],
    "linux-arm64": [t.format("aarch64") for t in _LINUX],
    "macos-arm64": ["macosx_11_0_arm64", "macosx_10_9_universal2"],
    "macos-x64": ["macosx_11_0_x86_64", "macosx_10_15_x86_64", "macosx_10_13_x86_64",
                  "macosx_10_9_x86_64", "macosx_10_9_universal2"],
    "windows-x64": ["win_amd64"],
}
# Shipped inside Blender's Python: never bundle a second copy.
BLENDER_BUNDLED = {"numpy", "requests", "urllib3", "idna", "certifi", "charset-normalizer",
                   "zstandard", "cython"}
# Modules that only exist inside Blender.
BLENDER_MODULES = {"bpy", "bmesh", "mathutils", "bpy_extras", "gpu", "gpu_extras", "bl_math", "blf",
                   "idprop", "aud", "bgl", "freestyle", "imbuf", "bl_ui", "bl_operators", "addon_utils",
                   "rna_keymap_ui", "bl_ext", "_bpy"}
# Optional heavy extras the code imports only if present (not shipped).
OPTIONAL = {"mediapipe", "torch", "tqdm", "dask", "distributed", "pytest", "hypothesis"}
EXCLUDE_DIRS = {"__pycache__", "tests"}


def blender_ext_tool() -> Path:
    purelib = Path(sysconfig.get_paths()["purelib"])
    hits = sorted(purelib.glob("bpy/*/scripts/addons_core/bl_pkg/cli/blender_ext.py"))
    if not hits:
        sys.exit("build_extension: blender_ext.py not found; install bpy (pip install -e '.[blender]')")
    return hits[-1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(package: Path = PACKAGE) -> set[str]:
    """Top-level names of every absolute import in the package's source."""
    names: set[str] = set()
    for path in package.rglob("*.py"):
        if EXCLUDE_DIRS & set(path.relative_to(package).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def required_distributions(package: Path = PACKAGE) -> dict[str, str]:
    """{distribution: pinned version} for the third-party imports Blender lacks."""
    dist_of = md.packages_distributions()
    out: dict[str, str] = {}
    for mod in sorted(imported_modules(package)):
        if mod in sys.stdlib_module_names or mod in BLENDER_MODULES or mod == package.name:
            continue
        if mod in OPTIONAL or mod.startswith("_"):
            continue
        for dist in dist_of.get(mod, []):
            if _norm(dist) in BLENDER_BUNDLED or _norm(dist) == "bpy":
                continue
            out[_norm(dist)] = md.version(dist)
    return out


def constraints() -> str:
    """Pin every dependency to what this venv runs (so all platforms resolve alike)."""
    lines = []
    for dist in md.distributions():
        name = dist.metadata["Name"]
        if name and _norm(name) not in {"bpy", "garment-studio"}:
            lines.append(f"{_norm(name)}=={dist.version}")
    return "\n".join(sorted(set(lines))) + "\n"


def download_wheels(platform: str, reqs: dict[str, str], offline: bool) -> list[Path] | None:
    """Wheels for one platform (cached); None when they cannot all be had."""
    dest = WHEEL_CACHE / platform
    key = hashlib.sha256(json.dumps(reqs, sort_keys=True).encode()).hexdigest()[:16]
    stamp = dest / f".complete-{key}"
    if not stamp.exists():
        if offline:
            print(f"  {platform}: no cached wheels (offline)", file=sys.stderr)
            return None
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        (dest / ".constraints.txt").write_text(constraints(), encoding="utf-8")
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
               "--only-binary=:all:", "--python-version", "3.11", "--implementation", "cp",
               "--dest", str(dest), "-c", str(dest / ".constraints.txt")]
        for tag in PLATFORMS[platform]:
            cmd += ["--platform", tag]
        pins = [f"{d}=={v}" for d, v in reqs.items()]
        res = subprocess.run(cmd + pins, capture_output=True, text=True)
        if res.returncode != 0:  # say which pinned package has no wheel for this platform
            missing = [r for r in pins
                       if subprocess.run(cmd + ["--no-deps", r], capture_output=True).returncode]
            why = f"no {PLATFORMS[platform][0]} wheel for {', '.join(missing)}" if missing else \
                (res.stderr.strip().splitlines() or ["pip failed"])[-1]
            print(f"  {platform}: skipped ({why})", file=sys.stderr)
            return None
        stamp.write_text("\n".join(f"{d}=={v}" for d, v in reqs.items()) + "\n", encoding="utf-8")
    return sorted(w for w in dest.glob("*.whl")
                  if _norm(w.name.split("-")[0]) not in BLENDER_BUNDLED)


def _toml_list(key: str, items: list[str]) -> str:
    body = "".join(f'  "{i}",\n' for i in items)
    return f"{key} = [\n{body}]"


def manifest_text(platforms: list[str], wheels: list[str], source: str | None = None) -> str:
    """The manifest with its platforms and wheels lists replaced (dropped when empty)."""
    text = source if source is not None else MANIFEST.read_text(encoding="utf-8")
    for key, items in (("platforms", platforms), ("wheels", wheels)):
        pattern = re.compile(rf"^{key} = \[.*?^\]\n?", re.S | re.M)
        if not pattern.search(text):
            raise SystemExit(f"build_extension: {MANIFEST.name} lacks a multi-line '{key} = [' list")
        text = pattern.sub((_toml_list(key, items) + "\n") if items else "", text, count=1)
    tomllib.loads(text)  # refuse to stage a manifest that no longer parses
    return text


def check_version() -> str:
    manifest = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    init = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', init, re.M)
    if not found or found.group(1) != manifest["version"]:
        raise SystemExit(f"build_extension: manifest version {manifest['version']} != "
                         f"garment_addon.__version__ {found.group(1) if found else '?'}")
    return manifest["version"]


def stage(platforms: list[str], wheels: list[Path], where: Path = STAGE) -> Path:
    shutil.rmtree(where, ignore_errors=True)
    shutil.copytree(PACKAGE, where, ignore=shutil.ignore_patterns(*EXCLUDE_DIRS, "*.pyc"))
    (where / "wheels").mkdir()
    for w in wheels:
        shutil.copy2(w, where / "wheels" / w.name)
    rel = [f"./wheels/{w.name}" for w in wheels]
    (where / "blender_manifest.toml").write_text(manifest_text(platforms, rel), encoding="utf-8")
    return where


def run_tool(*args: str) -> None:
    res = subprocess.run([sys.executable, str(blender_ext_tool()), *args], capture_output=True, text=True)
    out = (res.stdout + res.stderr).strip()
    if res.returncode != 0 or "error" in out.lower():
        raise SystemExit(f"build_extension: blender_ext.py {args[0]} failed:\n{out}")


def build(platforms: list[str], *, offline: bool = False, no_wheels: bool = False,
          write_manifest: bool = False, dist: Path = DIST, stage_dir: Path = STAGE) -> list[Path]:
    version = check_version()
    wheels: dict[str, Path] = {}
    ok_platforms: list[str] = []
    if not no_wheels:
        reqs = required_distributions()
        print(f"wheels for: {', '.join(f'{d}=={v}' for d, v in reqs.items()) or 'nothing'}", file=sys.stderr)
        for plat in platforms if reqs else []:
            got = download_wheels(plat, reqs, offline)
            if got is not None:
                ok_platforms.append(plat)
                wheels.update({w.name: w for w in got})
        if reqs and not ok_platforms:
            raise SystemExit("build_extension: no platform's wheels could be had; "
                             "use --no-wheels for a pure-Python test build")
    staged = stage(ok_platforms, sorted(wheels.values(), key=lambda w: w.name), stage_dir)
    declared = manifest_text(ok_platforms, [f"./wheels/{n}" for n in sorted(wheels)])
    if write_manifest:
        MANIFEST.write_text(declared, encoding="utf-8")
    elif not no_wheels and declared != MANIFEST.read_text(encoding="utf-8"):
        print(f"note: {MANIFEST.name} declares other platforms/wheels than this build staged; "
              "run with --write-manifest to update it", file=sys.stderr)
    dist.mkdir(parents=True, exist_ok=True)
    stem = f"garment_addon-{version}"
    for old in dist.glob(f"{stem}*.zip"):
        old.unlink()
    split = ["--split-platforms"] if ok_platforms else []
    run_tool("build", "--source-dir", str(staged), "--output-dir", str(dist), *split)
    zips = sorted(dist.glob(f"{stem}*.zip"))
    for z in zips:
        run_tool("validate", str(z))
        print(f"built and validated {z.relative_to(ROOT) if z.is_relative_to(ROOT) else z} "
              f"({z.stat().st_size / 1e6:.1f} MB)")
    return zips


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--platform", action="append", choices=list(PLATFORMS),
                   help="platform to build for (repeatable; default: all)")
    p.add_argument("--offline", action="store_true", help="use cached wheels only, no network")
    p.add_argument("--no-wheels", action="store_true", help="pure-Python zip without wheels")
    p.add_argument("--write-manifest", action="store_true",
                   help="write the platforms/wheels lists back into blender_manifest.toml")
    p.add_argument("--dist", type=Path, default=DIST, help="output folder (default dist/)")
    p.add_argument("--stage", type=Path, default=STAGE, help="staging folder (default build/extension/)")
    a = p.parse_args(argv)
    build(a.platform or list(PLATFORMS), offline=a.offline, no_wheels=a.no_wheels,
          write_manifest=a.write_manifest, dist=a.dist.resolve(), stage_dir=a.stage.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
