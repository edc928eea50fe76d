"""Extractive summaries of news text, built on sumy: see :func:`summarise`.

Importing this package is cheap: it pulls in no NLTK, NumPy or sumy module; methods load what they
need when first used.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from newsdigest.summarise.summariser import summarise

__all__ = ["summarise"]


class _CallableModule(ModuleType):
    """Once this subpackage is imported, ``newsdigest.summarise`` names the module rather than the
    function (the import system sets the attribute on the parent package), so the module forwards
    calls to keep ``newsdigest.summarise(text)`` working either way."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return summarise(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
