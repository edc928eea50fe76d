"""The public entry point: :func:`summarise` text into a :class:`~newsdigest.models.Summary`."""

from __future__ import annotations

from typing import Any

from newsdigest.errors import SummariseError
from newsdigest.models import Summary
from newsdigest.summarisation.datelines import omit_datelines
from newsdigest.summarisation.default import HIGHLIGHT_SENTENCES
from newsdigest.summarisation.document import Document
from newsdigest.summarisation.languages import resolve_language
from newsdigest.summarisation.length import LengthPlan, resolve_length
from newsdigest.summarisation.limits import MAX_TEXT_CHARS, MAX_TITLE_CHARS, cut_text, limits_for
from newsdigest.summarisation.methods import DEFAULT_METHOD, canonical_method, check_available, ranker_for
from newsdigest.summarisation.sentences import splitter_for


def _select(ranking: list[int], plan: LengthPlan, word_counts: tuple[int, ...]) -> list[int]:
    """Best-ranked sentences within the plan, in document order."""
    if plan.words is None:
        return sorted(ranking[: plan.sentences])
    chosen: list[int] = []
    used = 0
    for index in ranking:
        if used + word_counts[index] <= plan.words:
            chosen.append(index)
            used += word_counts[index]
    if not chosen:
        # Sentences are never cut, so a budget below the best sentence still yields that sentence.
        chosen = [ranking[0]]
    return sorted(chosen)


def _expected_sentences(plan: LengthPlan, word_counts: tuple[int, ...]) -> int:
    """How many sentences the summary will have, estimated from the mean length for a word budget."""
    if plan.words is None:
        return plan.sentences
    mean = sum(word_counts) / len(word_counts)
    return max(1, round(plan.words / max(mean, 1.0)))


def summarise(
    text: str,
    *,
    language: str | None = None,
    method: str = "default",
    sentences: int | None = None,
    ratio: float | None = None,
    words: int | None = None,
    title: str | None = None,
) -> Summary:
    """Extractive summary of ``text``: whole sentences of it, in document order (a sentence that
    opens with a wire dateline is given without it: the dateline is the article's metadata).

    ``language`` is an ISO 639-1 code or a sumy language name (None: English); ``method`` is
    "default", "lead" or a sumy algorithm name; the length is a sentence count, a ratio of the
    article's sentences or a word budget (at most one; none: a default scaled to the article).
    ``title``, when known, lets methods favour sentences about the headline's subject.
    """
    if not isinstance(text, str) or not text.strip():
        raise SummariseError("cannot summarise empty text", reason="empty_text")
    name = canonical_method(method)
    profile = resolve_language(language)
    notes = [profile.note] if profile.note else []
    if len(text) > MAX_TEXT_CHARS:
        text = cut_text(text, MAX_TEXT_CHARS)
        notes.append(f"text cut to {MAX_TEXT_CHARS} characters")
    title = (title or "").strip() or None
    if title is not None and len(title) > MAX_TITLE_CHARS:
        title = cut_text(title, MAX_TITLE_CHARS)
        notes.append(f"title cut to {MAX_TITLE_CHARS} characters")
    paragraphs, datelines = omit_datelines(
        tuple(tuple(p) for p in splitter_for(profile.name).paragraphs(text))
    )
    found = Document(paragraphs=paragraphs, profile=profile, title=title)
    if not found.sentences:
        raise SummariseError("cannot summarise text without sentences", reason="empty_text")
    limits = limits_for(name)
    document = found.head(limits)
    total = len(document.sentences)
    if total < len(found.sentences):
        notes.append(f"first {total} of {len(found.sentences)} sentences ranked")
    if document.vocabulary is not None:
        notes.append(f"first {limits.terms} distinct words considered")
    plan = resolve_length(total, sentences=sentences, ratio=ratio, words=words)
    check_available(name)

    parameters: dict[str, Any] = {**plan.parameters(), "total_sentences": total}
    if plan.words is None and plan.sentences >= total:
        chosen = list(range(total))
        if plan.basis == "sentences" and plan.sentences > len(found.sentences):
            notes.append(f"the text has only {total} sentence(s); all are returned")
    else:
        expected = _expected_sentences(plan, document.word_counts)
        ranking = ranker_for(name)(document, expected)
        if name == DEFAULT_METHOD:
            parameters["order"] = "lead" if expected <= HIGHLIGHT_SENTENCES else "centrality"
        chosen = _select(ranking, plan, document.word_counts)
    parameters["selected_sentences"] = len(chosen)
    parameters["selected_words"] = sum(document.word_counts[i] for i in chosen)
    if title:
        parameters["title"] = True
    if datelines:
        parameters["datelines_omitted"] = datelines
    return Summary(
        sentences=[document.sentences[i] for i in chosen],
        method=name,
        language=profile.name,
        parameters=parameters,
        note="; ".join(notes) or None,
        notes=notes,
    )


#: What :func:`check_method` summarises: short, but long enough for every method to rank sentences.
_CHECK_TEXT = (
    "The city council approved a plan to turn the old power station into a public library.\n\n"
    "The library will hold books, a café and rooms for the council's evening classes.\n\n"
    "Work on the power station starts in spring, and the library should open in two years."
)


def check_method(method: str) -> str:
    """The canonical name of ``method`` once it has been shown to run here: what it needs imports and
    it summarises a small text. :class:`SummariseError` otherwise, so that a deployment configured
    with a method it cannot run fails its cold start with the reason instead of failing every item."""
    name = canonical_method(method)
    summarise(_CHECK_TEXT, method=name, sentences=2)
    return name
