"""Help text for people: defaults shown, reST inline markup (double backquotes) removed."""

from __future__ import annotations

import argparse
import re
from typing import Any

_LITERAL = re.compile(r"``([^`]+)``|:[a-z]+:`([^`]+)`")


def plain(text: str) -> str:
    """``x`` and :func:`x` (docstring markup) as x."""
    return _LITERAL.sub(lambda m: m.group(1) or m.group(2), text)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions keep their line breaks (examples stay readable); every option with a real default
    says it; markup meant for Sphinx is stripped."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = plain(action.help or "")
        default = action.default
        if (
            "%(default)" not in text
            and "(default" not in text
            and default not in (None, False, argparse.SUPPRESS)
            and not (isinstance(default, list | tuple) and not default)
            and (action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE))
        ):
            text += " (default: %(default)s)"
        return text

    def _format_text(self, text: str) -> str:
        return super()._format_text(plain(text))


class _Commands(argparse._SubParsersAction):
    """Subcommands: a command's one-line help is also the description its own --help opens with."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if "help" in kwargs:
            kwargs.setdefault("description", plain(kwargs["help"]))
        return super().add_parser(name, **kwargs)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose subcommands (made with add_parser) share the formatter and the epilog
    (the exit statuses)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from newsdigest.cli.exits import EPILOG

        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault("epilog", EPILOG)
        super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Commands)
