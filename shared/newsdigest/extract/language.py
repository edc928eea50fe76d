"""Language of a page: the declared code when usable, else a cheap guess from the text.

The guess counts very frequent function words per language (a few dozen each, enough to separate
languages on a paragraph or two) and falls back to the writing system for scripts that are
language-specific. No model files, nothing loaded from disk.
"""

from __future__ import annotations

import re

_FUNCTION_WORDS: dict[str, str] = {
    "en": "the and of to in is that for it was on with as are be this by at from have not but his they "
    "which were their has had been would will an or you we he she its who said",
    "de": "der die und das ist nicht ein eine zu den von mit sich des auf für im dem auch es an als wie "
    "wird bei nach aus sind einen noch werden hat oder über so dass wir ich sie",
    "fr": "le la les et des est un une du que dans pour pas qui sur au il par plus avec ce sont se ne "
    "elle mais ont été cette aux ses nous vous leur été",
    "es": "el la los las de que y en un una es por con para del se no lo al su más como pero sus ha "
    "fue este esta son entre también muy cuando",
    "it": "il di che la le è per un una non del della con sono gli da si dei nel alla anche come più "
    "ma questo delle nella ha al ci lo",
    "pt": "o a os as de que e do da em um uma para com não por dos das se mais como mas foi ao ele "
    "ela seu sua ou são também está",
    "nl": "de het een en van is dat op te in niet zijn met voor die er aan ook als maar door om bij "
    "wordt heeft uit dan nog werd naar",
    "sv": "och att det som en på är av för med till den har inte om ett var jag han men från kan vi "
    "så de sig också efter",
    "da": "og at det som en på er af for med til den har ikke om et var jeg han men fra kan vi så de "
    "sig også efter blev",
    "no": "og at det som en på er av for med til den har ikke om et var jeg han men fra kan vi så de "
    "seg også etter ble",
    "pl": "i w na z że do nie się to jest o jak od po dla przez ale czy jego już tak są oraz był być "
    "może jej tym",
    "cs": "a v na se že je to s z do o pro i jako by jsou jeho ale který která které po už podle také "
    "bylo jsme při",
    "sk": "a v na sa že je to s z do o pro ako by sú jeho ale ktorý ktorá ktoré po už podľa tiež bolo "
    "sme pri aj",
    "fi": "ja on ei se että oli hän ovat kun mutta myös tai joka sen kuin ole vain sekä jo mukaan "
    "tämä nyt olla jos",
    "hu": "a az és hogy nem is egy van meg de ez csak már még volt mint kell szerint után pedig fel "
    "ki el vagy lesz",
    "ro": "și în de la cu pe a din că nu o un este mai pentru care fost se sunt au ce din dar lui "
    "această acest",
    "tr": "ve bir bu da de için ile çok olarak daha gibi ama en olan kadar ne ya sonra ki her mi değil şey",
    "hr": "i je u na se da za su od s a o kao ne to koji što iz ili će bi sa ali samo koja",
    "ru": "и в не на что с по как он из это за к но от для то а его она так же был бы уже о все они при было",
    "uk": "і в на що не з до як за та це від по він його але також які вона для був бути із ще",
}
_WORD_SETS: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in _FUNCTION_WORDS.items()}
_WORD_LANGS: dict[str, tuple[str, ...]] = {}
for _lang, _vocab in _WORD_SETS.items():
    for _w in _vocab:
        _WORD_LANGS[_w] = (*_WORD_LANGS.get(_w, ()), _lang)
_NON_LATIN = re.compile(r"[^\x00-\u024f]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")
_THREE_TO_TWO = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "pol": "pl",
    "ces": "cs",
    "cze": "cs",
    "rus": "ru",
    "ukr": "uk",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "ara": "ar",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "nob": "no",
    "fin": "fi",
    "hun": "hu",
    "tur": "tr",
    "ell": "el",
    "gre": "el",
    "heb": "he",
}
# Scripts whose presence alone names the language well enough for a summariser.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x3040, 0x30FF, "ja"),  # kana first: Japanese text also holds Han characters
    (0xAC00, 0xD7AF, "ko"),
    (0x4E00, 0x9FFF, "zh"),
    (0x0600, 0x06FF, "ar"),
    (0x0590, 0x05FF, "he"),
    (0x0370, 0x03FF, "el"),
    (0x0E00, 0x0E7F, "th"),
    (0x0900, 0x097F, "hi"),
)
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")


def normalise_code(value: str | None) -> str | None:
    """``de-DE`` / ``de_DE`` / ``deu`` -> ``de``; ``None`` for anything that is not a language tag."""
    if not value:
        return None
    value = value.strip().split(",")[0].strip()
    match = _CODE.match(value)
    if not match:
        return None
    code = match.group(1).lower()
    if len(code) == 3:
        return _THREE_TO_TWO.get(code)
    if code in {"nb", "nn"}:
        return "no"
    return code


def _script_language(text: str) -> str | None:
    counts: dict[str, int] = {}
    others = _NON_LATIN.findall(text)
    if len(others) < 20:
        return None  # Latin script: function words decide
    letters = sum(1 for ch in text if ch.isalpha())
    cyrillic = 0
    ukrainian = 0
    for ch in others:
        cp = ord(ch)
        if 0x0400 <= cp <= 0x04FF:
            cyrillic += 1
            if ch in _UKRAINIAN_LETTERS:
                ukrainian += 1
            continue
        for lo, hi, lang in _SCRIPT_RANGES:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not letters:
        return None
    if counts.get("ja", 0) > 0.05 * letters:
        return "ja"
    best = max(counts.items(), key=lambda kv: kv[1], default=None)
    if best and best[1] > 0.3 * letters:
        return best[0]
    if cyrillic > 0.3 * letters:
        return "uk" if ukrainian > 0.005 * cyrillic else None  # let function words pick ru/uk
    return None


def detect_language(text: str, *, min_hits: int = 5) -> tuple[str | None, float]:
    """``(code, confidence)`` for ``text``; confidence is the winner's share of function-word hits."""
    sample = text[:4000]
    script = _script_language(sample)
    if script is not None:
        return script, 1.0
    counts: dict[str, int] = dict.fromkeys(_WORD_SETS, 0)
    words = _WORD.findall(sample.lower())[:1200]
    for word in words:
        for lang in _WORD_LANGS.get(word, ()):
            counts[lang] += 1
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    best, hits = ranked[0]
    if hits < min_hits:
        return None, 0.0
    runner_up = ranked[1][1]
    return best, (hits - runner_up) / hits
