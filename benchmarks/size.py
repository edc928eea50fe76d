"""Unzipped size of each built function and the layer after `sam build`, and of function + layer.

Exits non-zero when a function with its layer exceeds Lambda's 250 MB unzipped limit.
Usage: python benchmarks/size.py [.aws-sam/build]
"""

from __future__ import annotations

import sys
from pathlib import Path

LAMBDA_LIMIT_MB = 250.0
TARGET_MB = 40.0


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(build_dir: str = ".aws-sam/build") -> int:
    root = Path(build_dir)
    if not root.is_dir():
        print(f"no build at {root}: run `make build` first")
        return 1
    parts = {p.name: tree_size(p) / 1e6 for p in sorted(root.iterdir()) if p.is_dir()}
    layers = {k: v for k, v in parts.items() if "Layer" in k}
    functions = {k: v for k, v in parts.items() if k not in layers}
    layer_total = sum(layers.values())
    print(f"{'artefact':<28}{'unzipped MB':>12}")
    for name, size in parts.items():
        print(f"{name:<28}{size:>12.1f}")
    worst = 0.0
    for name, size in functions.items():
        total = size + layer_total
        worst = max(worst, total)
        verdict = "ok" if total <= TARGET_MB else f"over the {TARGET_MB:.0f} MB target"
        print(f"{name + ' + layer':<28}{total:>12.1f}  {verdict}")
    if worst > LAMBDA_LIMIT_MB:
        print(f"FAIL: over Lambda's {LAMBDA_LIMIT_MB:.0f} MB unzipped limit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
