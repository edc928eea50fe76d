"""A tokenizer object for sumy that needs no downloaded data.

sumy's own ``Tokenizer`` loads NLTK punkt models (a download) and NLTK's word tokenizer; sumy's
parsers and summarisers only need an object with ``language``, ``to_sentences`` and ``to_words``.
"""

from __future__ import annotations

import re

from newsdigest.summarisation.sentences import splitter_for

# A word: letters (any script) and digits, with inner apostrophes or hyphens ("don't", "co-operate").
_TOKEN = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
# Scripts written without spaces between words. Without a segmenter each ideograph or kana is a token,
# which keeps overlap-based scores meaningful.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def words(sentence: str) -> tuple[str, ...]:
    """Word tokens as sumy expects them: tokens with at least one letter; numbers are dropped."""
    result: list[str] = []
    for token in _TOKEN.findall(sentence):
        if _UNSPACED.search(token):
            result.extend(ch for ch in token if not ch.isspace())
        elif not token.replace("-", "").replace("'", "").replace("’", "").isdigit():
            result.append(token)
    return tuple(result)


class OfflineTokenizer:
    """Implements sumy's tokenizer protocol with :mod:`newsdigest.summarisation.sentences`.

    With a ``vocabulary`` (lower-case words), words outside it are not reported: the document's cap
    on distinct words, applied to what sumy's methods see.
    """

    def __init__(self, language: str, vocabulary: frozenset[str] | None = None) -> None:
        self._language = language
        self._splitter = splitter_for(language)
        self._vocabulary = vocabulary

    @property
    def language(self) -> str:
        return self._language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(self._splitter.split(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        found = words(sentence)
        if self._vocabulary is None:
            return found
        return tuple(w for w in found if w.lower() in self._vocabulary)
