"""Cold start of each function (init + first typical event) against the floor every boto3 function pays.

Each run starts fresh interpreters the way Lambda's init does: the built function directory and the
built layer (``.aws-sam/build``) on ``sys.path``, then boto3 as the Lambda runtime provides it (a
``pip --target`` copy of the pinned boto3 in ``build/lambda-runtime-py3.13``, since the layer does not
ship it), and no site-packages. Inside the child, *init* is the handler module's import and
*first* is ``lambda_handler`` on one typical event (an SQS-wrapped S3 notification from ``events/``)
against a moto server in this process, with the object the event names uploaded beforehand. The
*floor* is a fresh interpreter that imports boto3 and creates an S3 client and a DynamoDB resource.
Runs of the three are interleaved so machine load hits them alike; medians are printed.

The children get Lambda's environment (``LAMBDA_TASK_ROOT``, function name, memory, a trace header),
so Powertools behaves as deployed; ``--tracing active`` (default, like the template's
``Tracing: Active``) loads the X-Ray SDK, ``--tracing off`` sets ``POWERTOOLS_TRACE_DISABLED``.
Bytecode is never written (``-B``): Lambda's /opt and /var/task are read-only, so only .pyc files
shipped in the build count.

Without a build (or without python3.13) it falls back to the source tree and the development venv, and
says so.

``--method M`` measures Summarise deployed with SummaryMethod M: the layers that method gets
(SumyMethodsLayer, and NumpyLayer for the matrix methods) follow NewsdigestLayer on its path and
SUMMARY_METHOD is set, so its cold start includes the method's imports and its start-up check.

``--snapstart`` also measures each function as SnapStart runs it, interleaved with the plain runs:
init then ``newsdigest.aws.snapstart.before_snapshot`` (what Lambda snapshots, paid once per published
version), and as the cold start of a restored sandbox the ``after_restore`` hook and the first event;
Lambda's own restore of the memory image is not modelled.

``--instructions`` counts instead of timing: each function's cold start and the floor run once under
valgrind (cachegrind without its cache simulation), and the CPU instructions the whole child executed
are compared. Load on the machine changes times by a factor of two from run to run and these counts by
well under 1 %, so two builds can be compared on a busy machine (``--build-dir`` of each).

Usage: python benchmarks/coldstart.py [--runs 11] [--tracing active|off] [--importtime FUNCTION]
       [--method default|lead|lexrank|...] [--snapstart] [--instructions] [--build-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / ".aws-sam" / "build"
LAMBDA_PYTHON = "3.13"
TARGET_RATIO = 1.5
FUNCTIONS = {
    "IngestFunction": ("ingest", "sqs-raw-upload.json"),
    "SummariseFunction": ("summarise", "sqs-article-created.json"),
}
PAGE = ROOT / "events" / "pages" / "tass-grain-harvest.html"
#: The instruction counter: cachegrind with no cache simulation (about 30x slower than native).
VALGRIND = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
INSTRUCTIONS = re.compile(r"I\s+refs:\s+([\d,]+)")
#: Modules whose presence after a cold start means something heavy was imported that no request needs.
WATCH = ("aws_xray_sdk", "bs4", "soupsieve", "nltk", "pycountry", "numpy", "requests", "sumy.utils",
         "aws_lambda_powertools.event_handler", "charset_normalizer")  # fmt: skip

CHILD = r"""
import sys, time
t0 = time.perf_counter()
import json, os
sys.path[0:0] = json.loads(os.environ.pop("ND_BENCH_PATH"))
mode = os.environ.pop("ND_BENCH_MODE")
out = os.environ.pop("ND_BENCH_OUT")
result = {}
if mode == "floor":
    import boto3
    boto3.client("s3")
    boto3.resource("dynamodb")
    t1 = t1e = t2 = time.perf_counter()
