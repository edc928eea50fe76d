"""How much of one text the summariser considers: the cost bound no input can break.

Every cap keeps the start of the text (news puts what matters first) and the summary says what it
left out in ``Summary.notes``. The default method is linear in the words it reads; sumy's methods are
not (pair similarities, greedy re-scoring of every remaining sentence, a terms x sentences SVD), so
each gets its own sentence, word and term caps, set so that one call stays well under a second of CPU
on long news sentences (``benchmarks/hostile.py``) while leaving every article of the summarisation
development sets (at most 82 sentences, 1,386 words and 584 distinct words) whole.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Characters of text read: about 30,000 words, a long report or a day of live blog. Guards the
#: sentence splitter and tokenizer, whose cost is linear in the text.
MAX_TEXT_CHARS = 200_000
#: Characters of the title read (a headline is under 300); it is tokenised like a sentence.
MAX_TITLE_CHARS = 1_000
#: Near-duplicates are looked for among this many kept sentences at most: each check compares a sentence
#: with all kept before it, and a summary longer than this is a digest where a repeat costs little.
MAX_DUPLICATE_CHECKS = 200


@dataclass(frozen=True, slots=True)
class MethodLimits:
    """What one method ranks at most: sentences, words (tokens) and distinct words of the text."""

    sentences: int
    words: int
    terms: int


#: The default method and the lead: linear in the words, so the text cap above is the real bound.
LINEAR_LIMITS = MethodLimits(sentences=5_000, words=60_000, terms=30_000)
#: sumy's methods, measured with OPENBLAS_NUM_THREADS=1 on news sentences of about 24 words.
SUMY_LIMITS: dict[str, MethodLimits] = {
    # pairwise tf-idf cosines: quadratic in sentences
    "lexrank": MethodLimits(sentences=200, words=5_000, terms=3_000),
    # pairwise overlaps and a power iteration
    "textrank": MethodLimits(sentences=200, words=5_000, terms=3_000),
    # SVD of the terms x sentences matrix
    "lsa": MethodLimits(sentences=250, words=6_000, terms=2_500),
    # significant-word windows per sentence, term frequencies per call
    "luhn": MethodLimits(sentences=400, words=10_000, terms=5_000),
    "edmundson": MethodLimits(sentences=800, words=20_000, terms=8_000),
    # greedy: every pick re-scores every remaining sentence against the summary so far (cubic)
    "kl": MethodLimits(sentences=100, words=1_500, terms=1_500),
    # greedy: every pick re-scores every remaining sentence
    "sumbasic": MethodLimits(sentences=300, words=7_000, terms=4_000),
    # pairwise overlaps
    "reduction": MethodLimits(sentences=200, words=5_000, terms=3_000),
}


def limits_for(method: str) -> MethodLimits:
    return SUMY_LIMITS.get(method, LINEAR_LIMITS)


def cut_text(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, ending at a space when there is one to end at."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = max(head.rfind(" "), head.rfind("\n"))
    return head[:space] if space > limit // 2 else head
