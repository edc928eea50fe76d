"""beautifulsoup4 as the structured output uses it: on lxml, without soupsieve.

bs4 imports soupsieve, its CSS-selector engine, whenever soupsieve is installed, and warns once at
import when it is not. Nothing here selects by CSS: the cleaner and markdownify walk the tree. Importing
soupsieve compiles its selector grammar, which was three quarters of bs4's import on Lambda's Python
(100 of 130 ms, ``benchmarks/coldstart.py --importtime IngestFunction``), so the layer leaves it out
(shared/requirements.txt) and this module silences that one warning. Nor does the cleaner give bs4
bytes whose encoding it would guess: charset_normalizer is not imported with it (:mod:`.deferred`).
Import bs4 through here.
"""

from __future__ import annotations

import warnings

from newsdigest.extract.deferred import charset_normalizer_on_first_use

warnings.filterwarnings(
    "ignore", message="The soupsieve package is not installed", category=UserWarning, module=r"bs4\.css"
)

# bs4.dammit guesses the encoding of bytes with charset_normalizer; the cleaner gives bs4 text.
with charset_normalizer_on_first_use():
    from bs4 import BeautifulSoup, NavigableString, Tag  # (after the filter, on purpose)
    from bs4.element import PreformattedString  # comments, doctypes, CDATA: not text

__all__ = ["BeautifulSoup", "NavigableString", "PreformattedString", "Tag"]
