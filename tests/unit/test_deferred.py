"""charset_normalizer is imported by neither htmldate nor bs4 until one of them uses it, and works then."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import json, sys
from newsdigest.extract import extract_article
page = open(sys.argv[1], "rb").read()
article = extract_article(page, "https://tass.com/economy/1745123")
loaded_after_page = "charset_normalizer" in sys.modules
import bs4.dammit, htmldate.utils
cp1252 = ("Caf\xe9 cr\xe8me, d\xe9j\xe0 vu \xe0 la caf\xe9t\xe9ria. " * 20).encode("cp1252")
decoded = htmldate.utils.decode_file(cp1252)  # htmldate's bytes path: the stand-in's from_bytes
real = sys.modules.get("charset_normalizer")
detected = bs4.dammit._chardet_dammit(cp1252) if bs4.dammit.chardet_module is not None else "none"
print(json.dumps({
    "published": article.published, "markdown": bool(article.markdown),
    "loaded_after_page": loaded_after_page, "decoded": decoded[:9],
    "real_loaded": real is not None and hasattr(real, "__file__"), "detected": detected,
}))
"""


def test_a_page_extracts_without_importing_the_guesser_and_byte_input_still_gets_it() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(ROOT / "events" / "pages" / "tass-grain-harvest.html")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["published"] and report["markdown"]  # htmldate and bs4 both ran
    assert report["loaded_after_page"] is False
    assert report["decoded"].startswith("Caf")  # decoded by a guess, not refused
    assert report["real_loaded"] is True  # the first use imported the real module, not the stand-in
    assert report["detected"]  # bs4's guesser (chardet or charset_normalizer) still answers


def test_the_stand_in_gives_way_to_the_real_module() -> None:
    code = r"""
import sys
from newsdigest.extract.deferred import charset_normalizer_on_first_use
with charset_normalizer_on_first_use():
    import charset_normalizer as held  # what a library imported inside the block keeps
    from charset_normalizer import from_bytes
    assert not hasattr(held, "__file__")  # the import system's questions do not load it
assert "charset_normalizer" not in sys.modules
best = from_bytes("Grüße aus Köln, schöne Grüße. ".encode("utf-8") * 10).best()
assert best is not None and best.encoding == "utf_8", best
assert held.from_bytes is not None and hasattr(sys.modules["charset_normalizer"], "__file__")
with charset_normalizer_on_first_use():  # loaded already: nothing stands in
    import charset_normalizer
assert hasattr(charset_normalizer, "__file__")
print("ok")
"""
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