else:
    import importlib
    app = importlib.import_module("app")
    snapstart = os.environ.pop("ND_BENCH_SNAPSTART", "") == "1"
    if snapstart:  # what Lambda runs before it takes the snapshot: part of init, paid once
        from newsdigest.aws import snapstart as hooks
        hooks.before_snapshot()
    t1 = time.perf_counter()

    class Context:
        function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
        function_version = "$LATEST"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + function_name
        aws_request_id = "c0ffee00-0000-4000-8000-000000000001"
        log_group_name = "/aws/lambda/" + function_name
        log_stream_name = "bench"

        def get_remaining_time_in_millis(self):
            return 60000

    event_path = os.environ.pop("ND_BENCH_EVENT", "")
    t1e = t2 = t1
    if event_path:  # without one, the init alone (--instructions counts it on its own)
        with open(event_path, encoding="utf-8") as f:
            event = json.load(f)
        import resource
        t1e = time.perf_counter()
        cpu1 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
        if snapstart:  # a restored sandbox: the restore hook, then the event
            hooks.after_restore()
        result["reply"] = app.lambda_handler(event, Context())
        t2 = time.perf_counter()
        result["first_cpu"] = sum(resource.getrusage(resource.RUSAGE_SELF)[:2]) - cpu1
import resource
result.update(
    init=t1 - t0,
    first=t2 - t1e,  # reading the event file is the runtime's work, not the function's
    modules=sorted(sys.modules),
    maxrss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    # CPU seconds of the whole child (start-up included, for the floor too): on a shared machine,
    # waiting for a core inflates wall time, not this.
    cpu=sum(resource.getrusage(resource.RUSAGE_SELF)[:2]),
)
with open(out, "w", encoding="utf-8") as f:
    json.dump(result, f, default=str)
