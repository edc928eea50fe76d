"""Every summarisation method runs in the deployed artefacts, with what it needs there when, and only
when, the deployment's method needs it.

Three layers (shared/Makefile): NewsdigestLayer (every function: default and lead), SumyMethodsLayer
(NLTK and what else sumy's summarisers import) and NumpyLayer (the matrix methods), the last two
attached to Summarise by template conditions. Checked on the template, on the Makefile's recipes and,
when ``sam build`` has run, on the built layers themselves in a python3.13 interpreter with nothing
else on its path but what Lambda's runtime provides: every method summarises with the layers its
deployment gets, the others fail clearly, and the handler's cold start fails for a method it cannot run.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from newsdigest.local.template import load_template
from newsdigest.summarisation.methods import BUILT_IN, METHODS
from newsdigest.summarisation.sumy_methods import NUMPY_METHODS

from tests.conftest import ROOT
from tests.unit.test_layer_build import LAYER_LIMIT_MB, RUNTIME_PROVIDED, _norm

SHARED = ROOT / "shared"
BUILD = ROOT / ".aws-sam" / "build"
LAYER_FILES = {
    "NewsdigestLayer": SHARED / "requirements.txt",
    "SumyMethodsLayer": SHARED / "requirements-sumy.txt",
    "NumpyLayer": SHARED / "requirements-numpy.txt",
}
ENGLISH = ROOT / "tests" / "fixtures" / "summarisation" / "english_article.txt"


def pins(path: Path) -> dict[str, str]:
    found = {}
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"unpinned requirement in {path.name}: {line!r}"
            found[_norm(name)] = version
    return found


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return load_template(ROOT / "template.yaml")


# --- template ---------------------------------------------------------------------------------


def test_summary_method_parameter_allows_exactly_the_registry(template: dict[str, Any]) -> None:
    parameter = template["Parameters"]["SummaryMethod"]
    assert parameter["AllowedValues"] == list(METHODS)
    assert parameter["Default"] == "default"
    env = template["Resources"]["SummariseFunction"]["Properties"]["Environment"]["Variables"]
    assert env["SUMMARY_METHOD"] == {"Ref": "SummaryMethod"}
    for name, parameter_name in (
        ("SUMMARY_SENTENCES", "SummarySentences"),
        ("SUMMARY_RATIO", "SummaryRatio"),
        ("SUMMARY_WORDS", "SummaryWords"),
    ):
        assert env[name] == {"Ref": parameter_name}
        assert template["Parameters"][parameter_name]["Default"] in (0, "")  # unset by default


def _condition_methods(condition: dict[str, Any]) -> set[str]:
    """The SummaryMethod values a condition's !Equals name (inside any !Or / !Not)."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "Fn::Equals" and value[0] == {"Ref": "SummaryMethod"}:
                    found.add(value[1])
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(condition)
    return found


def test_method_layers_are_attached_to_summarise_only_by_their_conditions(template: dict[str, Any]) -> None:
    resources = template["Resources"]
    conditions = template["Conditions"]
    assert resources["SumyMethodsLayer"]["Condition"] == "UsesSumyMethods"
    assert resources["NumpyLayer"]["Condition"] == "UsesNumpyMethods"
    # UsesSumyMethods is "not default or lead"; UsesNumpyMethods names the matrix methods.
    assert _condition_methods(conditions["UsesSumyMethods"]) == set(BUILT_IN)
    assert _condition_methods(conditions["UsesNumpyMethods"]) == set(NUMPY_METHODS)
    for condition in ("UsesSumyMethods", "UsesNumpyMethods"):
        assert {"Fn::Equals": [{"Ref": "AllSummaryMethods"}, "true"]} in conditions[condition]["Fn::Or"]
    summarise_layers = resources["SummariseFunction"]["Properties"]["Layers"]
    assert summarise_layers == [
        {"Fn::If": ["UsesSumyMethods", {"Ref": "SumyMethodsLayer"}, {"Ref": "AWS::NoValue"}]},
        {"Fn::If": ["UsesNumpyMethods", {"Ref": "NumpyLayer"}, {"Ref": "AWS::NoValue"}]},
    ]
    assert "Layers" not in resources["IngestFunction"]["Properties"]  # Ingest never summarises
    assert template["Globals"]["Function"]["Layers"] == [{"Ref": "NewsdigestLayer"}]
    for layer in LAYER_FILES:
        assert resources[layer]["Metadata"]["BuildMethod"] == "makefile"
        assert resources[layer]["Properties"]["ContentUri"] == "shared/"


