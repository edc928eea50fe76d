"""Unzipped size of each built function and layer after `sam build`, and of what each deployment
attaches to its functions.

Every function has NewsdigestLayer; Summarise also gets SumyMethodsLayer when a sumy method is deployed
and NumpyLayer for the matrix methods (template.yaml: UsesSumyMethods, UsesNumpyMethods). The default
deployment is held to the 40 MB target; every deployment to Lambda's 250 MB unzipped limit (non-zero
exit when over).
Usage: python benchmarks/size.py [.aws-sam/build]
"""

from __future__ import annotations

import sys
from pathlib import Path

LAMBDA_LIMIT_MB = 250.0
TARGET_MB = 40.0
DEFAULT_LAYERS = ("NewsdigestLayer",)
#: Summarise's layers per kind of deployment (SummaryMethod / AllSummaryMethods).
DEPLOYMENTS = {
    "default, lead (the default)": DEFAULT_LAYERS,
    "luhn, edmundson, kl, sumbasic, reduction": (*DEFAULT_LAYERS, "SumyMethodsLayer"),
    "lexrank, textrank, lsa, AllSummaryMethods": (*DEFAULT_LAYERS, "SumyMethodsLayer", "NumpyLayer"),
}


def tree_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(build_dir: str = ".aws-sam/build") -> int:
    root = Path(build_dir)
    if not root.is_dir():
        print(f"no build at {root}: run `make build` first")
        return 1
    parts = {p.name: tree_size(p) / 1e6 for p in sorted(root.iterdir()) if p.is_dir()}
    print(f"{'artefact':<54}{'unzipped MB':>12}")
    for name, size in parts.items():
        print(f"{name:<54}{size:>12.1f}")
    print(f"\n{'deployment: function + its layers':<54}{'unzipped MB':>12}")
    worst = 0.0
    for function in (name for name in parts if name.endswith("Function")):
        deployments = DEPLOYMENTS if function == "SummariseFunction" else {"every deployment": DEFAULT_LAYERS}
        for label, layers in deployments.items():
            total = parts[function] + sum(parts.get(layer, 0.0) for layer in layers)
            worst = max(worst, total)
            if layers == DEFAULT_LAYERS:
                verdict = "ok" if total <= TARGET_MB else f"over the {TARGET_MB:.0f} MB target"
            else:
                verdict = "ok" if total <= LAMBDA_LIMIT_MB else "over Lambda's limit"
            print(f"{function.removesuffix('Function') + ': ' + label:<54}{total:>12.1f}  {verdict}")
    print(f"default layer (NewsdigestLayer): {parts.get('NewsdigestLayer', 0.0):.2f} MB")
    if worst > LAMBDA_LIMIT_MB:
        print(f"FAIL: over Lambda's {LAMBDA_LIMIT_MB:.0f} MB unzipped limit")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
