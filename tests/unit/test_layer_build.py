"""The Lambda layer (shared/Makefile + shared/requirements.txt) holds what the handlers import, and no more.

The layer is installed with ``pip --no-deps``, so every module a request imports, directly or through
another package, must be listed. Checked three ways: statically (every import in the layer's code,
lazy ones included), dynamically (a fresh interpreter imports both handlers with tracing on, extracts
and summarises a page, and every third-party distribution it loaded must be listed or come with
Lambda's runtime), and, when ``sam build`` has run, on the built layer itself. Running the real make
target (pip from the package index) is opt-in: NEWSDIGEST_TEST_LAYER_BUILD=1.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

SHARED = ROOT / "shared"
REQUIREMENTS = SHARED / "requirements.txt"
BUILT_LAYER = ROOT / ".aws-sam" / "build" / "NewsdigestLayer" / "python"
#: Lambda's Python runtime ships boto3 and its dependencies; the layer must not. (botocore imports
#: certifi when it is installed and falls back to its own CA bundle otherwise.)
RUNTIME_PROVIDED = {
    "boto3",
    "botocore",
    "s3transfer",
    "urllib3",
    "python-dateutil",
    "six",
    "jmespath",
    "certifi",
}
#: Heavy packages no request imports: they must not be shipped (nor imported by a cold start).
UNWANTED = {
    "nltk", "pycountry", "numpy", "requests", "setuptools", "moto",
    "dateparser",  # htmldate's last resort, replaced by a stub (extract/published.py)
}  # fmt: skip
#: Imported by a shipped package only when they are installed, which the development venv's are and
#: the layer's are not: beautifulsoup4 registers html5lib's tree builder, loads soupsieve for CSS
#: selectors (left out of the layer: newsdigest/extract/soup.py) and guesses encodings with chardet,
#: urllib3 decodes brotli.
INSTALLED_ONLY = {
    "html5lib",
    "soupsieve",
    "chardet",
    "cchardet",
    "brotli",
    "_brotli",
    "brotlicffi",
    "zstandard",
}
#: Modules only Lambda's runtime has (imported behind a guard).
RUNTIME_ONLY_MODULES = {"snapshot_restore_py"}
LAYER_LIMIT_MB = 40.0


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@cache
def requirements() -> dict[str, str]:
    pins = {}
    for raw in REQUIREMENTS.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep, f"unpinned requirement: {line!r}"
            pins[_norm(name)] = version
    return pins


def _distributions(top_level_modules: set[str]) -> dict[str, set[str]]:
    """Distribution -> its modules among ``top_level_modules`` (stdlib and newsdigest left out)."""
    from importlib.metadata import packages_distributions

    owners = packages_distributions()
    found: dict[str, set[str]] = {}
    for module in top_level_modules:
        if module in sys.stdlib_module_names or module in {"newsdigest", *RUNTIME_ONLY_MODULES}:
            continue
        dists = owners.get(module)
        assert dists, f"{module} is imported but belongs to no installed distribution"
        for dist in dists:
            found.setdefault(_norm(dist), set()).add(module)
    return found


def test_requirements_are_pinned_and_leave_out_runtime_and_unused_packages() -> None:
    pins = requirements()
    assert pins, "empty requirements"
    assert not (set(pins) & (RUNTIME_PROVIDED - {"jmespath"})), "boto3 and friends come with Lambda"
    assert not (set(pins) & UNWANTED)


def _layer_source_files() -> list[Path]:
    # The local stack and the development command (newsdigest/cli/): handlers never import them.
    files = [
        p for p in (SHARED / "newsdigest").rglob("*.py") if not {"local", "cli"} & set(p.parent.parts[-1:])
    ]
    return [*files, *(ROOT / "functions").glob("*/app.py")]


def test_every_import_in_the_layer_code_is_shipped_or_provided() -> None:
    """Static: all imports of the layer's code, including lazy ones inside functions."""
    modules: set[str] = set()
    for path in _layer_source_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module.split(".")[0])
    needed = _distributions(modules)
    shipped = set(requirements()) | set(function_requirements())
    missing = {d: m for d, m in needed.items() if d not in shipped and d not in RUNTIME_PROVIDED}
    assert not missing, f"imported by the layer's code but not shipped: {missing}"


