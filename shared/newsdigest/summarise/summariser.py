"""First-cut summariser: enough for the pipeline to run (improved under the summarisation issue)."""

from __future__ import annotations

import re

from newsdigest.errors import SummariseError
from newsdigest.models import Summary

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])")
_WORD = re.compile(r"\w+", re.UNICODE)


class _OfflineTokenizer:
    """sumy tokenizer protocol without NLTK's punkt data (nothing may download at run time)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> list[str]:
        return [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]

    def to_words(self, sentence: str) -> list[str]:
        return _WORD.findall(sentence)


def summarise(
    text: str, *, language: str | None = "english", sentences: int | None = None, method: str = "lexrank"
) -> Summary:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    if not text or not text.strip():
        raise SummariseError("cannot summarise empty text", reason="empty_text")
    lang = language or "english"
    count = sentences or 3
    parser = PlaintextParser.from_string(text, _OfflineTokenizer(lang))
    summariser = LexRankSummarizer(Stemmer(lang))
    summariser.stop_words = get_stop_words(lang)
    chosen = [str(s) for s in summariser(parser.document, count)]
    return Summary(sentences=chosen, method=method, language=lang, parameters={"sentences": count})
