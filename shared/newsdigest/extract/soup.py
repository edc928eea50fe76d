"""beautifulsoup4 as the structured output uses it: on lxml, without soupsieve.

bs4 imports soupsieve, its CSS-selector engine, whenever soupsieve is installed, and warns once at
import when it is not. Nothing here selects by CSS: the cleaner and markdownify walk the tree. Importing
soupsieve compiles its selector grammar, which was three quarters of bs4's import on Lambda's Python
(100 of 130 ms, ``benchmarks/coldstart.py --importtime IngestFunction``), so the layer leaves it out
(shared/requirements.txt) and this module silences that one warning. Import bs4 through here.
"""

from __future__ import annotations

import warnings

warnings.filterwarnings(
    "ignore", message="The soupsieve package is not installed", category=UserWarning, module=r"bs4\.css"
)

from bs4 import BeautifulSoup, NavigableString, Tag  # noqa: E402  (after the filter, on purpose)
from bs4.element import PreformattedString  # noqa: E402  (comments, doctypes, CDATA: not text)

__all__ = ["BeautifulSoup", "NavigableString", "PreformattedString", "Tag"]
