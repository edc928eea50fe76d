"""charset_normalizer, imported only when something uses it.

htmldate (``htmldate.utils``) and beautifulsoup4 (``bs4.dammit``) import charset_normalizer when they
are imported themselves, to guess the encoding of bytes they might be given. The extractor gives them
neither: htmldate gets the parsed tree and bs4 the decoded fragment, so neither ever guesses. The import
still cost every Ingest cold start about 40 M instructions (``benchmarks/coldstart.py --instructions``),
for a guesser that only a page declaring no charset needs (:mod:`.encoding`, which imports it then).

While either library is imported, a stand-in takes the module's place in ``sys.modules``; the
library keeps it, and the real module is imported the first time the library calls it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

_NAME = "charset_normalizer"


def _real() -> ModuleType:
    if isinstance(sys.modules.get(_NAME), _StandIn):  # called while a library is being imported
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


class _StandIn(ModuleType):
    """What a library holds instead of the module (``bs4.dammit`` keeps the module object)."""

    @staticmethod
    def from_bytes(*args: Any, **kwargs: Any) -> Any:
        """What ``from charset_normalizer import from_bytes`` binds (``htmldate.utils``)."""
        return _real().from_bytes(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ & co.: no reason to load it
            raise AttributeError(name)
        return getattr(_real(), name)


@contextmanager
def charset_normalizer_on_first_use() -> Iterator[None]:
    """Imports inside this block that import charset_normalizer get the stand-in (unless the real
    module is loaded already)."""
    if _NAME in sys.modules:
        yield
        return
    stand_in = _StandIn(_NAME)
    sys.modules[_NAME] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(_NAME) is stand_in:
            del sys.modules[_NAME]
