"""What every command shares: finding the template, printing results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from newsdigest.cli.exits import UsageError


def find_template(explicit: str | None) -> Path:
    if explicit:
        if not Path(explicit).is_file():
            raise UsageError(f"--template {explicit}: no such file")
        return Path(explicit)
    for base in (Path.cwd(), *Path(__file__).resolve().parents):
        candidate = base / "template.yaml"
        if candidate.is_file() and (base / "functions").is_dir():
            return candidate
    raise UsageError("cannot find template.yaml; run from a checkout or pass --template")


def print_json(obj: Any, out: TextIO) -> None:
    out.write(json.dumps(obj, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    out.flush()
