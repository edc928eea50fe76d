"""The article as the summariser sees it: sentences in order, grouped in paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from newsdigest.summarisation.languages import LanguageProfile
from newsdigest.summarisation.limits import MethodLimits
from newsdigest.summarisation.tokenizer import words


@dataclass(frozen=True)
class Document:
    paragraphs: tuple[tuple[str, ...], ...]
    profile: LanguageProfile
    title: str | None = None
    #: Distinct words considered, first come first kept; later ones are invisible to every method.
    max_terms: int | None = None

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for paragraph in self.paragraphs for s in paragraph)

    @cached_property
    def tokens(self) -> tuple[tuple[str, ...], ...]:
        """Every word token of each sentence (letters only, as sumy sees them)."""
        return tuple(words(s) for s in self.sentences)

    @cached_property
    def vocabulary(self) -> frozenset[str] | None:
        """The first ``max_terms`` distinct words (lower case), or None when every word is considered."""
        if self.max_terms is None:
            return None
        seen: dict[str, None] = {}
        for sentence in self.tokens:
            for word in sentence:
                key = word.lower()
                if key not in seen:
                    if len(seen) >= self.max_terms:
                        return frozenset(seen)
                    seen[key] = None
        return None

    @cached_property
    def words(self) -> tuple[tuple[str, ...], ...]:
        """Word tokens of each sentence within the vocabulary."""
        vocabulary = self.vocabulary
        if vocabulary is None:
            return self.tokens
        return tuple(tuple(w for w in ws if w.lower() in vocabulary) for ws in self.tokens)

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

    def head(self, limits: MethodLimits) -> Document:
        """The leading sentences within ``limits`` (sentences and word tokens; the first is always
        kept), whole paragraphs and the start of the next, with ``limits.terms`` as vocabulary."""
        count = 0
        used = 0
        for tokens in self.tokens:
            if count and (count >= limits.sentences or used + len(tokens) > limits.words):
                break
            used += len(tokens)
            count += 1
        paragraphs: list[tuple[str, ...]] = []
        left = count
        for paragraph in self.paragraphs:
            if left <= 0:
                break
            paragraphs.append(paragraph[:left])
            left -= len(paragraph)
        head = Document(
            paragraphs=tuple(paragraphs), profile=self.profile, title=self.title, max_terms=limits.terms
        )
        # The tokens already split are the head's too (cached_property stores in the instance dict).
        head.__dict__["tokens"] = self.tokens[:count]
        return head