"""


@dataclass(frozen=True)
class Setup:
    python: str
    #: sys.path entries per function (function dir first), and for the floor
    paths: dict[str, list[str]]
    floor_path: list[str]
    isolated: bool  # -S: no site-packages (built layer); False when falling back to the venv
    note: str
    #: The template whose environment the functions get: the build's own (another commit's build may
    #: read settings this tree's template sets differently), else the source tree's.
    template: Path = ROOT / "template.yaml"


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def find_lambda_python() -> str | None:
    """The real python3.13 binary (pyenv shims resolved), or None."""
    candidates = [os.environ.get("NEWSDIGEST_LAMBDA_PYTHON", "")]
    pyenv = shutil.which("pyenv")
    if pyenv:
        try:
            versions = _run([pyenv, "versions", "--bare"]).stdout.split()
        except (OSError, subprocess.CalledProcessError):
            versions = []
        for version in versions:
            if version.startswith(LAMBDA_PYTHON + "."):
                root = _run([pyenv, "root"]).stdout.strip()
                candidates.append(f"{root}/versions/{version}/bin/python{LAMBDA_PYTHON}")
    candidates.append(shutil.which(f"python{LAMBDA_PYTHON}") or "")
    for candidate in filter(None, candidates):
        try:
            exe = _run(
                [candidate, "-c", "import sys; print(sys.executable, '%d.%d' % sys.version_info[:2])"],
                env={
                    **os.environ,
                    "PYENV_VERSION": os.environ.get("PYENV_VERSION", "") + f":{LAMBDA_PYTHON}",
                },
            ).stdout.split()
        except (OSError, subprocess.CalledProcessError):
            continue
        if exe[1] == LAMBDA_PYTHON:
            return exe[0]
    return None


def lambda_runtime_dir(python: str) -> Path:
    """boto3 for python3.13 as Lambda provides it (outside the layer, with bytecode); installed once."""
    from importlib.metadata import version

    boto3_version = version("boto3")
    target = ROOT / "build" / f"lambda-runtime-py{LAMBDA_PYTHON}"
    stamp = target / f".boto3-{boto3_version}-compiled"
    if not stamp.exists():
        shutil.rmtree(target, ignore_errors=True)
        print(
            f"(installing boto3=={boto3_version} for python{LAMBDA_PYTHON} into {target.relative_to(ROOT)})"
        )
        _run([
            sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--only-binary=:all:", "--implementation", "cp", "--python-version", LAMBDA_PYTHON,
            "--platform", "manylinux2014_x86_64", "--target", str(target), f"boto3=={boto3_version}",
        ])  # fmt: skip
        _run(
            [
                python,
                "-m",
                "compileall",
                "-q",
                "-j",
                "0",
                "--invalidation-mode",
                "unchecked-hash",
                str(target),
            ]
        )
        stamp.touch()
    return target


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def method_layers(method: str) -> list[str]:
    """The layers after NewsdigestLayer that Summarise gets when deployed with ``method``
    (template.yaml: UsesSumyMethods, UsesNumpyMethods)."""
    from newsdigest.summarisation.methods import BUILT_IN
    from newsdigest.summarisation.sumy_methods import NUMPY_METHODS

    if method in BUILT_IN:
        return []
    return ["SumyMethodsLayer", *(["NumpyLayer"] if method in NUMPY_METHODS else [])]


def setup(build_dir: Path, method: str = "default") -> Setup:
    layer = build_dir / "NewsdigestLayer" / "python"
    extra = {"SummariseFunction": [str(build_dir / name / "python") for name in method_layers(method)]}
    python = find_lambda_python()
    built = layer.is_dir() and all((build_dir / fn / "app.py").is_file() for fn in FUNCTIONS)
    built = built and all(Path(p).is_dir() for p in extra["SummariseFunction"])
    if built and python:
        runtime = str(lambda_runtime_dir(python))
        return Setup(
            python=python,
            paths={fn: [str(build_dir / fn), str(layer), *extra.get(fn, []), runtime] for fn in FUNCTIONS},
            floor_path=[runtime],
            isolated=True,
            template=build_dir / "template.yaml",
            note=f"built artefacts in {_shown(build_dir)} on python{LAMBDA_PYTHON}, "
            "boto3 as the runtime provides it",
        )
    why = "no build (run `make build`)" if not built else f"no python{LAMBDA_PYTHON}"
    return Setup(
        python=sys.executable,
        paths={fn: [str(ROOT / "functions" / d), str(ROOT / "shared")] for fn, (d, _) in FUNCTIONS.items()},
        floor_path=[],
        isolated=False,
        note=f"NOTE: {why}; measuring the SOURCE TREE with the development venv ({sys.executable}), "
        "which imports more than the layer would",
    )


def child_env(base: dict[str, str], function: str | None, tracing: bool, task_root: str) -> dict[str, str]:
    env = dict(base)
    name = f"newsdigest-local-{function or 'Floor'}"
    env.update(
        AWS_LAMBDA_FUNCTION_NAME=name,
        AWS_LAMBDA_FUNCTION_VERSION="$LATEST",
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1024",
        AWS_LAMBDA_LOG_GROUP_NAME=f"/aws/lambda/{name}",
        AWS_EXECUTION_ENV=f"AWS_Lambda_python{LAMBDA_PYTHON}",
        LAMBDA_TASK_ROOT=task_root,
        LAMBDA_RUNTIME_DIR=task_root,
        _HANDLER="app.lambda_handler",
        _X_AMZN_TRACE_ID="Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        AWS_XRAY_DAEMON_ADDRESS="127.0.0.1:2000",  # UDP, nothing listens: segments are dropped
        AWS_XRAY_CONTEXT_MISSING="LOG_ERROR",
        PYTHONHASHSEED="0",
    )
    if not tracing:
        env["POWERTOOLS_TRACE_DISABLED"] = "true"
    for key in ("PYTHONPATH", "PYTHONSTARTUP", "PYTHONDONTWRITEBYTECODE", "PYENV_VERSION"):
        env.pop(key, None)
    return env


def spawn(
    setup_: Setup, mode: str, path: list[str], env: dict[str, str], event: Path | None = None,
    *, extra_flags: tuple[str, ...] = (), prefix: tuple[str, ...] = (),
) -> tuple[dict[str, Any], str]:  # fmt: skip
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    env = {**env, "ND_BENCH_MODE": mode, "ND_BENCH_PATH": json.dumps(path), "ND_BENCH_OUT": out}
    if event is not None:
        env["ND_BENCH_EVENT"] = str(event)
    flags = ["-B", *(["-S", "-s"] if setup_.isolated else []), *extra_flags]
    try:
        proc = subprocess.run(
            [*prefix, setup_.python, *flags, "-c", CHILD],
            env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True,
            timeout=120 * (30 if prefix else 1), check=False,
        )  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(f"{mode} child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        with open(out, encoding="utf-8") as f:
            return json.load(f), proc.stderr
    finally:
        os.unlink(out)


def reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


def _event_ref(event: dict[str, Any]) -> tuple[str, str]:
    from urllib.parse import unquote_plus

    record = json.loads(event["Records"][0]["body"])["Records"][0]["s3"]
    return record["bucket"]["name"], unquote_plus(record["object"]["key"])


class Stage:
    """Fresh local resources for one run, with the objects the two events name already uploaded."""

    def __init__(
        self,
        endpoint: str,
        parameters: dict[str, str] | None = None,
        *,
        template: Path = ROOT / "template.yaml",
    ) -> None:
        from newsdigest.extract import extract_article
        from newsdigest.pipeline.inputs import Source
        from newsdigest.pipeline.records import article_document

        self.endpoint = endpoint
        self.template = template
        self.parameters = parameters or {}  # template parameters (SummaryMethod)
        self.events = {
            fn: json.loads((ROOT / "events" / name).read_text()) for fn, (_, name) in FUNCTIONS.items()
        }
        self.page = PAGE.read_bytes()
        raw_bucket, raw_key = _event_ref(self.events["IngestFunction"])
        document = article_document(
            extract_article(self.page), Source.from_s3(raw_bucket, raw_key), raw_key=raw_key
        )
        self.document = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")

    def prepare(self) -> Any:
        import boto3
        from newsdigest.local.stack import provision

        reset(self.endpoint)
        resources = provision(self.template, name="newsdigest-local", parameters=self.parameters)
        s3 = boto3.client("s3")
        bucket, key = _event_ref(self.events["IngestFunction"])
        s3.put_object(Bucket=bucket, Key=key, Body=self.page, ContentType="text/html")
        bucket, key = _event_ref(self.events["SummariseFunction"])
        s3.put_object(Bucket=bucket, Key=key, Body=self.document, ContentType="application/json")
        return resources

    def check(self, function: str, reply: Any, resources: Any) -> None:
        """The first event must have done the real work, not hit a cache or failed quietly."""
        import boto3

        if reply != {"batchItemFailures": []}:
            raise RuntimeError(f"{function} replied {reply!r}")
        if function == "IngestFunction":
            listed = boto3.client("s3").list_objects_v2(
                Bucket=resources.outputs["ArticlesBucketName"], Prefix="articles/"
            )
            if not any(
                o["Key"] != _event_ref(self.events["SummariseFunction"])[1]
                for o in listed.get("Contents", [])
            ):
                raise RuntimeError("ingest stored no article")
        else:
            items = boto3.resource("dynamodb").Table(resources.outputs["TableName"]).scan()["Items"]
            if not any(i.get("status") == "ok" for i in items):
                raise RuntimeError(f"summarise stored no summary: {items}")


def importtime_report(stderr: str, top: int = 20) -> list[str]:
    """Heaviest top-level imports of a ``-X importtime`` log, by cumulative time."""
    rows = []
    for line in stderr.splitlines():
        parts = line.split("|")
        if not line.startswith("import time:") or len(parts) != 3 or "cumulative" in line:
            continue
        name = parts[2].rstrip()
        if name.startswith("  "):  # nested import: counted in its parent's cumulative time
            continue
        rows.append((int(parts[1]), name.strip()))
    rows.sort(reverse=True)
    return [f"  {cumulative / 1000:8.1f} ms  {name}" for cumulative, name in rows[:top]]


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--build-dir", type=Path, default=BUILD)
    parser.add_argument("--tracing", choices=("active", "off"), default="active")
    parser.add_argument("--only", choices=list(FUNCTIONS), help="measure one function (and the floor)")
    parser.add_argument("--method", default="default", help="Summarise's SummaryMethod (and its layers)")
    parser.add_argument(
        "--importtime", choices=[*FUNCTIONS, "floor"], help="print -X importtime for one cold start"
    )
    parser.add_argument("--snapstart", action="store_true", help="also measure restored SnapStart sandboxes")
    parser.add_argument(
        "--instructions", action="store_true", help="count CPU instructions under valgrind, once each"
    )
    args = parser.parse_args(argv)

    import logging

    from moto.server import ThreadedMotoServer
    from newsdigest.local.stack import local_aws_environment

    setup_ = setup(args.build_dir.resolve(), args.method)
    print(f"cold start: {setup_.note}; Summarise's method {args.method!r}")
    print(f"python {setup_.python}; tracing {args.tracing}; {args.runs} runs each, interleaved")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    tracing = args.tracing == "active"
    try:
        with local_aws_environment(endpoint), tempfile.TemporaryDirectory() as tmp:
            stage = Stage(endpoint, {"SummaryMethod": args.method}, template=setup_.template)
            event_files = {}
            for fn, event in stage.events.items():
                event_files[fn] = Path(tmp) / f"{fn}.json"
                event_files[fn].write_text(json.dumps(event))
            base = dict(os.environ)
            if args.importtime:
                resources = stage.prepare()
                fn = args.importtime
                if fn == "floor":
                    env = child_env(base, None, tracing, tmp)
                    mode, path, event = "floor", setup_.floor_path, None
                else:
                    env = child_env({**base, **resources.functions[fn].environment}, fn, tracing, tmp)
                    mode, path, event = "handler", setup_.paths[fn], event_files[fn]
                result, stderr = spawn(setup_, mode, path, env, event, extra_flags=("-X", "importtime"))
                print(f"{fn}: init {fmt(result['init'])}, first event {fmt(result['first'])}")
                print("heaviest top-level imports, init and first event (cumulative):")
                print("\n".join(importtime_report(stderr)))
                return 0

            functions = [args.only] if args.only else list(FUNCTIONS)
            if args.instructions:
                return count_instructions(
                    setup_, stage, functions, base, tracing=tracing, event_files=event_files,
                    floor_root=tmp,
                )  # fmt: skip
            samples: dict[str, list[dict[str, Any]]] = {"floor": [], **{fn: [] for fn in functions}}
            restored: dict[str, list[dict[str, Any]]] = {fn: [] for fn in functions}
            for _ in range(args.runs):
                resources = stage.prepare()
                env = child_env(base, None, tracing, tmp)
                samples["floor"].append(spawn(setup_, "floor", setup_.floor_path, env)[0])
                for fn in functions:
                    env = child_env(
                        {**base, **resources.functions[fn].environment}, fn, tracing, setup_.paths[fn][0]
                    )
                    result, _ = spawn(setup_, "handler", setup_.paths[fn], env, event_files[fn])
                    stage.check(fn, result.get("reply"), resources)
                    samples[fn].append(result)
                    if args.snapstart:
                        resources = stage.prepare()  # the same work again: no object already done
                        env = child_env(
                            {**base, **resources.functions[fn].environment},
                            fn, tracing, setup_.paths[fn][0],
                        )  # fmt: skip
                        result, _ = spawn(
                            setup_, "handler", setup_.paths[fn], {**env, "ND_BENCH_SNAPSTART": "1"},
                            event_files[fn],
                        )  # fmt: skip
                        stage.check(fn, result.get("reply"), resources)
                        restored[fn].append(result)
    finally:
        server.stop()

    def median(rows: list[dict[str, Any]], key: str) -> float:
        return statistics.median(r[key] for r in rows)

    floor = statistics.median(r["init"] + r["first"] for r in samples["floor"])
    print()
    print(f"{'':<20}{'init':>10}{'1st event':>11}{'cold start':>12}{'floor':>10}{'ratio':>8}{'RSS MB':>8}")
    worst = 0.0
    for fn in functions:
        rows = samples[fn]
        cold = statistics.median(r["init"] + r["first"] for r in rows)
        ratio = cold / floor
        worst = max(worst, ratio)
        print(
            f"{fn:<20}{fmt(median(rows, 'init')):>10}{fmt(median(rows, 'first')):>11}{fmt(cold):>12}"
            f"{fmt(floor):>10}{ratio:>7.2f}x{median(rows, 'maxrss_mb'):>8.0f}"
        )
        # Each run's floor and cold start are measured back to back: their ratio drifts less with load.
        paired = sorted(
            (r["init"] + r["first"]) / (f["init"] + f["first"])
            for r, f in zip(rows, samples["floor"], strict=True)
        )
        print(
            f"{'':<20}per-run ratios: median {statistics.median(paired):.2f}x, "
            f"range {paired[0]:.2f}x-{paired[-1]:.2f}x"
        )
        cpu, floor_cpu = median(rows, "cpu"), median(samples["floor"], "cpu")
        cpu_ratio = cpu / floor_cpu
        print(f"{'':<20}CPU time: {fmt(cpu).strip()} vs floor {fmt(floor_cpu).strip()}: {cpu_ratio:.2f}x")
        loaded = sorted({w for r in rows for w in WATCH if w in r["modules"]})
        heavy = ", ".join(loaded) or "none"
        print(f"{'':<20}modules loaded: {len(rows[0]['modules'])}; watched heavy ones: {heavy}")
    if args.snapstart:
        print("\nwith SnapStart (init and before_snapshot in the snapshot; a restored sandbox pays the")
        print("after_restore hook and its first event), beside the first event of a plain cold start:")
        for fn in functions:
            rows, plain = restored[fn], samples[fn]

            def wall_cpu(rows: list[dict[str, Any]]) -> str:
                return f"{fmt(median(rows, 'first')).strip()} (CPU {fmt(median(rows, 'first_cpu')).strip()})"

            print(
                f"{fn:<20}snapshotted init {fmt(median(rows, 'init')).strip()}; restored first event "
                f"{wall_cpu(rows)} against {wall_cpu(plain)} without SnapStart"
            )
    floor_rss = median(samples["floor"], "maxrss_mb")
    print(f"{'floor (boto3 + s3 client + dynamodb resource)':<52}{fmt(floor)}  RSS {floor_rss:.0f} MB")
    verdict = "meets" if worst <= TARGET_RATIO else "MISSES"
    print(f"target: cold start <= {TARGET_RATIO}x floor per function: {verdict} (worst {worst:.2f}x)")
    return 0


def count_instructions(
    setup_: Setup, stage: Stage, functions: list[str], base: dict[str, str], *, tracing: bool,
    event_files: dict[str, Path], floor_root: str,
) -> int:  # fmt: skip
    """Instructions of the floor's and each function's whole cold start (interpreter start-up, init,
    first event), counted by valgrind: a figure the machine's load does not move."""
    if shutil.which(VALGRIND[0]) is None:
        print("--instructions needs valgrind on PATH")
        return 2

    def counted(stderr: str) -> int:
        found = INSTRUCTIONS.search(stderr)
        if found is None:
            raise RuntimeError(f"valgrind printed no instruction count:\n{stderr[-2000:]}")
        return int(found.group(1).replace(",", ""))

    resources = stage.prepare()
    _, stderr = spawn(
        setup_, "floor", setup_.floor_path, child_env(base, None, tracing, floor_root), prefix=VALGRIND
    )
    floor = counted(stderr)
    print(f"\n{'instructions':<20}{'init':>10}{'1st event':>13}{'cold start':>14}{'floor':>10}{'ratio':>8}")
    for fn in functions:
        env = child_env({**base, **resources.functions[fn].environment}, fn, tracing, setup_.paths[fn][0])
        result, stderr = spawn(setup_, "handler", setup_.paths[fn], env, event_files[fn], prefix=VALGRIND)
        stage.check(fn, result.get("reply"), resources)
        count = counted(stderr)
        init = counted(spawn(setup_, "handler", setup_.paths[fn], env, prefix=VALGRIND)[1])
        print(
            f"{fn:<20}{init / 1e6:>8.0f} M{(count - init) / 1e6:>11.0f} M{count / 1e6:>12.0f} M"
            f"{floor / 1e6:>8.0f} M{count / floor:>7.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