def function_requirements() -> dict[str, str]:
    """What single functions ship in their own package (functions/<fn>/requirements.txt), pinned."""
    pins = {}
    for path in (ROOT / "functions").glob("*/requirements.txt"):
        for raw in path.read_text().splitlines():
            line = raw.split("#", 1)[0].strip()
            if line:
                name, sep, version = line.partition("==")
                assert sep, f"unpinned requirement in {path}: {line!r}"
                pins[_norm(name)] = version
    return pins


def test_the_feed_parser_ships_with_discover_only() -> None:
    discover = ROOT / "functions" / "discover" / "requirements.txt"
    assert {"feedparser", "defusedxml"} <= set(function_requirements())
    assert "feedparser" in discover.read_text() and "feedparser" not in REQUIREMENTS.read_text()
    for fn in ("ingest", "summarise"):
        own = ROOT / "functions" / fn / "requirements.txt"
        assert "feedparser" not in (own.read_text() if own.exists() else "")


CHILD = r"""
import importlib.util, json, sys
from pathlib import Path
at_start = set(sys.modules)  # interpreter start-up (site, .pth hooks) is not the handlers' doing
root = Path(sys.argv[1])
loaded = {}
for fn in ("ingest", "summarise"):
    spec = importlib.util.spec_from_file_location(f"app_{fn}", root / "functions" / fn / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    loaded[fn] = module
loaded["ingest"].http_api()  # the HTTP router is built on the first API request
from newsdigest.extract import extract_article
from newsdigest.summarisation import summarise
import newsdigest.fetch
from newsdigest.fetch.robots import rules_from_response
rules_from_response(200, b"User-agent: *\nDisallow: /private\n")  # a URL fetch reads robots.txt first
article = extract_article((root / "events" / "pages" / "tass-grain-harvest.html").read_bytes())
summarise(article.text, language=article.language, title=article.title)
from newsdigest.summarisation.languages import resolve_language
resolve_language("en").stemmer("running")  # stemming, which highlight-length summaries may skip
# A page without a declared charset that is not UTF-8: the extractor's guess path.
extract_article(("<html><body><h1>Caf\xe9</h1><p>" + "D\xe9j\xe0 vu \xe0 la caf\xe9t\xe9ria. " * 40
                 + "</p></body></html>").encode("cp1252"))
# Top-level modules loaded from files outside the standard library (C modules such as lxml's Cython
# runtime register extra names without files; they come with their package).
stdlib = Path(sys.modules["os"].__file__).parent
print(json.dumps(sorted(
    name for name, module in list(sys.modules.items())
    if "." not in name and name not in at_start and getattr(module, "__file__", None)
    and stdlib not in Path(module.__file__).resolve().parents
    and not name.startswith("app_")
)))
"""


@cache
def imported_at_run_time() -> set[str]:
    """Top-level modules a fresh interpreter loads for both handlers and their typical work."""
    # As deployed (Tracing: Active): Powertools' Tracer and the X-Ray SDK are loaded.
    loaded = _modules_loaded_by(
        CHILD,
        LAMBDA_TASK_ROOT=str(ROOT / "functions"),
        AWS_LAMBDA_FUNCTION_NAME="layer-test",
        POWERTOOLS_TRACE_DISABLED="false",
    )
    return loaded - INSTALLED_ONLY


