"""Extractive summaries of news text, built on sumy: see :func:`summarise`.

Importing this package is cheap: it pulls in no NLTK, NumPy or sumy module; methods load what they
need when first used. (Named apart from the function so ``newsdigest.summarise`` always means the
function, whatever has been imported.)
"""

from __future__ import annotations

from newsdigest.summarisation.summariser import check_method, summarise

__all__ = ["check_method", "summarise"]
