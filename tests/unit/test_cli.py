"""The command line's behaviour in-process: help text, version, exit statuses, sources, progress."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
from newsdigest.cli import build_parser, exits, main
from newsdigest.cli.progress import Progress, choose_mode
from newsdigest.cli.readers import read_input, source_kind
from newsdigest.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
TASS = ROOT / "events" / "pages" / "tass-grain-harvest.html"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_help_has_no_rest_markup_shows_defaults_and_documents_exit_statuses() -> None:
    parser = build_parser()
    commands = _subparsers(parser)
    assert {"run", "extract"} <= set(commands)
    for name, command in {"newsdigest": parser, **commands}.items():
        text = command.format_help()
        assert "``" not in text and ":func:" not in text, name
        assert "exit status:" in text and "3  infrastructure" in text, name
        formatter = command._get_formatter()
        for action in command._actions:
            if action.option_strings and action.default not in (None, False, argparse.SUPPRESS):
                assert "(default" in formatter._get_help_string(action), (name, action.dest)
    assert "(default: WARNING)" in commands["run"].format_help()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("newsdigest 0.")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in ([], ["run"], ["no-such-command"], ["run", "--timeout", "soon", "x.html"]):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == exits.USAGE, argv
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--template", "/nonexistent/template.yaml", "--endpoint-url", "http://127.0.0.1:9", "x"])
    assert exit_info.value.code == exits.USAGE
    assert "--template /nonexistent/template.yaml: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("https://example.com/a", "url"),
        ("HTTP://example.com/a", "url"),
        ("-", "stdin"),
        ("page.html", "path"),
        ("dir/with:colon.html", "path"),
    ],
)
def test_source_kinds(source: str, kind: str) -> None:
    assert source_kind(source) == kind


@pytest.mark.parametrize("source", ["file:///etc/passwd", "ftp://example.com/x", "s3://bucket/key"])
def test_other_schemes_are_unsupported_not_missing_files(source: str) -> None:
    with pytest.raises(InputError) as info:
        source_kind(source)
    assert info.value.reason == "unsupported_scheme"
    assert "unsupported scheme" in str(info.value)
    assert "No such file" not in str(info.value)


def test_read_input_applies_the_byte_limit_to_files_and_stdin(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"x" * 100)
    assert read_input(str(page), max_bytes=100) == b"x" * 100
    assert read_input("-", max_bytes=100, stdin=io.BytesIO(b"y" * 100)) == b"y" * 100
    for source, stdin in ((str(page), None), ("-", io.BytesIO(b"y" * 101))):
        with pytest.raises(InputError) as info:
            read_input(source, max_bytes=99 if stdin is None else 100, stdin=stdin)
        assert info.value.reason == "too_large"
    with pytest.raises(InputError) as info:
        read_input(str(tmp_path / "missing.html"), max_bytes=100)
    assert info.value.reason == "unreadable"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_extract_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(TASS.read_bytes()))
    assert main(["extract", "-", "--url", "https://tass.com/economy/1786512"]) == exits.OK
    article = json.loads(capsys.readouterr().out)
    assert article["title"].startswith("Russia raises grain harvest forecast")


def test_extract_refuses_what_run_refuses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from newsdigest.aws.settings import get_settings

    monkeypatch.setenv("FETCH_MAX_BYTES", "1000")
    monkeypatch.setenv("FETCH_ALLOW_PRIVATE_ADDRESSES", "false")  # whatever an earlier test left
    get_settings.cache_clear()
    try:
        assert main(["extract", str(TASS)]) == exits.INPUT_FAILED
        assert "too_large" in capsys.readouterr().err
        assert main(["extract", "file://" + str(TASS)]) == exits.INPUT_FAILED
        err = capsys.readouterr().err
        assert "unsupported scheme 'file'" in err and "No such file" not in err
        assert main(["extract", "http://127.0.0.1:9/news"]) == exits.INPUT_FAILED
        assert "--allow-private-addresses" in capsys.readouterr().err
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDIGEST_PROGRESS", raising=False)
    assert choose_mode(_Terminal()) == "bar"
    assert choose_mode(io.StringIO()) == "lines"
    monkeypatch.setenv("NEWSDIGEST_PROGRESS", "off")
    assert choose_mode(_Terminal()) == "off"
    assert choose_mode(io.StringIO(), "bar") == "bar"  # the command-line option wins

    terminal = _Terminal()
    with Progress(3, "run", unit="inputs", stream=terminal, mode="bar") as bar:
        for _ in range(3):
            bar.update()
    assert "\r" in terminal.getvalue() and "3/3" in terminal.getvalue()


def test_plain_lines_are_periodic_and_end_with_the_total() -> None:
    log = io.StringIO()
    with Progress(4, "extract", unit="pages", stream=log, mode="lines", interval=0) as shown:
        shown.update()
        shown.update(failed=1)
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert lines[0].startswith("extract:  25% 1/4 pages")
    assert "failed 1" in lines[1]
    assert lines[-1].startswith("extract:  50% 2/4 pages")

    quiet = io.StringIO()
    with Progress(1000, "load", stream=quiet, mode="lines", interval=3600) as shown:
        for _ in range(1000):
            shown.update()
    assert len(quiet.getvalue().splitlines()) == 1  # the closing line only, not one per item

    nothing = io.StringIO()
    with Progress(2, "x", stream=nothing, mode="off") as shown:
        shown.update(2)
    assert nothing.getvalue() == ""