def _modules_loaded_by(child: str, **env: str) -> set[str]:
    """Run ``child`` in a fresh interpreter with the handlers' environment; the module names it prints."""
    proc = subprocess.run(
        [sys.executable, "-c", child, str(ROOT)],
        env={
            **os.environ,
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "TABLE_NAME": "t",
            "IDEMPOTENCY_TABLE": "i",
            "ARTICLES_BUCKET": "a",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_what_the_handlers_load_at_run_time_is_shipped_or_provided() -> None:
    """Dynamic: catches dependencies of dependencies, which `pip --no-deps` does not install."""
    needed = _distributions(imported_at_run_time())
    # A mypyc-compiled package (chardet 6+) loads a helper module of its own at top level.
    needed = {d: m for d, m in needed.items() if d not in INSTALLED_ONLY}
    missing = {d: m for d, m in needed.items() if d not in requirements() and d not in RUNTIME_PROVIDED}
    assert not missing, f"loaded by the handlers but not in shared/requirements.txt: {missing}"
    assert "aws-xray-sdk" in needed  # the check ran with tracing on
    assert not (set(needed) & UNWANTED), f"a request imports an unwanted package: {set(needed) & UNWANTED}"


def test_shipped_packages_are_all_used() -> None:
    needed = set(_distributions(imported_at_run_time()))
    # sumy is read as package data (stop words) and imported only by its optional methods.
    unused = set(requirements()) - needed - {"sumy"}
    assert not unused, f"shipped but never imported by a request: {unused}"


QUEUE_COLD_START = r"""
import importlib.util, json, sys
from pathlib import Path
root = Path(sys.argv[1])
for fn in ("ingest", "summarise"):
    spec = importlib.util.spec_from_file_location(f"app_{fn}", root / "functions" / fn / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
print(json.dumps(sorted(sys.modules)))
"""


def test_queue_cold_start_imports_nothing_a_queue_request_does_not_use() -> None:
    """Tracing off (tests, local runs): no X-Ray SDK. Queue-driven: no HTTP router. Never NLTK & co."""
    loaded = _modules_loaded_by(QUEUE_COLD_START, POWERTOOLS_TRACE_DISABLED="true")
    for heavy in ("aws_xray_sdk", "aws_lambda_powertools.event_handler", "nltk", "pycountry", "bs4",
                  "soupsieve", "numpy", "requests", "sumy.utils", "moto", "newsdigest.local", "feedparser",
                  "defusedxml",
                  # the summariser's dateline parser needs the month names, not the date patterns
                  "newsdigest.extract.dates",
                  # the settings read the fetch policy; the HTTP client loads on the first URL only
                  "newsdigest.fetch.client", "newsdigest.fetch.transport",
                  "newsdigest.fetch.robots"):  # fmt: skip
        assert heavy not in loaded, f"{heavy} is imported at cold start"


def test_makefile_installs_the_curated_set_for_lambda_and_drops_dev_code(tmp_path: Path) -> None:
    dry = subprocess.run(
        ["make", "-n", "-f", str(SHARED / "Makefile"), "build-NewsdigestLayer", f"ARTIFACTS_DIR={tmp_path}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # SAM runs it from a scratch directory
    ).stdout
    pip = next(line for line in dry.splitlines() if " pip install " in line)
    for flag in (
        "--no-deps",
        "--only-binary=:all:",
        "--implementation cp",
        "--python-version 3.13",
        "--platform manylinux2014_x86_64",
        f"--target {tmp_path}/python",
        f'-r "{REQUIREMENTS}"',
    ):
        assert flag in pip, flag
    assert f'cp -R "{SHARED}/newsdigest" "{tmp_path}/python/newsdigest"' in dry
    assert f'rm -rf "{tmp_path}/python/newsdigest/local"' in dry
    assert "swagger_ui/*.min.js" in dry
    # Only shared/ is read: never ../shared (data) or anything else outside the layer's source.
    sources = set(re.findall(r'"(/[^"]+)"', dry))
    assert all(s.startswith((str(SHARED), str(tmp_path))) for s in sources), sources


def _check_layer(site: Path) -> None:
    names = {p.name for p in site.iterdir()}
    for module in ("boto3", "botocore", "nltk", "pycountry", "numpy", "requests", "setuptools", "html5lib"):
        assert module not in names, f"{module} is in the layer"
    assert (site / "newsdigest" / "__init__.py").is_file()
    assert not (site / "newsdigest" / "local").exists()
    assert not list(site.rglob("*.html.gz")) and not list(site.rglob("*.jsonl")), "data in the layer"
    assert not list(site.rglob("swagger-ui*")), "Powertools' Swagger UI assets (no handler serves them)"
    needed = {m for ms in _distributions(imported_at_run_time()).values() for m in ms}
    absent = {m for m in needed - {"boto3", "botocore", "s3transfer", "urllib3", "dateutil", "six", "certifi"}
              if not (site / m).is_dir() and not (site / f"{m}.py").is_file()}  # fmt: skip
    assert not absent, f"the handlers import {absent}, which the layer lacks"
    size_mb = sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6
    assert size_mb < LAYER_LIMIT_MB, f"layer is {size_mb:.1f} MB unzipped"


@pytest.mark.skipif(not BUILT_LAYER.is_dir(), reason="no sam build (make build)")
def test_built_layer_has_what_the_handlers_import_and_nothing_dev_only() -> None:
    _check_layer(BUILT_LAYER)


@pytest.mark.skipif(
    os.environ.get("NEWSDIGEST_TEST_LAYER_BUILD") != "1",
    reason="set NEWSDIGEST_TEST_LAYER_BUILD=1 (uses pip)",
)
def test_make_target_builds_a_layer(tmp_path: Path) -> None:
    subprocess.run(
        ["make", "-s", "-f", str(SHARED / "Makefile"), "build-NewsdigestLayer", f"ARTIFACTS_DIR={tmp_path}"],
        check=True,
        cwd=tmp_path,
        capture_output=True,
        timeout=600,
    )
    _check_layer(tmp_path / "python")


SNAPSTART_FIRST_PAGE = r"""
import importlib.util, json, sys
from pathlib import Path
root = Path(sys.argv[1])
spec = importlib.util.spec_from_file_location("app_ingest", root / "functions" / "ingest" / "app.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
from newsdigest.aws import snapstart
snapstart.before_snapshot()  # what Lambda runs before it takes the snapshot
before = set(sys.modules)
from newsdigest.extract import extract_article
page = (root / "events" / "pages" / "tass-grain-harvest.html").read_bytes()
article = extract_article(page, "https://tass.com/economy/1745123")
assert article.html.startswith("<") and article.markdown, "no structured output"
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_snapstart_warm_imports_cover_what_the_first_page_imports() -> None:
    """The structured output imports its libraries lazily (a text-only extraction never loads them);
    with SnapStart, Ingest's hook imports them before the snapshot, so a restored sandbox's first page
    imports nothing at all."""
    assert _modules_loaded_by(SNAPSTART_FIRST_PAGE, POWERTOOLS_TRACE_DISABLED="true") == set()


TASS_PAGE = "tass-grain-harvest.html"
BUILT_LAYER_STRUCTURE = r"""
import json, sys
from newsdigest.extract import extract_article
page = open(sys.argv[1], "rb").read()
article = extract_article(page, "https://tass.com/economy/1745123")
pictures = extract_article(
    b"<html><body><article><h1>T</h1><p>" + b"Words of the story and more words of it. " * 20
    + b"</p><figure><img src='/a.jpg'><figcaption>A caption</figcaption></figure><p>"
    + b"More words of the story after the picture. " * 20 + b"</p></article></body></html>",
    "https://example.com/news/story.html",
)
print(json.dumps({"markdown": article.markdown, "html": pictures.html,
                  "soupsieve": "soupsieve" in sys.modules, "bs4": "bs4" in sys.modules}))
"""


@pytest.mark.skipif(not BUILT_LAYER.is_dir(), reason="no sam build (make build)")
def test_built_layer_structures_a_page_without_soupsieve(tmp_path: Path) -> None:
    """bs4 runs without its CSS-selector engine, which the layer leaves out, and says nothing of it."""
    from tests.unit.test_method_layers import lambda_python, lambda_runtime

    python = lambda_python()
    if python is None:
        pytest.skip("no python3.13")
    assert not (BUILT_LAYER / "soupsieve").exists()
    runtime = lambda_runtime(tmp_path)
    proc = subprocess.run(
        [python, "-S", "-s", "-B", "-c", BUILT_LAYER_STRUCTURE, str(ROOT / "events" / "pages" / TASS_PAGE)],
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{BUILT_LAYER}{os.pathsep}{runtime}"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=runtime,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stderr == ""  # no warning from bs4 either
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["bs4"] and not report["soupsieve"]
    assert "\n\nMOSCOW, May 11. /TASS/. Russia's Agriculture Ministry" in report["markdown"]
    assert '<img src="https://example.com/a.jpg"' in report["html"]