# --- the recipes --------------------------------------------------------------------------------


def test_method_layers_hold_pinned_packages_and_only_where_needed() -> None:
    default, sumy, numpy = (pins(path) for path in LAYER_FILES.values())
    assert "nltk" in sumy and "numpy" in numpy
    assert not ({"nltk", "numpy", "pycountry", "requests", "regex"} & set(default))
    assert "numpy" not in sumy  # luhn & co. run without NumPy's ~40 MB
    for packages in (sumy, numpy):
        assert not (set(packages) & (RUNTIME_PROVIDED - {"certifi"})), "boto3 and friends come with Lambda"
        assert not (set(packages) & set(default)), "already in the default layer"


@pytest.mark.parametrize(
    ("target", "requirements"), [(t, f) for t, f in LAYER_FILES.items() if t != "NewsdigestLayer"]
)
def test_makefile_builds_each_method_layer_for_lambda(
    tmp_path: Path, target: str, requirements: Path
) -> None:
    dry = subprocess.run(
        ["make", "-n", "-f", str(SHARED / "Makefile"), f"build-{target}", f"ARTIFACTS_DIR={tmp_path}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    pip = next(line for line in dry.splitlines() if " pip install " in line)
    for flag in ("--no-deps", "--only-binary=:all:", "--python-version 3.13", f'-r "{requirements}"'):
        assert flag in pip, flag
    assert "newsdigest" not in dry  # the package itself is in NewsdigestLayer only
    sources = set(re.findall(r'"(/[^"]+)"', dry))
    assert all(s.startswith((str(SHARED), str(tmp_path))) for s in sources), sources


# --- the built artefacts -------------------------------------------------------------------------


@cache
def lambda_python() -> str | None:
    """The python3.13 interpreter the cold-start benchmark finds (pyenv's, or on PATH)."""
    name = "newsdigest_benchmark_coldstart"
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "coldstart.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    found: str | None = module.find_lambda_python()
    return found


def lambda_runtime(tmp_path: Path) -> Path:
    """What Lambda's Python runtime provides beside the layers (boto3, botocore, urllib3 and their
    pure-Python dependencies), linked from this environment."""
    import boto3
    import botocore
    import dateutil
    import jmespath
    import s3transfer
    import six
    import urllib3

    runtime = tmp_path / "runtime"
    runtime.mkdir()
    for module in (boto3, botocore, dateutil, jmespath, s3transfer, urllib3):
        (runtime / module.__name__).symlink_to(Path(module.__file__ or "").parent)
    (runtime / "six.py").symlink_to(Path(six.__file__ or ""))
    return runtime


CHILD = r"""
import json, os, sys
from pathlib import Path
base = set(sys.modules)
from newsdigest.errors import SummariseError
from newsdigest.summarisation import check_method, summarise
from newsdigest.summarisation.languages import resolve_language
from newsdigest.summarisation.methods import METHODS
text = Path(sys.argv[1]).read_text(encoding="utf-8")
results = {}
for method in METHODS:
    try:
        check_method(method)
        results[method] = summarise(text, method=method, sentences=3).sentences
    except SummariseError as exc:
        results[method] = {"reason": exc.reason, "message": str(exc)}
uk = summarise("Київ є столицею України. Місто стоїть на Дніпрі. Уряд України працює в Києві.", language="uk")
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - base})
uk_stem = resolve_language("uk").stemmer("України")
print(json.dumps({"results": results, "uk_note": uk.note, "uk_stem": uk_stem, "loaded": loaded}))
"""

COLD_START = r"""
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("app", Path(sys.argv[1]) / "app.py")
module = importlib.util.module_from_spec(spec)
try:
    spec.loader.exec_module(module)
except RuntimeError as exc:
    print("FAILED", exc)
else:
    print("OK")
"""

#: The layers each kind of deployment attaches to Summarise, and the methods that must run with them.
DEPLOYMENTS = {
    "default": (("NewsdigestLayer",), set(BUILT_IN)),
    "luhn": (("NewsdigestLayer", "SumyMethodsLayer"), set(METHODS) - set(NUMPY_METHODS)),
    "lexrank": (("NewsdigestLayer", "SumyMethodsLayer", "NumpyLayer"), set(METHODS)),
}


def _run(python: str, layers: tuple[str, ...], runtime: Path, code: str, *args: str, **env: str) -> str:
    path = [str(BUILD / layer / "python") for layer in layers] + [str(runtime)]
    proc = subprocess.run(
        [python, "-S", "-s", "-B", "-c", code, *args],
        env={
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": os.pathsep.join(path),
            "AWS_DEFAULT_REGION": "us-east-1",
            "TABLE_NAME": "t",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_SERVICE_NAME": "newsdigest",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=runtime,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout.strip().splitlines()[-1]


needs_build = pytest.mark.skipif(
    not all((BUILD / layer / "python").is_dir() for layer in LAYER_FILES) or lambda_python() is None,
    reason="no sam build of the three layers (make build) or no python3.13",
)


@needs_build
@pytest.mark.parametrize("deployment", list(DEPLOYMENTS))
def test_every_method_summarises_in_the_built_layers_its_deployment_gets(
    tmp_path: Path, deployment: str
) -> None:
    layers, runnable = DEPLOYMENTS[deployment]
    python = lambda_python()
    assert python is not None
    report = json.loads(_run(python, layers, lambda_runtime(tmp_path), CHILD, str(ENGLISH)))
    english = ENGLISH.read_text(encoding="utf-8")
    normalised = " ".join(english.split())
    for method, result in report["results"].items():
        if method in runnable:
            assert isinstance(result, list) and len(result) == 3, (method, result)
            assert all(sentence in normalised for sentence in result)
        else:
            assert result["reason"] == "missing_dependency", (method, result)
            assert "AllSummaryMethods" in result["message"]  # says how to deploy it
    # Ukrainian stems in every deployment (sumy's stemmer, loaded without NLTK).
    assert report["uk_note"] is None and report["uk_stem"] == "україн"
    loaded = {_norm(m) for m in report["loaded"]}
    if deployment == "default":
        assert not (loaded & {"nltk", "numpy", "pycountry", "requests", "regex"})
    if deployment == "luhn":
        assert "numpy" not in loaded


@needs_build
def test_method_layers_ship_only_what_the_methods_load(tmp_path: Path) -> None:
    python = lambda_python()
    assert python is not None
    layers, _ = DEPLOYMENTS["lexrank"]
    report = json.loads(_run(python, layers, lambda_runtime(tmp_path), CHILD, str(ENGLISH)))
    loaded = set(report["loaded"])
    for layer in ("SumyMethodsLayer", "NumpyLayer"):
        site = BUILD / layer / "python"
        shipped = {
            p.name.split(".")[0]  # numpy.libs holds numpy's shared libraries
            for p in site.iterdir()
            if not p.name.endswith(".dist-info") and p.name != "__pycache__"
        }
        assert shipped <= loaded, f"{layer} ships modules no method imports: {shipped - loaded}"
        assert not list(site.rglob("nltk_data")), "NLTK data in a layer: nothing may need downloading"
    default_mb = sum(f.stat().st_size for f in (BUILD / "NewsdigestLayer").rglob("*") if f.is_file()) / 1e6
    assert default_mb < LAYER_LIMIT_MB


@needs_build
@pytest.mark.parametrize(
    ("method", "layers", "expected"),
    [
        ("lexrank", ("NewsdigestLayer",), "FAILED SUMMARY_METHOD='lexrank' cannot run in this deployment"),
        ("luhn", ("NewsdigestLayer",), "FAILED SUMMARY_METHOD='luhn' cannot run in this deployment"),
        ("lsa", ("NewsdigestLayer", "SumyMethodsLayer"), "FAILED SUMMARY_METHOD='lsa' cannot run"),
        ("lsa", ("NewsdigestLayer", "SumyMethodsLayer", "NumpyLayer"), "OK"),
        ("default", ("NewsdigestLayer",), "OK"),
    ],
)
def test_summarise_cold_start_fails_for_a_method_its_layers_cannot_run(
    tmp_path: Path, method: str, layers: tuple[str, ...], expected: str
) -> None:
    python = lambda_python()
    assert python is not None
    out = _run(
        python,
        layers,
        lambda_runtime(tmp_path),
        COLD_START,
        str(BUILD / "SummariseFunction"),
        SUMMARY_METHOD=method,
    )
    assert out.startswith(expected), out
    if expected != "OK":
        assert "missing_dependency" in out
