"""Which language the summariser works in: names, stemmers and stop words.

sumy names languages in lower-case English ("english", "german"). Callers may also pass ISO 639-1
codes, so the codes are mapped here by a small hand-written table: sumy's own lookup goes through
``pycountry``, whose import alone costs more than 0.1 s of cold start.

Stemmers come from the ``snowballstemmer`` package (the Snowball project's pure-Python stemmers for the
same languages sumy stems) because sumy's stemmer module imports NLTK on import. Stop words are
sumy's own lists, read as package data without importing sumy's modules; for the stemmed languages
sumy ships no list for, :mod:`newsdigest.summarisation.stopwords` supplies one.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from newsdigest.summarisation.stopwords import EXTRA_STOP_WORDS

Stemmer = Callable[[str], str]

#: ISO 639-1 code -> sumy language name, for every language sumy can tokenise or stem.
ISO_CODES: dict[str, str] = {
    "ar": "arabic",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "he": "hebrew",
    "hu": "hungarian",
    "it": "italian",
    "ja": "japanese",
    "ko": "korean",
    "nb": "norwegian",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sk": "slovak",
    "sv": "swedish",
    "uk": "ukrainian",
    "zh": "chinese",
}

#: sumy language name -> Snowball algorithm. Slovak borrows the Czech stemmer, as sumy does.
_SNOWBALL: dict[str, str] = {
    "arabic": "arabic",
    "czech": "czech",
    "danish": "danish",
    "dutch": "dutch",
    "english": "english",
    "finnish": "finnish",
    "french": "french",
    "german": "german",
    "greek": "greek",
    "hungarian": "hungarian",
    "italian": "italian",
    "norwegian": "norwegian",
    "polish": "polish",
    "portuguese": "portuguese",
    "romanian": "romanian",
    "russian": "russian",
    "slovak": "czech",
    "spanish": "spanish",
    "swedish": "swedish",
}

#: Languages sumy supports without a stemmer (it lower-cases words only); they are written without
#: inflection worth stripping or need segmenters sumy loads from optional packages.
_UNSTEMMED = frozenset({"chinese", "japanese", "korean", "hebrew"})

#: Every language the summariser handles natively.
SUPPORTED: frozenset[str] = frozenset(_SNOWBALL) | _UNSTEMMED | {"ukrainian"}

#: Name used when the requested language is not supported: no stemmer and no stop words.
NEUTRAL = "neutral"


@dataclass(frozen=True, slots=True)
class LanguageProfile:
    """What the tokenizer and the scorers need to know about one language."""

    name: str  # sumy language name, or NEUTRAL
    stemmer: Stemmer
    stop_words: frozenset[str]
    note: str | None = None  # set when the requested language could not be honoured


def normalise_language_name(language: str | None) -> str:
    """Map None, an ISO 639-1 code or a sumy name to a lower-case sumy name (which may be unsupported)."""
    if language is None or not language.strip():
        return "english"
    key = language.strip().lower().replace("_", "-")
    # Region subtags ("en-GB", "pt-BR") do not change stemming or sentence rules.
    primary = key.split("-", 1)[0]
    if primary in ISO_CODES:
        return ISO_CODES[primary]
    return key


def _lower(word: str) -> str:
    return word.lower()


class _SnowballStemmer:
    """Loads its Snowball algorithm on first use: the English default method compares surface words
    and never stems, so it should not pay for importing ``snowballstemmer`` (all 36 algorithms)."""

    def __init__(self, algorithm: str) -> None:
        self.algorithm = algorithm
        self._stem: Stemmer | None = None

    def __call__(self, word: str) -> str:
        if self._stem is None:
            self._stem = _load_snowball(self.algorithm)
        return self._stem(word)


@cache
def _load_snowball(algorithm: str) -> Stemmer:
    import snowballstemmer

    stem_word = snowballstemmer.stemmer(algorithm).stemWord
    # Articles repeat words a lot and stemming is the costliest step per word in pure Python.
    cached: Stemmer = lru_cache(maxsize=65536)(lambda word: stem_word(word.lower()))
    return cached


#: sumy's Ukrainian stemmer, a module of regular expressions that imports only ``re``.
_SUMY_UKRAINIAN = ("nlp", "stemmers", "ukrainian.py")


def _ukrainian_stemmer() -> Stemmer | None:
    """sumy's own Ukrainian stemmer (Snowball has none), loaded from its file: importing it as
    ``sumy.nlp.stemmers.ukrainian`` would run that package's ``__init__``, which imports NLTK, and the
    default layer ships no NLTK, which used to switch Ukrainian stemming off there."""
    import importlib.util
    from pathlib import Path

    sumy = importlib.util.find_spec("sumy")
    if sumy is None or not sumy.submodule_search_locations:
        return None
    path = Path(next(iter(sumy.submodule_search_locations)), *_SUMY_UKRAINIAN)
    spec = importlib.util.spec_from_file_location("newsdigest_sumy_ukrainian_stemmer", path)
    if spec is None or spec.loader is None or not path.is_file():
        return None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    stem_word = module.stem_word
    fn: Stemmer = lru_cache(maxsize=65536)(lambda word: stem_word(word.lower()))
    return fn


@cache
def stop_words(name: str) -> frozenset[str]:
    """sumy's stop-word list for ``name``, else ours, else an empty set."""
    # pkgutil rather than importlib.resources: the latter imports tempfile and shutil (cold start).
    try:
        data = pkgutil.get_data("sumy", f"data/stopwords/{name}.txt")
    except (ImportError, OSError):
        data = None
    if data is None:
        return EXTRA_STOP_WORDS.get(name, frozenset())
    words = frozenset(w.strip().lower() for w in data.decode("utf-8").splitlines() if w.strip())
    return words | EXTRA_STOP_WORDS.get(name, frozenset())


@lru_cache(maxsize=64)
def resolve_language(language: str | None) -> LanguageProfile:
    """The profile for ``language``; unsupported languages get a language-neutral profile and a note."""
    name = normalise_language_name(language)
    if name not in SUPPORTED:
        return LanguageProfile(
            name=NEUTRAL,
            stemmer=_lower,
            stop_words=frozenset(),
            note=(
                f"language {language!r} is not supported; used language-neutral tokenisation "
                "without stemming or stop words"
            ),
        )
    note = None
    stemmer: Stemmer | None
    if name in _SNOWBALL:
        stemmer = _SnowballStemmer(_SNOWBALL[name])
    elif name == "ukrainian":
        stemmer = _ukrainian_stemmer()
        if stemmer is None:
            note = "the Ukrainian stemmer could not be loaded; words were not stemmed"
    else:
        stemmer = None
    return LanguageProfile(name=name, stemmer=stemmer or _lower, stop_words=stop_words(name), note=note)
