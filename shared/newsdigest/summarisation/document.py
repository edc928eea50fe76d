"""The article as the summariser sees it: sentences in order, grouped in paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from newsdigest.summarisation.languages import LanguageProfile
from newsdigest.summarisation.tokenizer import words


@dataclass(frozen=True)
class Document:
    paragraphs: tuple[tuple[str, ...], ...]
    profile: LanguageProfile
    title: str | None = None

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)

    @cached_property
    def words(self) -> tuple[tuple[str, ...], ...]:
        """Word tokens of each sentence (letters only, as sumy sees them)."""
        return tuple(words(s) for s in self.sentences)

    @cached_property
    def word_counts(self) -> tuple[int, ...]:
        """Whitespace-separated words per sentence: the unit of a word budget."""
        return tuple(len(s.split()) for s in self.sentences)

    @cached_property
    def terms(self) -> tuple[tuple[str, ...], ...]:
        """Stemmed content words of each sentence (stop words removed, lower-cased)."""
        stem = self.profile.stemmer
        stop = self.profile.stop_words
        return tuple(tuple(stem(w) for w in ws if w.lower() not in stop) for ws in self.words)

    @cached_property
    def title_terms(self) -> frozenset[str]:
        if not self.title:
            return frozenset()
        stem = self.profile.stemmer
        stop = self.profile.stop_words
        return frozenset(stem(w) for w in words(self.title) if w.lower() not in stop)
