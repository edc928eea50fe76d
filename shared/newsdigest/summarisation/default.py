"""The default method: the lead for highlight-length summaries, word-overlap centrality beyond.

Chosen by measurement on the BBC and CNN/DailyMail development sets (``benchmarks/summarisation.py``):

* A summary of up to :data:`HIGHLIGHT_SENTENCES` sentences is the article's lead. News is written
  as an inverted pyramid, so the first sentences already are the writer's summary; on CNN/DailyMail
  highlights, blending centrality into the lead order at any weight scored no better than the lead.
* A longer summary must reach into the body, where order says little, so sentences are ranked by
  centrality: the sum of their word-overlap similarity with every other sentence (sumy's Reduction
  graph, with overlap normalised by the geometric mean of the two sentence lengths rather than the
  sum of their logs, so long sentences do not win on length alone). Any lead prior here cost ROUGE on
  BBC, whose references are ~40 % of the article.

Both orders then defer, to the end of the ranking, fragments (fewer than :data:`MIN_WORDS` words:
captions, bylines, "Scroll down for video."), isolated sentences (no content word shared with the
rest of the article: hooks such as "That was the easy part.") and near-duplicates of a better-ranked
sentence (picture captions that repeat the lead), so the summary prefers complete, informative,
non-redundant sentences.

Pure Python (no NumPy): one pass over an inverted index of content words.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from newsdigest.summarisation.document import Document
from newsdigest.summarisation.limits import MAX_DUPLICATE_CHECKS

#: Summaries up to this many sentences are "highlights" and follow the lead.
HIGHLIGHT_SENTENCES = 3
#: Sentences shorter than this (in whitespace words) are fragments rather than statements.
MIN_WORDS = 8
#: A sentence whose content words are at least this share of a better-ranked sentence's is a duplicate.
DUPLICATE_SHARE = 0.9

#: Centrality scores are compared to this many decimals: beyond it, differences are summation-order noise.
_SCORE_DECIMALS = 12

#: Languages whose similarity uses lower-cased words rather than stems. English inflects little, and
#: on BBC Snowball stems cost 1.5 ROUGE-1 against exact words. Inflected languages keep stems, as
#: their surface forms rarely repeat exactly.
_SURFACE_FORM_LANGUAGES = frozenset({"english"})


def content_words(document: Document) -> list[Counter[str]]:
    """Content-word counts per sentence: stop words dropped, lower-cased or stemmed."""
    if document.profile.name in _SURFACE_FORM_LANGUAGES:
        stop = document.profile.stop_words
        return [Counter(w for w in (x.lower() for x in ws) if w not in stop) for ws in document.words]
    return [Counter(terms) for terms in document.terms]


def centrality(bags: list[Counter[str]]) -> list[float]:
    """Sum over other sentences of ``overlap / sqrt(len_i * len_j)``, where overlap counts matching
    word pairs (a word used twice in each sentence counts four times, as in sumy's Reduction).

    Computed from term totals rather than sentence pairs, in time linear in the words: the overlap is a
    sum over shared words, so sentence ``i`` scores ``sum_w c_iw * (T_w - c_iw / sqrt(len_i)) /
    sqrt(len_i)`` with ``T_w = sum_j c_jw / sqrt(len_j)``, the same sum regrouped (a pair loop is
    quadratic in the sentences sharing a word: 6,000 live-blog entries naming one team took minutes).
    """
    roots = [math.sqrt(sum(bag.values())) for bag in bags]
    totals: dict[str, float] = defaultdict(float)
    for bag, root in zip(bags, roots, strict=True):
        for word, count in bag.items():
            totals[word] += count / root
    scores = [0.0] * len(bags)
    for index, (bag, root) in enumerate(zip(bags, roots, strict=True)):
        if root:
            shared = sum(count * (totals[word] - count / root) for word, count in bag.items())
            # Rounded so that equal scores summed in another order tie exactly and keep document order.
            scores[index] = round(shared / root, _SCORE_DECIMALS)
    return scores


def _is_duplicate(words: set[str], kept: list[set[str]]) -> bool:
    if not words:
        return False
    return any(len(words & other) >= DUPLICATE_SHARE * min(len(words), len(other)) for other in kept if other)


def _isolated(bags: list[Counter[str]]) -> list[bool]:
    """Sentences none of whose content words occurs in another sentence: hooks and asides such as
    "That was the easy part.", which say nothing the rest of the article is about."""
    sentences_with: Counter[str] = Counter(word for bag in bags for word in bag)
    return [not any(sentences_with[word] > 1 for word in bag) for bag in bags]


def _defer_weak(order: list[int], document: Document, bags: list[Counter[str]], needed: int) -> list[int]:
    """``order`` with fragments, isolated sentences and near-duplicates moved to the end (keeping
    their relative order).

    Duplicates are looked for only until ``needed`` sentences are kept: the comparison is quadratic
    and sentences past that point are not read for the summary.
    """
    isolated = _isolated(bags)
    strong: list[int] = []
    weak: list[int] = []
    kept: list[set[str]] = []
    for index in order:
        if document.word_counts[index] < MIN_WORDS or isolated[index]:
            weak.append(index)
            continue
        if len(kept) < needed:
            words = set(bags[index])
            if _is_duplicate(words, kept):
                weak.append(index)
                continue
            kept.append(words)
        strong.append(index)
    return strong + weak


def rank_default(document: Document, expected: int) -> list[int]:
    """All sentence indices, best first, for a summary of about ``expected`` sentences."""
    bags = content_words(document)
    n = len(document.sentences)
    if expected <= HIGHLIGHT_SENTENCES:
        order = list(range(n))
    else:
        scores = centrality(bags)
        order = sorted(range(n), key=lambda i: (-scores[i], i))
    # A word budget's sentence count is an estimate, so keep a margin of checked sentences.
    return _defer_weak(order, document, bags, needed=min(2 * expected + 5, MAX_DUPLICATE_CHECKS))
